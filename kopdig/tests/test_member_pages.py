"""Issue 14 item 10: the anggota never sees a staff-only field. For every member-facing page (home,
savings, passbook, kuitansi, loan detail, loan simulation) the page answers 200 and renders none of
the staff-only labels or values (the loan's analysis notes, the write-off proposal, staff actions);
the same loan page shown to the pengurus does render them, so the check can fail."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

NOTES = "Usaha warung ramai, agunan BPKB atas nama suami"
STAFF_ONLY = [
    NOTES,
    "Catatan analisis",
    "Simpan analisis",
    "Usulan hapus buku",
    'data-testid="loan-actions"',
    "Transaksi lagi",
    "Volume transaksi",
]


@pytest.fixture
def member_world(world):
    from kopdig.loans.actions import loan_analyze, loan_apply, loan_product_save
    from kopdig.savings.actions import savings_account_open, savings_deposit, savings_products_setup

    coop, kasir, pengurus = world.coop_a, world.kasir_a, world.pengurus_a
    day = dt.date.today() - dt.timedelta(days=10)
    savings_products_setup(actor=pengurus, cooperative=coop)
    account = savings_account_open(
        actor=kasir, cooperative=coop, member_number=world.member_a.number, product_code="sukarela", date=day
    ).number
    receipt = savings_deposit(
        actor=kasir, cooperative=coop, account=account, amount=Decimal("300000"), date=day
    )
    product = loan_product_save(
        actor=pengurus,
        cooperative=coop,
        code="REG",
        name="Pinjaman Reguler",
        method="flat",
        rate_percent=Decimal("1.5"),
        min_term=1,
        max_term=36,
        max_amount=Decimal("100000000"),
        provisi_kind="persen",
        provisi_value=Decimal("1"),
        admin_kind="tetap",
        admin_value=Decimal("50000"),
    )
    loan = loan_apply(
        actor=kasir,
        cooperative=coop,
        member=world.member_a,
        product=product,
        principal=Decimal("3000000"),
        term=6,
        purpose="Modal usaha",
        applied_on=day,
    )
    loan_analyze(actor=kasir, cooperative=coop, number=loan.number, notes=NOTES)
    world.account, world.receipt, world.loan = account, receipt, loan
    return world


def _pages(w):
    slug = w.coop_a.slug
    return [
        f"/k/{slug}/saya/",
        f"/k/{slug}/saya/simpanan/",
        f"/k/{slug}/simpanan/rekening/{w.account}/",
        f"/k/{slug}/simpanan/kuitansi/{w.receipt.number}/",
        f"/k/{slug}/pinjaman/{w.loan.number}/",
        f"/k/{slug}/pinjaman/simulasi/",
    ]


def _text(resp):
    return re.sub(r"\s+", " ", resp.content.decode())


def test_member_pages_render_no_staff_only_field(member_world):
    c = Client()
    c.force_login(member_world.anggota_a)
    for url in _pages(member_world):
        resp = c.get(url)
        assert resp.status_code == 200, url
        shown = [s for s in STAFF_ONLY if s in _text(resp)]
        assert shown == [], (url, shown)


def test_staff_see_the_analysis_the_member_does_not(member_world):
    c = Client()
    c.force_login(member_world.pengurus_a)
    page = _text(c.get(f"/k/{member_world.coop_a.slug}/pinjaman/{member_world.loan.number}/"))
    assert NOTES in page and "Catatan analisis" in page
