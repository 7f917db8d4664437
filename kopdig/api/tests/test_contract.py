"""The OpenAPI contract (issue 12 items 11–15)."""

import pytest
from django.test import override_settings

from kopdig.shu.models import ShuMemberShare, ShuYear

pytestmark = pytest.mark.django_db


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def _op(schema, path, method):
    return schema["paths"]["/api/v1" + path][method]


def _ref(schema, ref):
    return schema["components"]["schemas"][ref.rsplit("/", 1)[1]]


def _body(schema, path, method="post"):
    return _ref(
        schema, _op(schema, path, method)["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    )


def test_the_journal_body_and_the_chart_of_accounts_are_documented_as_themselves(schema):
    line = _ref(schema, _body(schema, "/coops/{slug}/journal")["properties"]["lines"]["items"]["$ref"])
    assert set(line["properties"]) == {"account", "debit", "credit", "memo"}
    ok = _op(schema, "/coops/{slug}/accounts", "get")["responses"]["200"]["content"]["application/json"][
        "schema"
    ]
    listed = _ref(schema, ok["$ref"])
    assert set(listed["properties"]) == {"items", "count"}
    account = _ref(schema, listed["properties"]["items"]["items"]["$ref"])
    assert "normal_side" in account["properties"] and "balance" not in account["properties"]


def test_every_operation_documents_its_errors(schema):
    for path, ops in schema["paths"].items():
        for method, op in ops.items():
            codes = set(op["responses"])
            if path.endswith("/auth/token"):
                assert {"401", "422", "429"} <= codes
            elif "security" not in op:  # public by design (the market, certificate checks): no 401/403
                assert {"404", "422"} <= codes, (method, path, codes)
            elif not path.endswith(("/docs", "/openapi.json")):
                assert {"401", "403", "404", "422"} <= codes, (method, path, codes)


def test_enums_lengths_and_money_patterns_come_from_the_models(schema):
    tx = _body(schema, "/coops/{slug}/savings/transactions")["properties"]
    assert tx["type"]["enum"] == ["deposit", "withdrawal"] and tx["memo"]["maxLength"] == 255
    assert tx["amount"]["anyOf"][0]["pattern"] == r"^[0-9]{1,18}(\.[0-9]{1,2})?$"
    preview = _body(schema, "/coops/{slug}/loans/schedule-preview")["properties"]
    assert preview["method"]["enum"] == ["flat", "menurun", "anuitas"]
    member = _body(schema, "/coops/{slug}/members")["properties"]
    assert member["name"]["maxLength"] == 150 and member["nik"]["pattern"] == "^[0-9]{16}$"
    assert member["gender"]["enum"] == ["L", "P"]


def test_swagger_ui_is_served_from_installed_static_files(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in html.lower() and "/static/ninja/swagger-ui-bundle.js" in html
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


@override_settings(AXES_FAILURE_LIMIT=2)
def test_a_locked_out_token_request_answers_json_429(world, client):
    body = {"username": world.kasir_a.username, "password": "salah"}
    assert client.post("/api/v1/auth/token", body, content_type="application/json").status_code == 401
    for password in ("salah", "salah", "rahasia-123"):
        resp = client.post(
            "/api/v1/auth/token", {**body, "password": password}, content_type="application/json"
        )
        assert resp.status_code == 429 and resp.json() == {
            "detail": "Terlalu banyak percobaan masuk. Coba lagi nanti."
        }
    page = client.post("/masuk/", {"username": world.kasir_a.username, "password": "salah"})
    assert page.status_code == 429 and "text/html" in page["Content-Type"]


def test_dinas_reads_a_member_share_like_the_list(world, api_client):
    sy = ShuYear.objects.create(cooperative=world.coop_a, year=2025, status=ShuYear.Status.APPROVED)
    ShuMemberShare.objects.create(cooperative=world.coop_a, shu_year=sy, member=world.member_a)
    c = api_client.as_user(world.dinas)
    base = "/api/v1/coops/ksu-sejahtera/shu/2025/members"
    assert c.get(base).json()["count"] == 1
    detail = c.get(f"{base}/{world.member_a.number}")
    assert detail.status_code == 200 and detail.json()["number"] == world.member_a.number
    assert api_client.as_user(world.dinas_other).get(f"{base}/{world.member_a.number}").status_code == 404
