import datetime as dt

import pytest

from kopdig.ledger import demo as ledger_demo
from kopdig.ledger import statements
from kopdig.ledger.models import JournalEntry
from kopdig.ledger.selectors import verify


@pytest.mark.django_db
def test_demo_books_are_right_and_idempotent(regions):
    from kopdig.tenancy import demo

    ctx = demo.build_context(today=dt.date(2026, 5, 14))
    demo.run(ctx)
    ledger_demo.run(ctx)
    count = JournalEntry.objects.count()
    assert count > 300
    ledger_demo.run(ctx)
    assert JournalEntry.objects.count() == count
    for coop in ctx.showcase:
        assert verify(coop) == []
        assert JournalEntry.objects.filter(cooperative=coop, date__gt=ctx.today).count() == 0
        bs = statements.balance_sheet(coop, ctx.today)
        assert bs["balanced"]
        kas = statements.statement_totals(coop, ctx.today)["kas"]
        assert kas > 0
        cf = statements.cash_flow(coop, dt.date(2026, 1, 1), ctx.today)
        assert cf["reconciled"]
