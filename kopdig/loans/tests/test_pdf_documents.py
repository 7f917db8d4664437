"""The loan PDFs (agreement, card, receipt) rendered by WeasyPrint on the one base, read back as text."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from kopdig.loans.models import Repayment
from kopdig.tests.pdf import pdf_pages, pdf_text

from .conftest import disbursed_loan, make_member, make_product

pytestmark = pytest.mark.django_db
BASE = "/k/ksu-sejahtera/pinjaman/"


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def _repaid_loan(world):
    loan = disbursed_loan(world, make_product(world.pengurus_a, world.coop_a))
    c = _client(world.kasir_a)
    r = c.post(
        BASE + f"{loan.number}/aksi/repay/",
        {"amount": "1180000", "date": "2025-02-15", "account": "kas", "token": "t-1"},
    )
    assert r.status_code == 302
    return loan, Repayment.objects.get(), c


def test_agreement_reads_whole_words_and_signers(world):
    loan, _rep, c = _repaid_loan(world)
    r = c.get(BASE + f"{loan.number}/perjanjian.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    pages = pdf_pages(r.content)
    text = " ".join(pages)
    assert f"PERJANJIAN PINJAMAN {loan.number}" in text
    assert world.coop_a.name in text and loan.member.name in text
    assert "Provisi / administrasi" in text and "administras-" not in text
    assert "denda, jasa, pokok" in text and "denda,jasa" not in text
    assert "Peminjam" in text and "Pengurus" in text
    assert f"Halaman 1 / {len(pages)}" in pages[0]


def test_card_and_receipt(world):
    loan, rep, c = _repaid_loan(world)
    card = pdf_text(c.get(BASE + f"{loan.number}/kartu.pdf").content)
    assert f"KARTU PINJAMAN {loan.number}" in card and rep.number in card and "Rp 1.180.000,00" in card
    receipt = pdf_text(c.get(BASE + f"kuitansi/{rep.number}.pdf").content)
    assert f"KUITANSI {rep.number}" in receipt and "Rp 1.180.000,00" in receipt
    assert "Penyetor" in receipt and "Penerima" in receipt and loan.member.name in receipt
    assert "Halaman 1 / 1" in receipt


def test_agreement_of_an_application_signs_every_guarantor_in_its_own_column(world):
    from kopdig.loans.actions import loan_apply

    g1, g2 = make_member(world.coop_a, "Bambang Guarantor"), make_member(world.coop_a, "Dewi Penjamin")
    loan = loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=make_product(world.pengurus_a, world.coop_a),
        principal=Decimal("6000000"),
        term=6,
        purpose="Modal",
        applied_on=dt.date(2025, 3, 3),
        guarantors=[g1, g2],
    )
    text = pdf_text(_client(world.kasir_a).get(BASE + f"{loan.number}/perjanjian.pdf").content)
    block = text[text.index("Kabupaten Probolinggo, 3 Maret 2025") :]
    # One column per signer: role, then the name under the line (the board's is blank until approval).
    assert block.startswith(
        f"Kabupaten Probolinggo, 3 Maret 2025 Peminjam {world.member_a.name} "
        f"Penjamin {g1.name} Penjamin {g2.name} Pengurus {world.coop_a.name} Halaman 1 / 1"
    )
