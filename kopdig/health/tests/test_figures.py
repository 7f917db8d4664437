"""Book figures for a cooperative and year equal the ledger's statements, with their accounts."""

import datetime as dt
from decimal import Decimal

import pytest

from kopdig.health import selectors
from kopdig.ledger import statements
from kopdig.loans.models import ArrearsRun

pytestmark = pytest.mark.django_db
D = Decimal


def test_figures_equal_the_statements(books):
    coop = books.coop_a
    f = selectors.book_figures(coop, 2025)
    t = statements.statement_totals(coop, dt.date(2025, 12, 31), dt.date(2025, 1, 1))
    t_prev = statements.statement_totals(coop, dt.date(2024, 12, 31), dt.date(2024, 1, 1))
    bs = statements.balance_sheet(coop, dt.date(2025, 12, 31))
    pl = statements.income_statement(coop, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert f["total_aset"].value == t["total_aset"] == D("138700000.00")
    assert f["total_kewajiban"].value == t["total_kewajiban"] == D("45000000.00")
    assert f["total_ekuitas"].value == t["total_ekuitas"] == bs["equity"].total
    assert f["total_ekuitas_lalu"].value == t_prev["total_ekuitas"] == D("85000000.00")
    assert f["kas"].value == t["kas"]
    assert f["pendapatan"].value == t["pendapatan"] == D("22000000.00")
    assert f["partisipasi_bruto"].value == t["pendapatan_anggota"] == D("20000000.00")
    assert f["pendapatan_non_anggota"].value == t["pendapatan_non_anggota"] == D("2000000.00")
    assert f["shu"].value == t["shu"] == pl["shu"] == D("8700000.00")
    assert f["shu_lalu"].value == t_prev["shu"] == D("5000000.00")
    # Loans: gross 80 m, cadangan 0.8 m (a contra asset), net 79.2 m.
    assert (f["piutang_pinjaman"].value, f["cadangan_risiko"].value, f["pinjaman_neto"].value) == (
        D("80000000.00"),
        D("800000.00"),
        D("79200000.00"),
    )
    # HPP 6 m split by sales to members 8 m / non-members 2 m: beban pokok partisipasi 4.8 m.
    assert f["hpp"].value == D("6000000.00") and f["beban_pokok_partisipasi"].value == D("4800000.00")
    assert f["partisipasi_neto"].value == D("15200000.00")
    assert f["beban_usaha"].value == D("5800000.00")  # gaji 5 m + penyisihan cadangan 0.8 m
    assert f["beban_perkoperasian"].value == D("1500000.00")  # RAT
    assert f["beban_usaha"].value + f["beban_perkoperasian"].value + f["hpp"].value == t["beban"]
    # Aset produktif = loans net + bank + persediaan.
    assert f["aset_produktif"].value == D("79200000.00") + D("20000000.00") + D("4000000.00")


def test_each_figure_names_its_accounts(books):
    f = selectors.book_figures(books.coop_a, 2025)
    assert ("1110", "Piutang Pinjaman Anggota") in f["piutang_pinjaman"].accounts
    assert [code for code, _n in f["beban_perkoperasian"].accounts] == ["5301"]
    assert {code for code, _n in f["partisipasi_bruto"].accounts} == {"4101", "4201"}
    assert f["atmr"].value is None and "laporan" in f["atmr"].note


def test_rpm_from_the_arrears_run_of_the_year(books):
    coop = books.coop_a
    f = selectors.book_figures(coop, 2025)
    assert f["rpm"].value is None and "tunggakan" in f["rpm"].note
    ArrearsRun.objects.create(
        cooperative=coop,
        date=dt.date(2025, 12, 31),
        status=ArrearsRun.Status.DONE,
        summary={
            "by_kol": {
                "lancar": "70000000.00",
                "kurang_lancar": "6000000.00",
                "diragukan": "2000000.00",
                "macet": "2000000.00",
            },
            "rpm": "6500000.00",
            "required": "800000.00",
            "total": "80000000.00",
        },
    )
    f = selectors.book_figures(coop, 2025)
    assert f["rpm"].value == D("6500000.00") and f["pinjaman_berisiko"].value == D("10000000.00")


def test_a_year_without_books_gives_zero_denominators_not_crashes(world):
    f = selectors.book_figures(world.coop_b, 2025)
    assert f["total_aset"].value == 0 and f["total_ekuitas_lalu"].value is None
    rubric = selectors.rubric_get("kkpkk")
    result, _figs = selectors.self_assessment(world.coop_b, 2025, rubric)
    eq = next(i for i in result.indicators() if i.code == "ekuitas_aset")
    assert eq.status == "not_computable" and "nol" in eq.reason
