"""The members and savings demo steps on a small scale: books right, caches right, idempotent."""

import datetime as dt

import pytest

from .helpers import assert_books_ok, counts


@pytest.mark.django_db(transaction=True)
def test_demo_small_and_idempotent(regions, monkeypatch):
    from kopdig.members import demo as members_demo
    from kopdig.members.models import Member
    from kopdig.savings import demo as savings_demo
    from kopdig.savings.models import Due, Run, SavingsTransaction
    from kopdig.tenancy import demo

    monkeypatch.setattr(
        members_demo, "TARGETS", {"ksp-sejahtera": 40, "ksu-tunas-harapan": 25, "kopwan-srikandi": 15}
    )
    # Five months of books instead of two years keeps the test fast; the code path is the same.
    short = lambda today: dt.date(2024, 11, 1)  # noqa: E731
    monkeypatch.setattr(members_demo, "books_start", short)
    monkeypatch.setattr(savings_demo, "books_start", short)
    ctx = demo.build_context(today=dt.date(2025, 3, 14))
    demo.run(ctx)
    members_demo.run(ctx)
    savings_demo.run(ctx)
    for coop in ctx.showcase:
        assert Member.objects.filter(cooperative=coop).count() == members_demo.TARGETS[coop.slug]
        first = Member.objects.get(cooperative=coop, number="00001")
        assert first.user.username == f"{coop.slug}-anggota"
        assert SavingsTransaction.objects.filter(cooperative=coop).exists()
        assert Due.objects.filter(cooperative=coop).exists()
        assert (
            Run.objects.filter(cooperative=coop, kind="interest", status="done").count() == 4
        )  # Nov 2024–Feb 2025
        assert_books_ok(coop)
    if ctx.showcase[2].kelompok == "wanita":
        assert set(Member.objects.filter(cooperative=ctx.showcase[2]).values_list("gender", flat=True)) == {
            "P"
        }
    before = [counts(c) for c in ctx.showcase]
    members_demo.run(ctx)
    savings_demo.run(ctx)
    assert [counts(c) for c in ctx.showcase] == before
