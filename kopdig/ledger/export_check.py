"""Balance-sheet totals computed by beancount and by hledger from Kopdig's own export.

Used by the tests and by ``bench/ledger.py`` to cross-check Kopdig's statements with two
independent plain-text accounting tools. Totals: Assets, Liabilities (positive = owed) and
EquityAll (equity plus the unclosed result: −(Equity + Income + Expenses)).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
from decimal import Decimal

ROOTS = ("Assets", "Liabilities", "Equity", "Income", "Expenses")


def _fold(sums: dict) -> dict:
    z = Decimal("0.00")
    return {
        "Assets": sums.get("Assets", z),
        "Liabilities": -sums.get("Liabilities", z),
        "EquityAll": -(sums.get("Equity", z) + sums.get("Income", z) + sums.get("Expenses", z)),
    }


def beancount_totals(text: str, date: dt.date) -> dict:
    """Load with beancount (parse, book, validate) and realize the balances at ``date``."""
    from beancount import loader
    from beancount.core import realization

    entries, errors, _options = loader.load_string(text)
    if errors:
        raise ValueError(f"beancount errors: {errors[:3]}")
    upto = [e for e in entries if e.date <= date]
    real = realization.realize(upto)
    sums = {}
    for root in ROOTS:
        node = realization.get(real, root)
        if node is None:
            continue
        inv = realization.compute_balance(node)
        pos = inv.get_currency_units("IDR")
        sums[root] = Decimal(pos.number).quantize(Decimal("0.01"))
    return _fold(sums)


def hledger_totals(path: str, date: dt.date, binary: str = "hledger") -> dict:
    """Run ``hledger bal --depth 1 -e <date+1>`` on the exported journal file."""
    end = date + dt.timedelta(days=1)
    out = subprocess.run(
        [binary, "-f", path, "bal", "-e", end.isoformat(), "--depth", "1", "-O", "csv"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    sums = {}
    for row in csv.reader(io.StringIO(out)):
        if len(row) != 2 or row[0] not in ROOTS:
            continue
        amount = row[1].replace("IDR", "").strip() or "0"
        sums[row[0]] = Decimal(amount).quantize(Decimal("0.01"))
    return _fold(sums)
