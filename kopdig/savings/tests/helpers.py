"""Shared assertions for savings and members tests: the books balance and the caches are right."""

import datetime as dt

from django.db.models import Sum

from kopdig.ledger.models import Account, JournalLine
from kopdig.ledger.selectors import account_balance, verify
from kopdig.lib.money import ZERO, q
from kopdig.savings.models import LEDGER_KEY, SavingsAccount, SavingsTransaction


def assert_books_ok(coop):
    """The ledger verifies (entries balance, month caches equal the lines) and the savings
    balance caches equal both their transactions and the ledger accounts."""
    assert verify(coop) == []
    for acc in SavingsAccount.objects.filter(cooperative=coop):
        s = q(SavingsTransaction.objects.filter(account=acc).aggregate(s=Sum("amount"))["s"] or ZERO)
        assert acc.balance == s, f"balance cache of {acc.number} is {acc.balance}, transactions say {s}"
    for kind, key in LEDGER_KEY.items():
        account = Account.objects.filter(cooperative=coop, system_key=key).first()
        if account is None:
            continue
        ledger = account_balance(account, dt.date(2100, 1, 1))
        cached = q(
            SavingsAccount.objects.filter(cooperative=coop, kind=kind).aggregate(s=Sum("balance"))["s"]
            or ZERO
        )
        assert ledger == cached, f"{key}: ledger {ledger} != savings {cached}"


def counts(coop):
    """Row counts that a refused action must leave unchanged."""
    from kopdig.audit.models import AuditLog
    from kopdig.ledger.models import JournalEntry
    from kopdig.members.models import Member
    from kopdig.savings.models import Due, Receipt

    return {
        "entries": JournalEntry.objects.filter(cooperative=coop).count(),
        "lines": JournalLine.objects.filter(cooperative=coop).count(),
        "tx": SavingsTransaction.objects.filter(cooperative=coop).count(),
        "receipts": Receipt.objects.filter(cooperative=coop).count(),
        "members": Member.objects.filter(cooperative=coop).count(),
        "accounts": SavingsAccount.objects.filter(cooperative=coop).count(),
        "dues": Due.objects.filter(cooperative=coop).count(),
        "audit": AuditLog.objects.filter(cooperative=coop).count(),
        "balances": sorted(SavingsAccount.objects.filter(cooperative=coop).values_list("number", "balance")),
    }
