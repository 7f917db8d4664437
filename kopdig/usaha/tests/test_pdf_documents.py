"""The business unit's PDFs (sale nota, report) on the one base, read back as text."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from kopdig.tests.pdf import pdf_text

from .. import actions
from ..models import Sale

pytestmark = pytest.mark.django_db


@pytest.fixture
def stocked(shop):
    actions.purchase_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=dt.date.today(),
        supplier_name="UD",
        lines=[{"product": "beras", "qty": 10, "unit_cost": "50000"}],
    )
    return shop


def test_nota_and_report_read_back(stocked):
    c = Client()
    c.force_login(stocked.kasir_a)
    slug = stocked.coop_a.slug
    c.post(
        f"/k/{slug}/usaha/kasir/",
        {
            "product": ["beras Beras 5 kg", ""],
            "qty": ["2", ""],
            "member": "00001",
            "payment": "tunai",
            "discount": "0",
        },
    )
    sale = Sale.objects.get(cooperative=stocked.coop_a)
    assert sale.total == Decimal("120000.00")
    nota = pdf_text(c.get(f"/k/{slug}/usaha/penjualan/{sale.number}/nota.pdf").content)
    assert nota.startswith(stocked.coop_a.name) and f"Nota penjualan / kuitansi {sale.number}" in nota
    assert (
        "Beras 5 kg 2 karung Rp 60.000,00 Rp 120.000,00" in nota and "seratus dua puluh ribu rupiah" in nota
    )
    assert nota.endswith(f"{stocked.coop_a.name} Halaman 1 / 1")
    c.force_login(stocked.pengurus_a)
    report = pdf_text(c.get(f"/k/{slug}/usaha/laporan/", {"format": "pdf"}).content)
    assert "Laporan unit usaha" in report and "Nilai persediaan: Rp 400.000,00" in report
    assert report.endswith(f"{stocked.coop_a.name} Halaman 1 / 1")
