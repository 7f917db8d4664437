"""Query counts of the pages and API reads users open often (issue 19): each stays under a fixed
bound, and the bound does not move when the books grow. Every page is opened on the crawl's world
(a few members, savings, a loan, a month of books), then again after more members, accounts,
deposits, loans, journal entries and cooperatives of the regency (with RAT records and annual
reports) were added through the actions: a query per row (N+1) would show as a higher count.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kopdig.tests.test_crawl import crawl_world  # noqa: F401  (fixture)

SLUG = "ksu-sejahtera"
K = f"/k/{SLUG}"
YEAR = dt.date.today().year - 1

# (role, path, max queries: the count measured on the world plus two). Paths with {acc} / {loan} take
# the anggota's sukarela account and loan.
PAGES = [
    ("pengurus", f"{K}/", 21),
    ("pengurus", f"{K}/anggota/", 9),
    ("pengurus", f"{K}/anggota/00001/", 14),
    ("kasir", f"{K}/simpanan/", 6),
    ("kasir", f"{K}/simpanan/anggota/00001/", 14),
    ("kasir", f"{K}/simpanan/rekening/{{acc}}/", 8),
    ("pengurus", f"{K}/pinjaman/", 8),
    ("pengurus", f"{K}/pinjaman/{{loan}}/", 11),
    ("pengurus", f"{K}/buku/jurnal/", 10),
    ("pengurus", f"{K}/buku/laporan/", 6),
    ("pengurus", f"{K}/buku/laporan/neraca-saldo/", 11),
    ("pengurus", f"{K}/buku/laporan/posisi-keuangan/", 14),
    ("pengurus", f"{K}/buku/laporan/hasil-usaha/", 14),
    ("anggota", f"{K}/saya/", 15),
    ("anggota", f"{K}/saya/simpanan/", 12),
    ("dinas", "/dinas/", 22),  # a rebuild of the snapshot: the dashboard, fingerprint, lookup, store
    ("dinas", "/dinas/koperasi/", 9),
    ("dinas", f"/dinas/koperasi/{SLUG}/", 17),
    ("dinas", "/dinas/rat/", 10),
    ("dinas", f"/dinas/data-tahunan/{YEAR}/", 13),
]
API = [
    ("pengurus", f"/api/v1/coops/{SLUG}/members", 8),
    ("pengurus", f"/api/v1/coops/{SLUG}/members/00001", 7),
    ("pengurus", f"/api/v1/coops/{SLUG}/savings/accounts", 8),
    ("pengurus", f"/api/v1/coops/{SLUG}/savings/accounts/{{acc}}/statement", 8),
    ("pengurus", f"/api/v1/coops/{SLUG}/loans", 8),
    ("pengurus", f"/api/v1/coops/{SLUG}/loans/{{loan}}", 9),
    ("pengurus", f"/api/v1/coops/{SLUG}/accounts", 8),
    ("pengurus", f"/api/v1/coops/{SLUG}/reports/trial-balance", 10),
    ("pengurus", f"/api/v1/coops/{SLUG}/reports/balance-sheet", 13),
    ("dinas", "/api/v1/dinas/coops", 7),
    ("dinas", f"/api/v1/dinas/rat-compliance/{YEAR}", 8),
]


def _user(world, role):
    return world.dinas if role == "dinas" else getattr(world, f"{role}_a")


def _path(world, template):
    from kopdig.loans.models import Loan
    from kopdig.savings.models import SavingsAccount

    if "{acc}" in template:
        acc = SavingsAccount.objects.filter(member=world.member_a, product__code="sukarela").first()
        template = template.replace("{acc}", acc.number)
    if "{loan}" in template:
        template = template.replace("{loan}", Loan.objects.filter(member=world.member_a).first().number)
    return template


def _grow(world, n=4):
    """n more members with a sukarela account, a deposit and a disbursed loan each, n journal
    entries, and n more cooperatives in the regency with a RAT record and an annual report."""
    from kopdig.dinas.models import AnnualReport, RatRecord
    from kopdig.ledger.actions import journal_entry_post
    from kopdig.ledger.posting import Line
    from kopdig.lib.nik import make_nik
    from kopdig.loans.actions import loan_apply, loan_approve, loan_disburse
    from kopdig.loans.models import LoanProduct
    from kopdig.members.actions import member_admit
    from kopdig.savings.actions import savings_account_open, savings_deposit
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative

    coop, kasir, pengurus = world.coop_a, world.kasir_a, world.pengurus_a
    day = dt.date.today() - dt.timedelta(days=20)
    product = LoanProduct.objects.get(cooperative=coop, code="REG")
    for i in range(n):
        member = member_admit(
            actor=kasir,
            cooperative=coop,
            nik=make_nik("35.13.14", dt.date(1981, 1, 2 + i), "P", 20 + i),
            name=f"Anggota Tambahan {i}",
            gender="P",
            joined_on=day,
        )
        account = savings_account_open(
            actor=kasir, cooperative=coop, member_number=member.number, product_code="sukarela", date=day
        ).number
        savings_deposit(actor=kasir, cooperative=coop, account=account, amount=Decimal("100000"), date=day)
        loan = loan_apply(
            actor=kasir,
            cooperative=coop,
            member=member,
            product=product,
            principal=Decimal("1000000"),
            term=4,
            purpose="Modal",
            applied_on=day,
        )
        loan_approve(actor=pengurus, cooperative=coop, number=loan.number, date=day)
        loan_disburse(actor=kasir, cooperative=coop, number=loan.number, date=day)
        journal_entry_post(
            actor=pengurus,
            cooperative=coop,
            date=day,
            memo=f"Biaya {i}",
            lines=[Line("kas", credit=Decimal("1000")), Line("cadangan", debit=Decimal("1000"))],
        )
        other = _create_cooperative(
            kabupaten=world.kab,
            name=f"Koperasi Tambahan {i}",
            slug=f"koperasi-tambahan-{i}",
            jenis=Cooperative.Jenis.KONSUMEN,
            kecamatan=coop.kecamatan,
            on_kopdig=i % 2 == 0,
            founded_on=dt.date(2015, 1, 1),
        )
        RatRecord.objects.create(cooperative=other, year=YEAR, held_on=dt.date(YEAR + 1, 3, 1))
        AnnualReport.objects.create(cooperative=other, year=YEAR, anggota_l=10, anggota_p=12)


def _count(client, path, headers=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path, headers=headers or {})
    assert response.status_code == 200, (path, response.status_code)
    return len(ctx.captured_queries)


@pytest.fixture
def counted(crawl_world, client, api_client):  # noqa: F811
    """Query count of every page and API read, before and after the world grew."""

    def open_all():
        out = {}
        for role, template, _bound in PAGES:
            client.force_login(_user(crawl_world, role))
            out[(role, template)] = _count(client, _path(crawl_world, template))
        tokens = {}
        for role, template, _bound in API:
            if role not in tokens:
                tokens[role] = api_client.as_user(_user(crawl_world, role)).token
            headers = {"Authorization": f"Bearer {tokens[role]}"}
            out[(role, template)] = _count(client, _path(crawl_world, template), headers)
        return out

    before = open_all()
    _grow(crawl_world)
    return before, open_all()


@pytest.mark.django_db
def test_pages_and_api_reads_stay_within_their_query_bound_as_the_books_grow(counted):
    before, after = counted
    over, grew = [], []
    for role, template, bound in PAGES + API:
        key = (role, template)
        if max(before[key], after[key]) > bound:
            over.append(f"{template} ({role}): {before[key]}/{after[key]} queries > {bound}")
        if after[key] > before[key]:
            grew.append(f"{template} ({role}): {before[key]} -> {after[key]} queries")
    assert over == [], "\n".join(over)
    assert grew == [], "\n".join(grew)


@pytest.mark.django_db
def test_loan_list_of_a_larger_cooperative_within_bound(crawl_world, client, django_assert_max_num_queries):  # noqa: F811
    """django_assert_max_num_queries on the grown world, for the list pages with a row per loan,
    member and entry."""
    _grow(crawl_world, n=6)
    client.force_login(crawl_world.pengurus_a)
    for path, bound in [(f"{K}/pinjaman/", 8), (f"{K}/anggota/", 9), (f"{K}/buku/jurnal/", 10)]:
        with django_assert_max_num_queries(bound):
            assert client.get(path).status_code == 200
    client.force_login(crawl_world.dinas)
    for path, bound in [("/dinas/", 22), ("/dinas/rat/", 10), ("/dinas/koperasi/", 9)]:
        with django_assert_max_num_queries(bound):
            assert client.get(path).status_code == 200
