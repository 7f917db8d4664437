"""SHU pages and API: access, HTMX recompute, export, slip, the API's simulate and member read."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from kopdig.shu import actions
from kopdig.shu.models import ShuYear

from . import factories as f

D = Decimal
pytestmark = pytest.mark.django_db

ALLOC = [
    {"name": "Cadangan", "percent": "50", "role": "cadangan"},
    {"name": "JM", "percent": "20", "role": "jasa_modal"},
    {"name": "JU", "percent": "30", "role": "jasa_usaha"},
]


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_api_simulate_domain_example(world, api_client):
    coop, year = world.coop_a, f.last_year()
    m1 = world.member_a
    m2 = f.member(coop, "00002")
    f.simpanan(coop, m1, "pokok", "500000", dt.date(year - 1, 6, 1))
    f.simpanan(coop, m2, "wajib", "9500000", dt.date(year - 1, 6, 1))
    f.volume(coop, year, m1, "1000000")
    f.volume(coop, year, m2, "14000000")
    actions.shu_year_save(actor=world.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    api_client.as_user(world.manajer_a)
    resp = api_client.post(
        f"/api/v1/coops/{coop.slug}/shu/simulate", {"year": year, "shu": "2000000", "allocation": ALLOC}
    )
    assert resp.status_code == 200, resp.content
    body = resp.json()
    assert (body["jm_pool"], body["ju_pool"]) == ("400000.00", "600000.00")
    m = body["members"][0]
    assert (m["number"], m["jm"], m["ju"], m["total"]) == ("00001", "20000.00", "40000.00", "60000.00")


def test_api_simulate_refuses_bad_allocation(world, api_client):
    api_client.as_user(world.pengurus_a)
    url = f"/api/v1/coops/{world.coop_a.slug}/shu/simulate"
    bad = [dict(ALLOC[0], percent="49"), ALLOC[1], ALLOC[2]]
    resp = api_client.post(url, {"year": 2025, "shu": "1000", "allocation": bad})
    assert resp.status_code == 422 and "100%" in resp.json()["detail"]
    resp = api_client.post(
        url, {"year": 2025, "shu": "1000", "allocation": [ALLOC[0], ALLOC[1], dict(ALLOC[2], role="other")]}
    )
    assert resp.status_code == 422 and "jasa usaha" in resp.json()["detail"]
    assert not ShuYear.objects.exists()


def test_api_other_coop_and_anggota(world, api_client, shu_world):
    w = shu_world
    api_client.as_user(w.pengurus_b)
    assert api_client.post(f"/api/v1/coops/{w.coop_a.slug}/shu/simulate", {"year": w.year}).status_code == 404
    api_client.as_user(w.anggota_a)
    assert api_client.post(f"/api/v1/coops/{w.coop_a.slug}/shu/simulate", {"year": w.year}).status_code == 403


def _distributed(w):
    coop, year = w.coop_a, w.year
    actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_approve(
        actor=w.pengurus_a, cooperative=coop, year=year, rat_date=f.rat_date(year), rat_reference="RAT-1"
    )
    actions.shu_allocate(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_distribute(actor=w.pengurus_a, cooperative=coop, year=year, date=f.rat_date(year))


def test_api_member_share_own_only(shu_world, api_client):
    w = shu_world
    _distributed(w)
    api_client.as_user(w.anggota_a)
    resp = api_client.get(f"/api/v1/coops/{w.coop_a.slug}/shu/{w.year}/members/00001")
    assert resp.status_code == 200 and resp.json()["total"] == "150000.00" and resp.json()["status"] == "paid"
    assert api_client.get(f"/api/v1/coops/{w.coop_a.slug}/shu/{w.year}/members/00002").status_code == 404
    api_client.as_user(w.pengurus_b)
    assert api_client.get(f"/api/v1/coops/{w.coop_a.slug}/shu/{w.year}/members/00001").status_code == 404


def test_year_page_recompute_and_export(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    c = _client(w.manajer_a)
    resp = c.get(f"/k/{coop.slug}/shu/{year}/")
    assert resp.status_code == 200 and b"150.000,00" in resp.content
    form = {
        "line_name": ["Cadangan", "JM", "JU"],
        "line_percent": ["50", "25", "25"],
        "line_role": ["cadangan", "jasa_modal", "jasa_usaha"],
        "line_account": ["cadangan", "dana_shu_anggota", "dana_shu_anggota"],
        "transaksi_basis": "volume",
        "simpanan_kinds": ["pokok", "wajib"],
        "simpanan_basis": "average",
    }
    resp = c.post(f"/k/{coop.slug}/shu/{year}/hitung/", form, HTTP_HX_REQUEST="true")
    assert resp.status_code == 200
    assert b"187.500,00" in resp.content  # 00001: JM 62,500 + JU 125,000 with 25/25
    assert list(ShuYear.objects.get().lines.values_list("percent", flat=True))[0] == D("40")  # not saved
    resp = c.post(f"/k/{coop.slug}/shu/{year}/hitung/", dict(form, line_percent=["50", "25", "20"]))
    assert "100%" in resp.content.decode()
    resp = c.get(f"/k/{coop.slug}/shu/{year}/excel/")
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxml")


def test_pages_roles(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    base = f"/k/{coop.slug}/shu/{year}/"
    assert _client(w.anggota_a).post(base + "tutup-buku/").status_code == 403
    assert _client(w.dinas).post(base + "tutup-buku/").status_code == 403
    assert _client(w.dinas).get(base).status_code == 200
    assert _client(w.kasir_a).post(base + "bagikan/").status_code == 403
    assert _client(w.pengurus_b).get(base).status_code == 404
    assert not ShuYear.objects.filter(status="closed").exists()
    resp = _client(w.pengurus_a).post(base + "tutup-buku/")
    assert resp.status_code == 302 and ShuYear.objects.get().status == "closed"


def test_slip_and_member_widget(shu_world):
    w = shu_world
    _distributed(w)
    c = _client(w.anggota_a)
    resp = c.get(f"/k/{w.coop_a.slug}/shu/{w.year}/anggota/00001/slip.pdf")
    assert resp.status_code == 200 and resp["Content-Type"] == "application/pdf"
    assert c.get(f"/k/{w.coop_a.slug}/shu/{w.year}/anggota/00002/slip.pdf").status_code == 404
    from kopdig.shu.apps import member_widget

    widget = member_widget(w.coop_a, w.anggota_a)
    assert widget["context"]["shares"][0].net == D("150000.00")


def test_management_command_resumes(shu_world):
    from django.core.management import call_command

    w = shu_world
    coop, year = w.coop_a, w.year
    actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_approve(
        actor=w.pengurus_a, cooperative=coop, year=year, rat_date=f.rat_date(year), rat_reference="R"
    )
    actions.shu_allocate(actor=w.pengurus_a, cooperative=coop, year=year)
    call_command(
        "shu_distribute", "--coop", coop.slug, "--year", str(year), "--date", f.rat_date(year).isoformat()
    )
    assert ShuYear.objects.get().status == "distributed"
    call_command("shu_distribute", "--coop", coop.slug, "--year", str(year))  # again: nothing paid twice
    assert ShuYear.objects.get().distribute_done == 4


def test_pages_render_at_every_stage(shu_world):
    w = shu_world
    coop, year = w.coop_a, w.year
    c = _client(w.pengurus_a)
    base = f"/k/{coop.slug}/shu/"
    assert c.get(base).status_code == 200
    assert c.get(base + f"{year}/volume/").status_code == 200
    assert c.get(base + f"{year}/volume/contoh.xlsx").status_code == 200
    actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    steps = [
        ("tutup-buku/", {}, "closed"),
        ("keputusan-rat/", {"rat_date": f.rat_date(year).isoformat(), "rat_reference": "RAT/01"}, "approved"),
        ("alokasi/", {}, "allocated"),
        ("bagikan/", {"method": "tunai", "date": f.rat_date(year).isoformat()}, "distributed"),
    ]
    for url, data, status in steps:
        resp = c.post(base + f"{year}/" + url, data)
        assert resp.status_code == 302
        assert ShuYear.objects.get().status == status, url
        page = c.get(base + f"{year}/")
        assert page.status_code == 200
    assert b"RAT/01" in page.content and "Utang kepada mantan anggota" in page.content.decode()
    resp = c.post(base + f"{year}/anggota/00004/bayar/")
    assert resp.status_code == 302
    from kopdig.shu.models import ShuMemberShare

    assert ShuMemberShare.objects.get(member__number="00004").status == "paid"
    resp = c.get(base + f"{year}/excel/")
    assert resp.status_code == 200
    import io

    from kopdig.lib.documents import read_xlsx_rows

    header, rows = read_xlsx_rows(io.BytesIO(resp.content))
    assert header[0] == "No. anggota" and len(rows) == 4
    assert rows[0][1]["No. anggota"] == "00001" and rows[0][1]["Jumlah SHU"] == 150000
    from django.conf import settings

    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    resp = c.get(base + f"{year}/")
    assert resp.status_code == 200 and "Members' SHU shares (approved)" in resp.content.decode()


def test_volume_import_page(shu_world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from kopdig.lib.documents import xlsx_bytes
    from kopdig.shu.models import MemberVolume

    w = shu_world
    c = _client(w.pengurus_a)
    data = xlsx_bytes([("V", ["no_anggota", "jenis", "jumlah"], [["00002", "penyerahan", 250000]])])
    resp = c.post(f"/k/{w.coop_a.slug}/shu/{w.year}/volume/", {"file": SimpleUploadedFile("v.xlsx", data)})
    assert resp.status_code == 302
    assert MemberVolume.objects.get(member__number="00002", kind="penyerahan").amount == D("250000.00")
    bad = xlsx_bytes(
        [("V", ["no_anggota", "jenis", "jumlah"], [["00002", "penyerahan", 1], ["77777", "pembelian", 5]])]
    )
    resp = c.post(f"/k/{w.coop_a.slug}/shu/{w.year}/volume/", {"file": SimpleUploadedFile("v.xlsx", bad)})
    assert resp.status_code == 200 and "77777" in resp.content.decode()
    assert MemberVolume.objects.get(member__number="00002", kind="penyerahan").amount == D("250000.00")


@pytest.mark.django_db(transaction=True)
def test_large_distribution_runs_as_background_task(shu_world, monkeypatch):
    from django.core.management import call_command

    from kopdig.shu import views

    w = shu_world
    coop, year = w.coop_a, w.year
    actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_approve(
        actor=w.pengurus_a, cooperative=coop, year=year, rat_date=f.rat_date(year), rat_reference="R"
    )
    actions.shu_allocate(actor=w.pengurus_a, cooperative=coop, year=year)
    monkeypatch.setattr(views, "INLINE_LIMIT", 1)
    resp = _client(w.manajer_a).post(
        f"/k/{coop.slug}/shu/{year}/bagikan/", {"method": "tunai", "date": f.rat_date(year).isoformat()}
    )
    assert resp.status_code == 302
    assert ShuYear.objects.get().status == "allocated"  # queued, not yet run
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    sy = ShuYear.objects.get()
    assert sy.status == "distributed" and sy.distribute_done == 4


def test_year_page_queries_do_not_grow_with_members(shu_world, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = shu_world
    coop, year = w.coop_a, w.year
    actions.shu_year_save(actor=w.pengurus_a, cooperative=coop, year=year, transaksi_basis="volume")
    c = _client(w.pengurus_a)
    url = f"/k/{coop.slug}/shu/{year}/"

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert c.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    for i in range(5, 35):
        m = f.member(coop, f"{i:05d}")
        f.simpanan(coop, m, "pokok", "100000", dt.date(year - 1, 12, 1))
        f.volume(coop, year, m, "1000")
    assert count() == small  # simulation page
    actions.shu_year_close(actor=w.pengurus_a, cooperative=coop, year=year)
    actions.shu_approve(
        actor=w.pengurus_a, cooperative=coop, year=year, rat_date=f.rat_date(year), rat_reference="R"
    )
    approved = count()
    f.member(coop, "00099")
    with django_assert_max_num_queries(approved):
        c.get(url)
    assert approved <= small + 10


def test_coop_home_widget(shu_world):
    w = shu_world
    actions.shu_year_save(actor=w.pengurus_a, cooperative=w.coop_a, year=w.year, transaksi_basis="volume")
    resp = _client(w.kasir_a).get(f"/k/{w.coop_a.slug}/")
    assert resp.status_code == 200 and 'data-testid="shu-widget"' in resp.content.decode()


def test_double_submit_runs_once(shu_world):
    from kopdig.audit.models import AuditLog

    w = shu_world
    coop, year = w.coop_a, w.year
    c = _client(w.pengurus_a)
    page = c.get(f"/k/{coop.slug}/shu/{year}/").content.decode()
    assert 'name="token"' in page
    url = f"/k/{coop.slug}/shu/{year}/tutup-buku/"
    first = c.post(url, {"token": "t-123"}, follow=True)
    n = AuditLog.objects.filter(action="shu_year_close").count()
    second = c.post(url, {"token": "t-123"}, follow=True)
    assert n == 1 and AuditLog.objects.filter(action="shu_year_close").count() == 1
    msgs = [(m.level_tag, str(m)) for r in (first, second) for m in r.context["messages"]]
    assert msgs == [("success", f"Tahun buku {year} ditutup.")] * 2


def test_api_member_list(shu_world, api_client):
    w = shu_world
    _distributed(w)
    api_client.as_user(w.pengawas_a)
    resp = api_client.get(f"/api/v1/coops/{w.coop_a.slug}/shu/{w.year}/members", {"limit": 2, "offset": 2})
    assert resp.status_code == 200
    body = resp.json()
    assert body["count"] == 4 and [i["number"] for i in body["items"]] == ["00003", "00004"]
    assert body["items"][1]["status"] == "payable"
    api_client.as_user(w.anggota_a)
    assert api_client.get(f"/api/v1/coops/{w.coop_a.slug}/shu/{w.year}/members").status_code == 403
