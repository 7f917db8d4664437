"""Issue 12 items 1–2 on the web pages: years and dates out of range never answer 500."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db
K = "/k/ksu-sejahtera/buku"


def _as(user):
    client = Client(raise_request_exception=True)
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "url",
    ["/dinas/rat/?year=0", "/dinas/rat/?year=99999", "/dinas/data-tahunan/0/", "/dinas/data-tahunan/99999/"],
)
def test_dinas_pages_with_a_year_out_of_range_are_404(world, url):
    assert _as(world.dinas).get(url).status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/laporan/neraca-saldo/?date=0001-01-01",
        "/laporan/posisi-keuangan/?date=0002-01-01",
        "/laporan/hasil-usaha/?start=0001-01-01&end=0001-02-01",
        "/laporan/arus-kas/?start=0001-01-01&end=2025-01-01",
        "/buku-besar/?start=0001-01-01&end=0001-01-31",
        "/buku-kas/?start=0001-01-01&end=0001-01-31",
        "/jurnal/?start=0001-01-01&end=0001-01-02",
    ],
)
def test_ledger_pages_with_dates_near_year_one_answer_a_page(world, url):
    resp = _as(world.pengurus_a).get(K + url)
    assert resp.status_code == 200
    assert "0001" not in resp.content.decode().split("<main", 1)[-1][:200]


def test_savings_report_with_a_date_near_year_one_answers_a_page(world):
    assert _as(world.pengurus_a).get("/k/ksu-sejahtera/simpanan/laporan/?date=0001-01-01").status_code == 200
