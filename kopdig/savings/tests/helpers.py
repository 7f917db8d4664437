"""Shared assertions for savings and members tests: the books balance and the caches are right."""

from collections import defaultdict

from django.db.models import Sum

from kopdig.ledger.models import Account, AccountMonthBalance, JournalLine
from kopdig.lib.money import ZERO, q
from kopdig.savings.models import LEDGER_KEY, SavingsAccount, SavingsTransaction


def assert_books_ok(coop):
    """Trial balance is zero, month caches equal the lines, savings caches equal the ledger."""
    agg = JournalLine.objects.filter(cooperative=coop).aggregate(d=Sum("debit"), c=Sum("credit"))
    assert q(agg["d"] or ZERO) == q(agg["c"] or ZERO), "trial balance is not zero"
    lines = defaultdict(lambda: [ZERO, ZERO])
    for acc, d, c in (JournalLine.objects.filter(cooperative=coop).values("account_id")
                      .annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "d", "c")):
        lines[acc] = [q(d), q(c)]  # q(): SQLite sums decimals as floats
    months = defaultdict(lambda: [ZERO, ZERO])
    for acc, d, c in (AccountMonthBalance.objects.filter(cooperative=coop).values("account_id")
                      .annotate(d=Sum("debit"), c=Sum("credit")).values_list("account_id", "d", "c")):
        months[acc] = [q(d), q(c)]
    assert {k: v for k, v in lines.items() if v != [ZERO, ZERO]} == {
        k: v for k, v in months.items() if v != [ZERO, ZERO]}, "month balances differ from the lines"
    for acc in SavingsAccount.objects.filter(cooperative=coop):
        s = q(SavingsTransaction.objects.filter(account=acc).aggregate(s=Sum("amount"))["s"] or ZERO)
        assert acc.balance == s, f"balance cache of {acc.number} is {acc.balance}, transactions say {s}"
    for kind, key in LEDGER_KEY.items():
        account = Account.objects.filter(cooperative=coop, system_key=key).first()
        if account is None:
            continue
        d, c = lines.get(account.pk, [ZERO, ZERO])
        cached = q(SavingsAccount.objects.filter(cooperative=coop, kind=kind).aggregate(s=Sum("balance"))["s"] or ZERO)
        assert q(c - d) == cached, f"{key}: ledger {c - d} != savings {cached}"


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
