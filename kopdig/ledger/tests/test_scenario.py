import datetime as dt
from decimal import Decimal

import pytest

from kopdig.ledger import statements
from kopdig.ledger.chart import account_for
from kopdig.ledger.models import AccountMonthBalance, JournalEntry, JournalLine
from kopdig.ledger.selectors import account_balance, verify

from .conftest import post

pytestmark = pytest.mark.django_db
JAN31 = dt.date(2025, 1, 31)


def bal(world, key, date=JAN31):
    return account_balance(account_for(world.coop_a, key), date)


def test_balances_after_a_month(scenario):
    w = scenario
    assert bal(w, "kas") == Decimal("6100000.00")
    assert bal(w, "bank") == Decimal("50036000.00")
    assert bal(w, "piutang_pinjaman") == Decimal("35000000.00")
    assert bal(w, "akumulasi_penyusutan") == Decimal("1000000.00")
    assert bal(w, "beban_administrasi") == Decimal("0.00")  # reversed
    assert bal(w, "kas", dt.date(2025, 1, 20)) == Decimal("6250000.00")
    assert verify(w.coop_a) == []


def test_reversal_mirrors_the_entry(scenario):
    wrong = JournalEntry.objects.get(cooperative=scenario.coop_a, memo="Beli ATK (salah)")
    rev = wrong.reversed_by
    assert rev.date == dt.date(2025, 1, 21)
    lines = list(rev.lines.order_by("id").values_list("account__system_key", "debit", "credit"))
    assert lines == [
        ("beban_administrasi", Decimal("0.00"), Decimal("100000.00")),
        ("kas", Decimal("100000.00"), Decimal("0.00")),
    ]


def test_trial_balance(scenario):
    tb = statements.trial_balance(scenario.coop_a, JAN31)
    assert tb["balanced"]
    assert tb["totals"]["saldo_debit"] == tb["totals"]["saldo_kredit"] == Decimal("97895000.00")
    kas = next(r for r in tb["rows"] if r["code"] == "1101")
    assert (kas["debit"], kas["credit"], kas["saldo_debit"]) == (
        Decimal("12400000.00"),
        Decimal("6300000.00"),
        Decimal("6100000.00"),
    )


def test_balance_sheet(scenario):
    bs = statements.balance_sheet(scenario.coop_a, JAN31)
    assert bs["balanced"]
    assert bs["assets"].total == Decimal("95136000.00")
    assert bs["liabilities"].total == Decimal("20000000.00")
    assert bs["equity"].total == Decimal("75136000.00")
    shu = next(r for r in bs["equity"].rows if r.name == "SHU tahun berjalan")
    assert shu.amount == Decimal("1136000.00")
    assert bs["assets"].prev_total == Decimal("0.00")
    # Liquidity order: current assets group before non-current.
    groups = [r.code for r in bs["assets"].rows if r.kind == "group"]
    assert groups == ["11", "12"]


def test_income_statement(scenario):
    pl = statements.income_statement(scenario.coop_a, dt.date(2025, 1, 1), JAN31)
    assert pl["revenue_anggota"] == Decimal("2350000.00")
    assert pl["revenue_non_anggota"] == Decimal("545000.00")
    assert pl["revenue"] == Decimal("2895000.00")
    assert pl["expenses"].total == Decimal("1750000.00")
    assert pl["tax"].total == Decimal("9000.00")
    assert pl["shu_before_tax"] == Decimal("1145000.00")
    assert pl["shu"] == Decimal("1136000.00")


def test_equity_changes(scenario):
    ec = statements.equity_changes(scenario.coop_a, dt.date(2025, 1, 1), JAN31)
    assert ec["totals"]["opening"] == Decimal("0.00")
    assert ec["totals"]["closing"] == Decimal("75136000.00")
    shu = next(r for r in ec["rows"] if r["code"] == "3401")
    assert shu["increase"] == Decimal("1136000.00") and shu["closing"] == Decimal("1136000.00")


def test_cash_flow(scenario):
    cf = statements.cash_flow(scenario.coop_a, dt.date(2025, 1, 1), JAN31)
    assert cf["opening"] == Decimal("60000000.00")  # the opening entry is not a flow
    assert cf["closing"] == Decimal("56136000.00")
    assert cf["net"] == Decimal("-3864000.00")
    assert cf["reconciled"]
    ops = cf["sections"][0]
    rows = {r.name: r.amount for r in ops.rows}
    assert rows["Penerimaan: Pendapatan Bunga/Jasa Bank"] == Decimal("36000.00")  # net of the tax withheld
    assert rows["Pembayaran: Piutang Pinjaman Anggota"] == Decimal("-4950000.00")  # net of the provision
    assert ops.total == Decimal("-3864000.00")


def test_cash_flow_pro_rata_split_is_exact(world):
    post(
        world,
        dt.date(2025, 3, 3),
        "Setoran campuran",
        ("kas", "100", 0),
        ("beban_lain", "1", 0),
        ("simpanan_pokok", 0, "50.50"),
        ("pendapatan_lain", 0, "50.50"),
    )
    cf = statements.cash_flow(world.coop_a, dt.date(2025, 3, 1), dt.date(2025, 3, 31))
    by_cat = {s.title: s.total for s in cf["sections"]}
    assert by_cat["Arus kas dari aktivitas operasi"] == Decimal("50.00")
    assert by_cat["Arus kas dari aktivitas pendanaan"] == Decimal("50.00")
    assert cf["reconciled"]


def test_statement_totals(scenario):
    t = statements.statement_totals(scenario.coop_a, JAN31)
    assert t["total_aset"] == Decimal("95136000.00")
    assert t["total_kewajiban"] == Decimal("20000000.00")
    assert t["total_ekuitas"] == Decimal("75136000.00")
    assert (t["pendapatan"], t["beban"], t["shu"]) == (
        Decimal("2895000.00"),
        Decimal("1759000.00"),
        Decimal("1136000.00"),
    )
    assert t["kas"] == Decimal("56136000.00")


def test_previous_year_figures(scenario):
    post(
        scenario,
        dt.date(2026, 1, 10),
        "Jasa pinjaman",
        ("kas", "70000", 0),
        ("pendapatan_jasa_pinjaman", 0, "70000"),
    )
    pl = statements.income_statement(scenario.coop_a, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert pl["revenue"] == Decimal("70000.00") and pl["prev_revenue"] == Decimal("2895000.00")
    bs = statements.balance_sheet(scenario.coop_a, dt.date(2026, 1, 31))
    assert bs["balanced"]
    rows = {r.name: (r.amount, r.prev) for r in bs["equity"].rows}
    assert rows["SHU tahun berjalan"] == (Decimal("70000.00"), Decimal("1136000.00"))
    assert rows["SHU tahun lalu yang belum ditutup"] == (Decimal("1136000.00"), Decimal("0.00"))


def test_general_ledger_running_balance_across_pages(scenario):
    kas = account_for(scenario.coop_a, "kas")
    first = statements.general_ledger(scenario.coop_a, kas, dt.date(2025, 1, 2), JAN31, page=1, per_page=3)
    second = statements.general_ledger(scenario.coop_a, kas, dt.date(2025, 1, 2), JAN31, page=2, per_page=3)
    assert first["opening"] == Decimal("10000000.00")
    assert second["carried"] == first["rows"][-1]["balance"]
    assert second["closing"] == Decimal("6100000.00")
    last = statements.general_ledger(scenario.coop_a, kas, dt.date(2025, 1, 2), JAN31, page=3, per_page=3)
    assert last["rows"][-1]["balance"] == Decimal("6100000.00")


def test_cash_book(scenario):
    cb = statements.cash_book(scenario.coop_a, dt.date(2025, 1, 2), JAN31, per_page=100)
    assert cb["opening"] == Decimal("60000000.00")
    assert cb["rows"][-1]["balance"] == cb["closing"] == Decimal("56136000.00")


def test_verify_detects_a_tampered_cache(scenario):
    AccountMonthBalance.objects.filter(cooperative=scenario.coop_a, account__system_key="kas").update(debit=1)
    problems = verify(scenario.coop_a)
    assert len(problems) == 1 and "1101" in problems[0]


def test_month_caches_equal_lines(scenario):
    from django.db.models import Sum

    kas = account_for(scenario.coop_a, "kas")
    agg = JournalLine.objects.filter(account=kas).aggregate(d=Sum("debit"), c=Sum("credit"))
    cache = AccountMonthBalance.objects.get(account=kas, year=2025, month=1)
    assert (cache.debit, cache.credit) == (agg["d"], agg["c"])


def test_comparatives_follow_sak_ep(scenario):
    """The balance sheet compares with the previous year-end (31 Desember), the PHU with the same
    period last year: a June 2025 sale shows in the balance sheet's comparative of January 2026
    but not in the PHU's comparative (January 2025)."""
    from kopdig.ledger import reports

    post(
        scenario,
        dt.date(2025, 6, 15),
        "Penjualan tunai Juni",
        ("kas", "400000", 0),
        ("penjualan_anggota", 0, "400000"),
    )
    bs = statements.balance_sheet(scenario.coop_a, dt.date(2026, 1, 31))
    assert bs["prev_date"] == dt.date(2025, 12, 31) and bs["balanced"]
    kas = next(r for r in bs["assets"].rows if r.code == account_for(scenario.coop_a, "kas").code)
    assert kas.prev == Decimal("6500000.00")  # 6,100,000 at the end of January 2025 + the June sale
    pl = statements.income_statement(scenario.coop_a, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert (pl["prev_start"], pl["prev_end"]) == (dt.date(2025, 1, 1), dt.date(2025, 1, 31))
    assert pl["prev_revenue"] == Decimal("2895000.00")
    table = reports.balance_sheet_table(scenario.coop_a, dt.date(2026, 1, 31))
    assert "31 Desember 2025" in table.subtitle and table.columns[2:] == [
        "31 Januari 2026",
        "31 Desember 2025",
    ]
    phu = reports.income_statement_table(scenario.coop_a, dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert phu.columns[2:] == ["1 Jan – 31 Jan 2026", "1 Jan – 31 Jan 2025"]
    assert "periode yang sama tahun lalu" in phu.subtitle
