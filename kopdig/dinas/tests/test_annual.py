"""Annual figures: computed from the books for a cooperative on Kopdig (equal to the ledger's
statements), reported for the others, each with its source."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction

from kopdig.dinas import actions, selectors
from kopdig.lib.errors import DomainError, NotAllowed

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1


def _post(coop, date, memo, *lines, source_type="manual"):
    from kopdig.ledger.posting import Line, post

    with transaction.atomic():
        post(
            cooperative=coop,
            date=date,
            memo=memo,
            source_type=source_type,
            lines=[Line(acc, debit=Decimal(d), credit=Decimal(c)) for acc, d, c in lines],
        )


@pytest.fixture
def books(world):
    coop = world.coop_a
    d = dt.date
    _post(
        coop,
        d(YEAR - 1, 12, 31),
        "Saldo awal",
        ("kas", "10000000.00", "0"),
        ("simpanan_wajib", "0", "6000000.00"),
        ("simpanan_sukarela", "0", "4000000.00"),
        source_type="opening",
    )
    _post(
        coop,
        d(YEAR - 1, 12, 31),
        "Jasa pinjaman tahun lalu",
        ("kas", "100000.00", "0"),
        ("pendapatan_jasa_pinjaman", "0", "100000.00"),
    )
    _post(
        coop,
        d(YEAR, 2, 10),
        "Jasa pinjaman",
        ("kas", "750000.50", "0"),
        ("pendapatan_jasa_pinjaman", "0", "750000.50"),
    )
    _post(coop, d(YEAR, 3, 5), "Provisi", ("kas", "25000.00", "0"), ("pendapatan_provisi", "0", "25000.00"))
    _post(coop, d(YEAR, 6, 30), "Gaji", ("beban_gaji", "300000.25", "0"), ("kas", "0", "300000.25"))
    _post(
        coop,
        d(YEAR, 12, 31),
        "Setoran sukarela",
        ("kas", "1000000.00", "0"),
        ("simpanan_sukarela", "0", "1000000.00"),
    )
    _post(
        coop,
        d(YEAR + 1, 1, 3),
        "Tahun berikutnya",
        ("kas", "5000.00", "0"),
        ("pendapatan_provisi", "0", "5000.00"),
    )
    return coop


def test_figures_from_books_equal_the_ledger_statements(world, books):
    from kopdig.ledger.models import Account
    from kopdig.ledger.selectors import balances_at
    from kopdig.ledger.statements import statement_totals
    from kopdig.loans.selectors import disbursed_total

    a = selectors.annual_figures(books, YEAR)
    end = dt.date(YEAR, 12, 31)
    totals = statement_totals(books, end, dt.date(YEAR, 1, 1))
    types = dict(Account.objects.filter(cooperative=books).values_list("id", "type"))
    by_type = {t: Decimal("0.00") for t in Account.Type.values}
    for acc, amount in balances_at(books, end).items():
        by_type[types[acc]] += amount

    assert a.value("aset") == totals["total_aset"] == by_type["aset"] == Decimal("11575000.25")
    assert a.value("modal_luar") == totals["total_kewajiban"] == Decimal("5000000.00")
    # Equity includes the result not yet closed: 6,000,000 + 100,000 (last year) + 475,000.25 (this year).
    assert a.value("modal_sendiri") == totals["total_ekuitas"] == Decimal("6575000.25")
    assert a.value("modal_sendiri") == by_type["ekuitas"] + by_type["pendapatan"] - by_type["beban"]
    assert a.value("shu") == totals["shu"] == Decimal("475000.25")
    # Volume usaha: the year's revenue plus loans disbursed (coop_a has a USP).
    loans = disbursed_total(books, dt.date(YEAR, 1, 1), end)
    assert a.value("volume_usaha") == Decimal("775000.50") + loans
    assert a.value("anggota_p") == 1 and a.value("anggota_l") == 0  # member_a, joined 2024
    assert {f.source for f in a.figures.values()} == {"books"}


def test_bulk_figures_equal_the_single_cooperative_figures(world, books):
    for year in (YEAR - 1, YEAR):
        one = selectors.book_figures_one(books, year)
        bulk = selectors.book_figures_bulk([books], [YEAR - 1, YEAR])[(books.pk, year)]
        assert {k: one[k] for k in selectors.FIGURES} == {k: bulk[k] for k in selectors.FIGURES}


def test_staff_list_gives_manajer_and_karyawan_at_year_end(world, books):
    actions.coop_staff_save(
        actor=world.dinas, cooperative=books, position="manajer", name="Budi", since=dt.date(YEAR - 3, 1, 1)
    )
    actions.coop_staff_save(
        actor=world.pengurus_a, cooperative=books, position="karyawan", name="Ani", since=dt.date(YEAR, 5, 1)
    )
    actions.coop_staff_save(
        actor=world.dinas,
        cooperative=books,
        position="karyawan",
        name="Lama",
        since=dt.date(YEAR - 3, 1, 1),
        until=dt.date(YEAR, 2, 1),
    )
    a = selectors.annual_figures(books, YEAR)
    assert (a.value("manajer"), a.value("karyawan")) == (1, 1)
    prev = selectors.annual_figures(books, YEAR - 1)
    assert (prev.value("manajer"), prev.value("karyawan")) == (1, 1)


def test_reported_figures_for_a_cooperative_not_on_kopdig(world, plain_coops, api_client):
    coop = plain_coops[0]
    actions.annual_report_save(
        actor=world.dinas,
        cooperative=coop,
        year=YEAR,
        anggota_l=40,
        anggota_p=35,
        aset="125000000.00",
        shu="-1500000.50",
    )
    a = selectors.annual_figures(coop, YEAR)
    assert a.value("aset") == Decimal("125000000.00") and a.value("shu") == Decimal("-1500000.50")
    assert a.figures["aset"].source == "reported" and a.figures["aset"].reported_by == "dinas"
    assert a.figures["volume_usaha"].source is None
    data = api_client.as_user(world.dinas).get(f"/api/v1/dinas/coops/{coop.slug}/annual/{YEAR}").json()
    assert data["figures"]["aset"] == {"value": "125000000.00", "source": "reported"}
    assert data["figures"]["anggota_l"] == {"value": 40, "source": "reported"}
    assert data["figures"]["modal_luar"] == {"value": None, "source": None}


def test_api_annual_from_books_says_books(world, books, api_client):
    data = api_client.as_user(world.dinas).get(f"/api/v1/dinas/coops/{books.slug}/annual/{YEAR}").json()
    assert data["figures"]["aset"] == {"value": "11575000.25", "source": "books"}
    assert data["figures"]["shu"] == {"value": "475000.25", "source": "books"}


def test_reporting_rules(world, plain_coops):
    from kopdig.dinas.models import AnnualReport
    from kopdig.tenancy.models import Role

    coop = plain_coops[1]
    with pytest.raises(DomainError):  # books coop: computed, never reported
        actions.annual_report_save(actor=world.dinas, cooperative=world.coop_a, year=YEAR, aset="1")
    with pytest.raises(NotAllowed):  # another kabupaten's officer
        actions.annual_report_save(actor=world.dinas_other, cooperative=coop, year=YEAR, aset="1")
    with pytest.raises(NotAllowed):  # pengurus of another cooperative
        actions.annual_report_save(actor=world.pengurus_b, cooperative=coop, year=YEAR, aset="1")
    with pytest.raises(DomainError):  # negative assets
        actions.annual_report_save(actor=world.dinas, cooperative=coop, year=YEAR, aset="-1")
    with pytest.raises(DomainError):  # a year not yet over
        actions.annual_report_save(actor=world.dinas, cooperative=coop, year=YEAR + 1, aset="1")
    assert not AnnualReport.objects.filter(cooperative=coop).exists()
    # The cooperative's own pengurus reports for it.
    Role.objects.create(cooperative=coop, user=world.pengurus_b, kind="pengurus")
    report = actions.annual_report_save(actor=world.pengurus_b, cooperative=coop, year=YEAR, anggota_l=3)
    assert report.sources == {"anggota_l": "pengurus"}


def test_annual_form_and_year_page(world, plain_coops, dinas_client):
    coop = plain_coops[0]
    resp = dinas_client.post(
        f"/dinas/koperasi/{coop.slug}/tahunan/{YEAR}/",
        {"anggota_l": "10", "anggota_p": "12", "aset": "5000000", "volume_usaha": "7000000.50"},
    )
    assert resp.status_code == 302
    assert selectors.annual_figures(coop, YEAR).value("volume_usaha") == Decimal("7000000.50")
    page = dinas_client.get(f"/dinas/data-tahunan/{YEAR}/")
    assert page.status_code == 200
    export = dinas_client.get(f"/dinas/data-tahunan/{YEAR}/", {"format": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_volume_usaha_adds_the_loans_disbursed_in_the_year(world, books):
    from kopdig.ledger.statements import statement_totals
    from kopdig.loans.actions import loan_apply, loan_approve, loan_disburse, loan_product_save
    from kopdig.loans.selectors import disbursed_total

    product = loan_product_save(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
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
    date = dt.date(YEAR, 4, 15)
    loan = loan_apply(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member=world.member_a,
        product=product,
        principal=Decimal("4000000.00"),
        term=10,
        purpose="Modal warung",
        applied_on=date,
    )
    loan_approve(actor=world.pengurus_a, cooperative=world.coop_a, number=loan.number, date=date)
    loan_disburse(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        number=loan.number,
        date=date,
        first_due_date=dt.date(YEAR, 5, 15),
    )
    assert disbursed_total(books, dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31)) == Decimal("4000000.00")
    revenue = statement_totals(books, dt.date(YEAR, 12, 31), dt.date(YEAR, 1, 1))["pendapatan"]
    one = selectors.book_figures_one(books, YEAR)
    assert one["volume_usaha"] == revenue + Decimal("4000000.00")
    bulk = selectors.book_figures_bulk([books], [YEAR])[(books.pk, YEAR)]
    assert (
        bulk["volume_usaha"] == one["volume_usaha"]
        and bulk["shu"] == one["shu"]
        and bulk["aset"] == one["aset"]
    )


def test_pengurus_keeps_the_staff_list_and_reports_figures(world, plain_coops):
    from kopdig.dinas.models import CoopStaff
    from kopdig.tenancy.models import Role

    from .conftest import login

    client = login(world.pengurus_a)
    resp = client.post(
        f"/dinas/lapor/{world.coop_a.slug}/karyawan/",
        {"position": "karyawan", "name": "Rina", "since": f"{YEAR}-02-01"},
    )
    assert resp.status_code == 302
    assert selectors.annual_figures(world.coop_a, YEAR).value("karyawan") == 1
    staff = CoopStaff.objects.get(cooperative=world.coop_a)
    assert client.get(f"/dinas/lapor/{world.coop_a.slug}/").status_code == 200
    # Another cooperative's pengurus cannot touch it; a kasir gets 403.
    assert (
        login(world.pengurus_b)
        .post(f"/dinas/lapor/{world.coop_a.slug}/karyawan/{staff.code}/hapus/")
        .status_code
        == 404
    )
    assert login(world.kasir_a).get(f"/dinas/lapor/{world.coop_a.slug}/").status_code == 403
    assert CoopStaff.objects.filter(cooperative=world.coop_a).count() == 1
    # The pengurus of a cooperative not on Kopdig reports its figures through the form.
    coop = plain_coops[0]
    Role.objects.create(cooperative=coop, user=world.pengurus_b, kind="pengurus")
    resp = login(world.pengurus_b).post(
        f"/dinas/lapor/{coop.slug}/tahunan/{YEAR}/", {"anggota_l": "7", "shu": "1250.75"}
    )
    assert resp.status_code == 302
    a = selectors.annual_figures(coop, YEAR)
    assert a.value("shu") == Decimal("1250.75") and a.figures["shu"].reported_by == "pengurus"


def test_year_end_closing_entries_do_not_hide_the_years_result(world, books):
    from kopdig.ledger.statements import CLOSING_SOURCE_TYPES

    before = selectors.book_figures_one(books, YEAR)
    closing = sorted(CLOSING_SOURCE_TYPES)[0]
    _post(
        books,
        dt.date(YEAR, 12, 31),
        "Tutup buku",
        ("pendapatan_jasa_pinjaman", "750000.50", "0"),
        ("pendapatan_provisi", "25000.00", "0"),
        ("beban_gaji", "0", "300000.25"),
        ("shu_tahun_berjalan", "0", "475000.25"),
        source_type=closing,
    )
    after = selectors.book_figures_one(books, YEAR)
    bulk = selectors.book_figures_bulk([books], [YEAR])[(books.pk, YEAR)]
    for name in ("shu", "volume_usaha", "aset", "modal_sendiri", "modal_luar"):
        assert after[name] == before[name] == bulk[name], name
    assert after["shu"] == Decimal("475000.25")


def test_an_unchanged_figure_keeps_who_reported_it(world, plain_coops):
    from kopdig.tenancy.models import Role

    coop = plain_coops[2]
    Role.objects.create(cooperative=coop, user=world.pengurus_b, kind="pengurus")
    actions.annual_report_save(
        actor=world.pengurus_b, cooperative=coop, year=YEAR, anggota_l=9, aset="100.00"
    )
    report = actions.annual_report_save(
        actor=world.dinas, cooperative=coop, year=YEAR, anggota_l=9, aset="150.00"
    )
    assert report.sources == {"anggota_l": "pengurus", "aset": "dinas"}
