"""Tenancy of the Dinas module: another kabupaten's officer sees nothing; coop roles get 403;
Dinas users cannot write a cooperative's books."""

import datetime as dt
from decimal import Decimal

import pytest

from kopdig.lib.errors import NotAllowed

from .conftest import login

pytestmark = pytest.mark.django_db


def test_officer_of_another_kabupaten_sees_none_of_these_cooperatives(world, plain_coops, api_client):
    client = login(world.dinas_other)
    resp = client.get("/dinas/koperasi/")
    assert resp.status_code == 200
    assert resp.context["page"].paginator.count == 0
    for coop in (world.coop_a, plain_coops[0]):
        assert client.get(f"/dinas/koperasi/{coop.slug}/").status_code == 404
        assert client.get(f"/dinas/koperasi/{coop.slug}/ubah/").status_code == 404
        assert client.post(f"/dinas/koperasi/{coop.slug}/status/", {"status": "tidak_aktif"}).status_code == 404
    year = dt.date.today().year - 1
    assert client.get(f"/dinas/data-tahunan/{year}/").context["page"].paginator.count == 0
    assert client.get("/dinas/").context["d"]["total"] == 0

    api = api_client.as_user(world.dinas_other)
    data = api.get("/api/v1/dinas/coops").json()
    assert data == {"items": [], "count": 0}
    assert api.get(f"/api/v1/dinas/coops/{world.coop_a.slug}/annual/{year}").status_code == 404
    assert api.get(f"/api/v1/dinas/rat-compliance/{year}").json()["count"] == 0
    world.coop_a.refresh_from_db()
    assert world.coop_a.status == "aktif"


def test_officer_sees_the_kabupaten_registry(world, plain_coops, dinas_client, api_client):
    resp = dinas_client.get("/dinas/koperasi/", {"jenis": "konsumen"})
    assert resp.status_code == 200
    assert {c.slug for c in resp.context["page"].object_list} == {c.slug for c in plain_coops}
    assert dinas_client.get(f"/dinas/koperasi/{world.coop_a.slug}/").status_code == 200
    data = api_client.as_user(world.dinas).get("/api/v1/dinas/coops", {"kecamatan": "35.13.14", "jenis": "konsumen"}).json()
    assert data["count"] == 3 and len(data["items"]) == 3


def test_pengurus_cannot_open_the_registry(world, api_client):
    client = login(world.pengurus_a)
    for url in ("/dinas/", "/dinas/koperasi/", f"/dinas/koperasi/{world.coop_a.slug}/", "/dinas/rat/",
                "/dinas/koperasi/impor/", "/dinas/pengaturan/"):
        assert client.get(url).status_code == 403, url
    api = api_client.as_user(world.pengurus_a)
    assert api.get("/api/v1/dinas/coops").status_code == 403
    assert api.get(f"/api/v1/dinas/coops/{world.coop_a.slug}/annual/2024").status_code == 403
    assert api.get("/api/v1/dinas/rat-compliance/2024").status_code == 403


def test_dinas_cannot_write_a_cooperatives_books(world):
    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.models import JournalEntry, JournalLine
    from kopdig.ledger.posting import Line

    with pytest.raises(NotAllowed):
        journal_entry_post(actor=world.dinas, cooperative=world.coop_a, date=dt.date(2025, 3, 1), memo="Coba",
                           lines=[Line("kas", debit=Decimal("1000.00")), Line("simpanan_sukarela", credit=Decimal("1000.00"))])
    assert not JournalEntry.objects.filter(cooperative=world.coop_a).exists()
    assert not JournalLine.objects.filter(cooperative=world.coop_a).exists()


def test_dinas_reads_coop_pages_but_cannot_post(world, dinas_client):
    assert dinas_client.get(f"/k/{world.coop_a.slug}/").status_code == 200
    assert dinas_client.post(f"/k/{world.coop_a.slug}/").status_code == 403
