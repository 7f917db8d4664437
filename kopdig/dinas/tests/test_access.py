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
        assert (
            client.post(f"/dinas/koperasi/{coop.slug}/status/", {"status": "tidak_aktif"}).status_code == 404
        )
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
    data = (
        api_client.as_user(world.dinas)
        .get("/api/v1/dinas/coops", {"kecamatan": "35.13.14", "jenis": "konsumen"})
        .json()
    )
    assert data["count"] == 3 and len(data["items"]) == 3


def test_pengurus_cannot_open_the_registry(world, api_client):
    client = login(world.pengurus_a)
    for url in (
        "/dinas/",
        "/dinas/koperasi/",
        f"/dinas/koperasi/{world.coop_a.slug}/",
        "/dinas/rat/",
        "/dinas/koperasi/impor/",
        "/dinas/pengaturan/",
    ):
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
        journal_entry_post(
            actor=world.dinas,
            cooperative=world.coop_a,
            date=dt.date(2025, 3, 1),
            memo="Coba",
            lines=[
                Line("kas", debit=Decimal("1000.00")),
                Line("simpanan_sukarela", credit=Decimal("1000.00")),
            ],
        )
    assert not JournalEntry.objects.filter(cooperative=world.coop_a).exists()
    assert not JournalLine.objects.filter(cooperative=world.coop_a).exists()


def test_dinas_reads_coop_pages_but_cannot_post(world, dinas_client):
    assert dinas_client.get(f"/k/{world.coop_a.slug}/").status_code == 200
    assert dinas_client.post(f"/k/{world.coop_a.slug}/").status_code == 403


def test_every_dinas_page_renders_for_the_officer(world, plain_coops, dinas_client):
    year = dt.date.today().year - 1
    coop = plain_coops[0]
    for url in (
        "/dinas/",
        "/dinas/koperasi/",
        f"/dinas/koperasi/?kecamatan=35.13.14&rat_year={year}&rat=missed",
        f"/dinas/koperasi/{coop.slug}/",
        f"/dinas/koperasi/{world.coop_a.slug}/",
        f"/dinas/koperasi/{coop.slug}/ubah/",
        f"/dinas/koperasi/{coop.slug}/undang/",
        f"/dinas/koperasi/{coop.slug}/tahunan/{year}/",
        f"/dinas/data-tahunan/{year}/",
        "/dinas/rat/",
        "/dinas/pengaturan/",
        "/dinas/koperasi/impor/",
        "/dinas/koperasi/baru/",
        "/dinas/koperasi/impor/format.xlsx",
        "/dinas/koperasi/?format=xlsx",
    ):
        assert dinas_client.get(url).status_code == 200, url


def test_registry_edit_is_audited_with_before_and_after(world, plain_coops, dinas_client):
    from kopdig.audit.models import AuditLog

    coop = plain_coops[0]
    resp = dinas_client.post(
        f"/dinas/koperasi/{coop.slug}/ubah/",
        {
            "name": "Koperasi Konsumen Uji Satu",
            "jenis": "konsumen",
            "kelompok": "wanita",
            "bentuk": "primer",
            "kecamatan": "35.13.14",
            "nik": coop.nik,
            "phone": "+62335111222",
        },
    )
    assert resp.status_code == 302
    log = AuditLog.objects.get(cooperative=coop, action="cooperative_update")
    assert (
        log.before["name"] == "Koperasi Konsumen Uji 1" and log.after["name"] == "Koperasi Konsumen Uji Satu"
    )
    assert log.after["kelompok"] == "wanita" and "jenis" not in log.after
    # Another kabupaten's officer cannot edit.
    with pytest.raises(NotAllowed):
        from kopdig.dinas.actions import cooperative_update

        cooperative_update(actor=world.dinas_other, cooperative=coop, name="X")
    coop.refresh_from_db()
    assert coop.name == "Koperasi Konsumen Uji Satu"


def test_officers_and_staff(world, plain_coops, dinas_client):
    from kopdig.dinas.models import CoopOfficer, CoopStaff

    coop = plain_coops[0]
    dinas_client.post(
        f"/dinas/koperasi/{coop.slug}/pengurus/",
        {
            "body": "pengurus",
            "position": "ketua",
            "name": "Hj. Khotimah",
            "term_start": "2023-01-01",
            "term_end": "2027-12-31",
        },
    )
    dinas_client.post(f"/dinas/koperasi/{coop.slug}/karyawan/", {"position": "manajer", "name": "Agus"})
    officer = CoopOfficer.objects.get(cooperative=coop)
    assert officer.term_end == dt.date(2027, 12, 31)
    assert CoopStaff.objects.filter(cooperative=coop, position="manajer").count() == 1
    # A term ending before it starts is refused.
    dinas_client.post(
        f"/dinas/koperasi/{coop.slug}/pengurus/",
        {
            "body": "pengawas",
            "position": "ketua",
            "name": "Salah",
            "term_start": "2023-01-01",
            "term_end": "2022-12-31",
        },
    )
    assert CoopOfficer.objects.filter(cooperative=coop).count() == 1
    page = dinas_client.get(f"/dinas/koperasi/{coop.slug}/")
    assert "Hj. Khotimah" in page.content.decode()
    dinas_client.post(f"/dinas/koperasi/{coop.slug}/pengurus/{officer.code}/hapus/")
    assert not CoopOfficer.objects.filter(cooperative=coop).exists()


def test_a_double_submitted_form_runs_once(world, plain_coops, dinas_client):
    from kopdig.dinas.models import CoopOfficer

    coop = plain_coops[0]
    data = {"body": "pengurus", "position": "bendahara", "name": "Sri Rahayu", "token": "tok-123456"}
    for _ in range(2):
        assert dinas_client.post(f"/dinas/koperasi/{coop.slug}/pengurus/", data).status_code == 302
    assert CoopOfficer.objects.filter(cooperative=coop, name="Sri Rahayu").count() == 1


def test_openapi_lists_the_dinas_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/dinas/coops",
        "/api/v1/dinas/coops/{slug}/annual/{year}",
        "/api/v1/dinas/rat-compliance/{year}",
    } <= set(paths)
