"""The Dinas home page: aggregated in SQL, bounded queries, charts without external JavaScript."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kopdig.dinas.models import AnnualReport, RatRecord
from kopdig.tenancy.models import Cooperative, Region

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1


def _add_coops(kab, start, n):
    kecs = list(Region.objects.filter(parent=kab))
    coops = Cooperative.objects.bulk_create(
        [
            Cooperative(
                name=f"Kop {i}",
                slug=f"kop-{i}",
                jenis=["konsumen", "produsen", "simpan_pinjam"][i % 3],
                kelompok=["umum", "wanita"][i % 2],
                kabupaten=kab,
                kecamatan=kecs[i % len(kecs)],
                status=["aktif", "tidak_aktif"][i % 4 == 0],
            )
            for i in range(start, start + n)
        ]
    )
    AnnualReport.objects.bulk_create(
        [
            AnnualReport(
                cooperative=c,
                year=y,
                anggota_l=10,
                anggota_p=12,
                aset=Decimal("1000000.00"),
                volume_usaha=Decimal("2000000.00"),
                shu=Decimal("100000.00"),
            )
            for c in coops
            for y in range(YEAR - 9, YEAR + 1)
        ]
    )
    RatRecord.objects.bulk_create(
        [
            RatRecord(cooperative=c, year=y, held_on=dt.date(y + 1, 3, 1), source="dinas")
            for c in coops
            for y in range(YEAR - 9, YEAR + 1)
            if c.status == "aktif"
        ]
    )


def _count(client):
    with CaptureQueriesContext(connection) as ctx:
        resp = client.get("/dinas/")
    assert resp.status_code == 200
    return len(ctx.captured_queries), resp


def test_dashboard_query_count_does_not_grow_with_cooperatives(
    world, dinas_client, django_assert_max_num_queries
):
    _add_coops(world.kab, 0, 10)
    n10, resp = _count(dinas_client)
    _add_coops(world.kab, 10, 90)
    n100, resp = _count(dinas_client)
    assert n10 == n100
    with django_assert_max_num_queries(n10):
        dinas_client.get("/dinas/")
    d = resp.context["d"]
    assert d["total"] == 102
    last = d["totals"][-1]
    assert last["aset"] >= Decimal("100000000.00") and last["anggota"] >= 2200
    html = resp.content.decode()
    assert "<svg" in html and "kozea.github.io" not in html and '<script src="http' not in html
    assert "window.pygal" not in html
    assert "/dinas/koperasi/?jenis=konsumen" in html  # click-through from the charts and tables
    assert "??" not in html


def test_dashboard_totals_and_counts(world, plain_coops):
    from kopdig.dinas import actions, selectors

    actions.annual_report_save(
        actor=world.dinas,
        cooperative=plain_coops[0],
        year=YEAR,
        anggota_l=5,
        anggota_p=6,
        aset="1000.00",
        volume_usaha="2000.00",
        shu="30.00",
    )
    d = selectors.dashboard({world.kab.pk})
    last = d["totals"][-1]
    assert last["year"] == YEAR and last["anggota"] == 11 + 1  # + member_a of coop A (books)
    assert last["aset"] == Decimal("1000.00") and last["shu"] == Decimal("30.00")
    assert {r["key"]: r["n"] for r in d["by_jenis"]} == {"konsumen": 3, "serba_usaha": 1, "simpan_pinjam": 1}
    assert d["on_kopdig"] == 2 and d["not_on_kopdig"] == 3


def test_chart_memo_is_keyed_by_the_data():
    from kopdig.lib import charts

    one = charts.bar("Jenis", [{"label": "Konsumen", "n": 1}], href=lambda r: "/a")
    assert charts.bar("Jenis", [{"label": "Konsumen", "n": 1}], href=lambda r: "/a") == one
    two = charts.bar("Jenis", [{"label": "Konsumen", "n": 2}], href=lambda r: "/a")
    other_link = charts.bar("Jenis", [{"label": "Konsumen", "n": 1}], href=lambda r: "/b")
    assert len({one, two, other_link}) == 3
    assert "<script" not in one and "<svg" in one
