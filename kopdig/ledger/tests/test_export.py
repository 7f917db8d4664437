"""The exports are read by beancount and hledger, and their balance sheets agree with Kopdig's."""

import datetime as dt
import shutil
import subprocess
from decimal import Decimal

import pytest

from kopdig.ledger import export, statements
from kopdig.ledger.export_check import beancount_totals, hledger_totals

pytestmark = pytest.mark.django_db
JAN31 = dt.date(2025, 1, 31)


def kopdig_totals(coop, date):
    t = statements.statement_totals(coop, date)
    return {"Assets": t["total_aset"], "Liabilities": t["total_kewajiban"], "EquityAll": t["total_ekuitas"]}


def test_account_names_are_safe():
    from kopdig.ledger.models import Account

    acc = Account(code="1201", name="Tanah & Bangunan (kantor)", type="aset")
    assert export.account_name(acc) == "Assets:1201-Tanah-Bangunan-kantor"


def test_beancount_agrees_with_the_balance_sheet(scenario):
    text = export.text(export.iter_beancount(scenario.coop_a))
    totals = beancount_totals(text, JAN31)
    assert totals == kopdig_totals(scenario.coop_a, JAN31)
    assert totals["Assets"] == Decimal("95136000.00")
    # Half-way through the month too (the date's own month is read from lines).
    mid = dt.date(2025, 1, 20)
    assert beancount_totals(text, mid) == kopdig_totals(scenario.coop_a, mid)


def test_hledger_agrees_with_the_balance_sheet(scenario, tmp_path):
    if not shutil.which("hledger"):
        pytest.skip("hledger binary not installed (apt-get install hledger)")
    path = tmp_path / "kopdig.journal"
    path.write_text(export.text(export.iter_hledger(scenario.coop_a)))
    subprocess.run(["hledger", "-f", str(path), "check"], check=True, capture_output=True)
    for date in (JAN31, dt.date(2025, 1, 12)):
        assert hledger_totals(str(path), date) == kopdig_totals(scenario.coop_a, date)


def test_csv_round_trips_through_the_import(scenario, world):
    import csv
    import io

    from kopdig.ledger.actions import parse_import_rows

    rows = list(csv.DictReader(io.StringIO(export.text(export.iter_csv(scenario.coop_a)))))
    groups, errors = parse_import_rows(scenario.coop_b, list(enumerate(rows, start=2)))
    # coop_b (a KSP) lacks the shop accounts: those rows are reported, the rest parse.
    assert errors and all("4201" in m or "4202" in m or "no_bukti" in m for _n, m in errors)
    groups, errors = parse_import_rows(scenario.coop_a, list(enumerate(rows, start=2)))
    assert errors == [] and len(groups) == 11
