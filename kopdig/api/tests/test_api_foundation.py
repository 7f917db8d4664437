import pytest

from kopdig.api.models import ApiToken
from kopdig.tenancy.models import Cooperative

pytestmark = pytest.mark.django_db


def test_token_flow_and_coop_listing(world, api_client):
    assert api_client.get("/api/v1/coops").status_code == 401
    api_client.as_user(world.pengurus_b)
    body = api_client.get("/api/v1/coops").json()
    assert body["count"] == 1 and [c["slug"] for c in body["items"]] == ["ksp-maju-jaya"]
    item = body["items"][0]
    assert item["kabupaten"] == "Kabupaten Probolinggo" and item["kecamatan"] == "Kraksaan"
    assert {
        "badan_hukum_number",
        "nik",
        "npwp",
        "jenis",
        "kelompok",
        "bentuk",
        "on_kopdig",
        "open_loop",
    } <= set(item)


def test_dinas_lists_all_of_its_kabupaten_paginated(world, api_client):
    api_client.as_user(world.dinas)
    body = api_client.get("/api/v1/coops", {"limit": 1, "offset": 1}).json()
    assert body["count"] == 2 and len(body["items"]) == 1
    assert api_client.as_user(world.dinas_other).get("/api/v1/coops").json() == {"items": [], "count": 0}


def test_wrong_password_is_401_and_no_token(world, api_client):
    resp = api_client.post("/api/v1/auth/token", {"username": world.kasir_a.username, "password": "x"})
    assert resp.status_code == 401 and "detail" in resp.json()
    assert ApiToken.objects.count() == 0


def test_bad_input_is_422_with_message_and_nothing_written(world, api_client):
    resp = api_client.post("/api/v1/auth/token", {"username": "only-name"})
    assert resp.status_code == 422 and resp.json()["detail"]
    resp = api_client.post("/api/v1/auth/token", "not json", content_type="application/json")
    assert resp.status_code in (400, 422)
    assert ApiToken.objects.count() == 0
    api_client.as_user(world.dinas)
    resp = api_client.get("/api/v1/coops", {"limit": "abc"})
    assert resp.status_code == 422 and resp.json()["detail"]
    assert Cooperative.objects.count() == 2


def test_invalid_token_is_401(world, api_client):
    api_client.token = "nope"
    assert api_client.get("/api/v1/coops").json() == {"detail": "Token tidak ada atau tidak berlaku."}


def test_openapi_schema_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/coops" in schema["paths"] and "/api/v1/auth/token" in schema["paths"]
