"""Cache proofs that product apps register with ``kopdig ledger verify`` (the ledger imports no
product app, so each product app brings its own proof).

    # in the app's AppConfig.ready()
    from kopdig.ledger import verifiers
    verifiers.register(verify_savings)    # fn(cooperative) -> list[str] of differences

``run(cooperative)`` calls every registered proof in registration order; ``account_balance``
is the one ledger figure a proof compares its cache with (from the lines, not the caches).
"""

from __future__ import annotations

from django.db.models import Sum

from kopdig.lib.money import ZERO, q

from .models import Account, JournalLine

_VERIFIERS: list = []


def register(fn) -> None:
    if fn not in _VERIFIERS:
        _VERIFIERS.append(fn)


def run(cooperative) -> list[str]:
    problems: list[str] = []
    for fn in _VERIFIERS:
        problems += fn(cooperative)
    return problems


def account_balances(cooperative, keys) -> dict:
    """{system key: balance on the account's normal side} summed from the journal lines."""
    accounts = {a.pk: a for a in Account.objects.filter(cooperative=cooperative, system_key__in=list(keys))}
    sums = (
        JournalLine.objects.filter(cooperative=cooperative, account_id__in=list(accounts))
        .values("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    out = {a.system_key: ZERO for a in accounts.values()}
    for row in sums:
        account = accounts[row["account_id"]]
        out[account.system_key] = q((row["d"] - row["c"]) * account.sign)
    return out
