"""The savings receipt, the passbook and the member card, rendered by WeasyPrint on the one base, read back."""

import datetime as dt

import pytest
from django.urls import reverse

from kopdig.savings import actions
from kopdig.savings.models import Receipt
from kopdig.tests.pdf import pdf_text

pytestmark = pytest.mark.django_db
SLUG = "ksu-sejahtera"


@pytest.fixture
def data(world, admit, sukarela):
    m = admit()
    number = sukarela(m)
    actions.savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=number,
        amount="500000",
        date=dt.date(2025, 1, 3),
    )
    return m, number


def test_receipt_pdf_has_letterhead_amount_in_words_and_signers(world, data, client):
    m, _number = data
    r = Receipt.objects.filter(cooperative=world.coop_a, amount=500000).get()
    client.force_login(world.kasir_a)
    text = pdf_text(client.get(reverse("savings:receipt", args=[SLUG, r.number]) + "?pdf=1").content)
    assert text.startswith(world.coop_a.name)
    assert f"KUITANSI {r.number}" in text and "Rp 500.000,00" in text and "Lima ratus ribu rupiah" in text
    assert text.endswith(
        f"Anggota {m.name} Kasir {world.kasir_a.display_name} {world.coop_a.name} Halaman 1 / 1"
    )


def test_passbook_pdf_lists_movements_with_balances(world, data, client):
    _m, number = data
    client.force_login(world.kasir_a)
    text = pdf_text(client.get(reverse("savings:passbook", args=[SLUG, number]) + "?pdf=1").content)
    assert f"BUKU SIMPANAN {number}" in text and "03-01-2025" in text
    assert "Saldo akhir: Rp 500.000,00" in text and text.endswith("Halaman 1 / 1")


def test_member_card_pdf_is_one_card_without_page_footer(world, data, client):
    m, _number = data
    client.force_login(world.kasir_a)
    text = pdf_text(client.get(reverse("members:card", args=[SLUG, m.number])).content)
    assert text.startswith(f"KARTU ANGGOTA · {world.coop_a.name} {m.number}")
    assert m.name in text and m.nik in text and "Halaman" not in text
