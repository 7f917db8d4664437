import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kopdig.audit.models import AuditLog
from kopdig.ledger import periods, statements
from kopdig.ledger.actions import journal_entry_post
from kopdig.ledger.models import AccountMonthBalance, JournalEntry, JournalLine
from kopdig.ledger.posting import Line, PeriodClosed, UnbalancedEntry
from kopdig.ledger.selectors import verify
from kopdig.lib.errors import NotAllowed

from .conftest import P, post


def _counts(coop):
    return (
        JournalEntry.objects.filter(cooperative=coop).count(),
        JournalLine.objects.filter(cooperative=coop).count(),
        AccountMonthBalance.objects.filter(cooperative=coop).count(),
        AuditLog.objects.filter(cooperative=coop).count(),
    )


@pytest.mark.django_db
def test_unbalanced_entry_refused_by_the_action(world):
    before = _counts(world.coop_a)
    with pytest.raises(UnbalancedEntry):
        post(world, dt.date(2025, 2, 1), "Tidak seimbang", ("kas", "100", 0), ("pendapatan_lain", 0, "99.99"))
    assert _counts(world.coop_a) == before


@pytest.mark.django_db
def test_closed_period_refuses_posting_and_writes_nothing(world):
    post(world, dt.date(2025, 1, 10), "Sebelum tutup", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))
    with transaction.atomic():
        periods.lock_through(cooperative=world.coop_a, date=dt.date(2025, 1, 31))
    assert periods.is_closed(world.coop_a, dt.date(2025, 1, 31))
    assert not periods.is_closed(world.coop_a, dt.date(2025, 2, 1))
    before = _counts(world.coop_a)
    with pytest.raises(PeriodClosed):
        post(world, dt.date(2025, 1, 31), "Terlambat", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))
    assert _counts(world.coop_a) == before
    post(world, dt.date(2025, 2, 1), "Sesudah tutup", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))


@pytest.mark.django_db
def test_period_lock_never_moves_backwards_but_unlock_does(world):
    with transaction.atomic():
        periods.lock_through(cooperative=world.coop_a, date=dt.date(2025, 3, 31))
        with pytest.raises(periods.PeriodError):
            periods.lock_through(cooperative=world.coop_a, date=dt.date(2025, 2, 28))
        periods.unlock_to(cooperative=world.coop_a, date=dt.date(2025, 2, 28))
        with pytest.raises(periods.PeriodError):
            periods.unlock_to(cooperative=world.coop_a, date=dt.date(2025, 4, 30))
        periods.unlock_to(cooperative=world.coop_a, date=None)
    assert periods.closed_through(world.coop_a) is None


@pytest.mark.django_db(transaction=True)
def test_period_helpers_need_the_callers_transaction(world):
    with pytest.raises(RuntimeError):
        periods.lock_through(cooperative=world.coop_a, date=dt.date(2025, 1, 31))


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["dinas", "pengawas_a", "anggota_a", "pengurus_b"])
def test_non_staff_cannot_post(world, who):
    before = _counts(world.coop_a)
    with pytest.raises(NotAllowed):
        journal_entry_post(
            actor=getattr(world, who),
            cooperative=world.coop_a,
            date=dt.date(2025, 1, 2),
            memo="x",
            lines=P(("kas", "1", 0), ("pendapatan_lain", 0, "1")),
        )
    assert _counts(world.coop_a) == before


@pytest.mark.django_db
def test_lines_are_immutable_in_the_database(world):
    entry = post(world, dt.date(2025, 1, 10), "Tetap", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))
    with pytest.raises(Exception, match="immutable"), transaction.atomic():
        JournalLine.objects.filter(entry=entry).update(debit=Decimal("5"))
    assert JournalLine.objects.filter(entry=entry, debit=Decimal("100")).count() == 1


@pytest.mark.django_db(transaction=True)
def test_database_refuses_an_unbalanced_commit(world):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the deferred balance trigger exists on PostgreSQL only (SQLite has no deferred triggers)"
        )
    coop = world.coop_a
    kas = coop.accounts.get(system_key="kas")
    with pytest.raises(IntegrityError, match="unbalanced"):
        with transaction.atomic():
            with connection.cursor() as cur:
                cur.execute(
                    "INSERT INTO ledger_journalentry (cooperative_id, number, date, memo, source_type, source_ref,"
                    " total, posted_at) VALUES (%s, 'X-1', '2025-01-05', 'raw', 'manual', '', 100, now())"
                    " RETURNING id",
                    [coop.pk],
                )
                entry_id = cur.fetchone()[0]
                cur.execute(
                    "INSERT INTO ledger_journalline (cooperative_id, entry_id, account_id, date, debit, credit, memo)"
                    " VALUES (%s, %s, %s, '2025-01-05', 100, 0, '')",
                    [coop.pk, entry_id, kas.pk],
                )
    assert not JournalEntry.objects.filter(number="X-1").exists()
    # A balanced entry commits.
    entry = post(world, dt.date(2025, 1, 6), "Seimbang", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))
    with pytest.raises(Exception, match="immutable"), transaction.atomic():
        JournalLine.objects.filter(entry=entry).delete()
    assert verify(coop) == []


amounts = st.decimals(
    min_value=Decimal("0.01"),
    max_value=Decimal("999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
KEYS = [
    "kas",
    "bank",
    "piutang_pinjaman",
    "simpanan_sukarela",
    "simpanan_wajib",
    "pendapatan_lain",
    "beban_gaji",
    "akumulasi_penyusutan",
]
entry_st = st.tuples(
    st.dates(min_value=dt.date(2024, 11, 1), max_value=dt.date(2025, 3, 31)),
    st.lists(st.tuples(st.sampled_from(KEYS), amounts), min_size=1, max_size=4),
    st.sampled_from(KEYS),
)


@pytest.mark.django_db
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(entries=st.lists(entry_st, min_size=1, max_size=6))
def test_random_balanced_postings_keep_the_books_right(world, entries):
    coop = world.coop_a
    sid = transaction.savepoint()
    try:
        for date, debits, credit_key in entries:
            total = sum((a for _k, a in debits), Decimal(0))
            lines = [Line(k, debit=a) for k, a in debits] + [Line(credit_key, credit=total)]
            journal_entry_post(actor=world.kasir_a, cooperative=coop, date=date, memo="acak", lines=lines)
        assert verify(coop) == []
        for d in (dt.date(2024, 12, 31), dt.date(2025, 2, 14), dt.date(2025, 3, 31)):
            tb = statements.trial_balance(coop, d)
            assert tb["totals"].get("debit", 0) == tb["totals"].get("credit", 0)
            assert tb["balanced"]
            assert statements.balance_sheet(coop, d)["balanced"]
    finally:
        transaction.savepoint_rollback(sid)


@pytest.mark.django_db
def test_statement_query_count_does_not_grow(world):
    from django.db import connection as conn
    from django.test.utils import CaptureQueriesContext

    def measure():
        counts = []
        for fn in (
            lambda: statements.trial_balance(world.coop_a, dt.date(2025, 6, 15)),
            lambda: statements.balance_sheet(world.coop_a, dt.date(2025, 6, 15)),
            lambda: statements.income_statement(world.coop_a, dt.date(2025, 1, 1), dt.date(2025, 6, 15)),
            lambda: statements.statement_totals(world.coop_a, dt.date(2025, 6, 15)),
        ):
            with CaptureQueriesContext(conn) as ctx:
                fn()
            counts.append(len(ctx.captured_queries))
        return counts

    post(world, dt.date(2025, 1, 3), "satu", ("kas", "10", 0), ("pendapatan_lain", 0, "10"))
    few = measure()
    for month in range(1, 7):
        for day in (2, 9, 15, 20):
            post(
                world,
                dt.date(2025, month, day),
                "banyak",
                ("kas", "10", 0),
                ("pendapatan_lain", 0, "7"),
                ("simpanan_wajib", 0, "3"),
            )
            post(world, dt.date(2025, month, day), "beban", ("beban_gaji", "4", 0), ("bank", 0, "4"))
    many = measure()
    assert few == many
    assert max(many) <= 12


@pytest.mark.django_db
def test_verify_command(world):
    from io import StringIO

    from django.core.management import call_command

    post(world, dt.date(2025, 1, 10), "Satu", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))
    out = StringIO()
    call_command("ledger", "verify", "--coop", "ksu-sejahtera", stdout=out)
    assert "OK" in out.getvalue()
    AccountMonthBalance.objects.filter(cooperative=world.coop_a, account__system_key="kas").update(credit=1)
    out = StringIO()
    with pytest.raises(SystemExit) as exc:
        call_command("ledger", "verify", stdout=out, stderr=StringIO())
    assert exc.value.code == 1 and "1101 2025-01" in out.getvalue()


@pytest.mark.parametrize(
    "raw, want",
    [
        ("1.500.000", "1500000.00"),
        ("1.500.000,50", "1500000.50"),
        ("1500000.50", "1500000.50"),
        ("1,500,000.50", "1500000.50"),
        ("Rp 2.000", "2000.00"),
        ("-1.000", "-1000.00"),
        ("12,5", "12.50"),
        ("1.234", "1234.00"),
        (Decimal("7.10"), "7.10"),
        (3, "3.00"),
        (10.1, "10.10"),
    ],
)
def test_parse_amount(raw, want):
    from kopdig.lib.cells import cell_amount as parse_amount

    assert parse_amount(raw) == Decimal(want)


@pytest.mark.django_db
def test_net_movements_equal_a_scan_for_any_range(world):
    from django.db.models import Sum

    from kopdig.ledger.selectors import net_movements

    coop = world.coop_a
    days = [
        dt.date(2024, 12, 31),
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 15),
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 10),
        dt.date(2025, 4, 30),
    ]
    for i, d in enumerate(days):
        post(
            world, d, f"e{i}", ("kas", f"{100 + i}.{i:02d}", 0), ("pendapatan_lain", 0, f"{100 + i}.{i:02d}")
        )
    probes = [
        None,
        dt.date(2024, 12, 1),
        dt.date(2025, 1, 1),
        dt.date(2025, 1, 2),
        dt.date(2025, 1, 15),
        dt.date(2025, 1, 31),
        dt.date(2025, 2, 1),
        dt.date(2025, 2, 27),
        dt.date(2025, 2, 28),
        dt.date(2025, 3, 31),
        dt.date(2025, 4, 29),
        dt.date(2025, 4, 30),
    ]
    kas = coop.accounts.get(system_key="kas").pk
    for start in probes:
        for end in probes[1:]:
            if start and start > end:
                continue
            qs = JournalLine.objects.filter(cooperative=coop, account_id=kas, date__lte=end)
            if start:
                qs = qs.filter(date__gte=start)
            want = qs.aggregate(d=Sum("debit"))["d"] or Decimal("0.00")
            got = net_movements(coop, start=start, end=end).get(kas, (Decimal("0.00"), Decimal("0.00")))[0]
            assert got == want, (start, end)


@pytest.mark.django_db
def test_day_balances_run_through_later_days_and_verify_proves_them(world):
    from kopdig.ledger.chart import account_for
    from kopdig.ledger.models import AccountDayBalance
    from kopdig.ledger.selectors import account_balance, net_movements

    d = dt.date
    post(world, d(2025, 3, 10), "Satu", ("kas", "100", 0), ("pendapatan_lain", 0, "100"))
    post(world, d(2025, 3, 20), "Dua", ("kas", "50.25", 0), ("pendapatan_lain", 0, "50.25"))
    post(world, d(2025, 3, 5), "Mundur", ("kas", "30", 0), ("pendapatan_lain", 0, "30"))
    post(world, d(2025, 3, 10), "Hari yang sama", ("pendapatan_lain", "7", 0), ("kas", 0, "7"))
    kas = account_for(world.coop_a, "kas")
    rows = list(
        AccountDayBalance.objects.filter(account=kas)
        .order_by("date")
        .values_list("date", "debit_to_date", "credit_to_date")
    )
    assert rows == [(d(2025, 3, 5), 3000, 0), (d(2025, 3, 10), 13000, 700), (d(2025, 3, 20), 18025, 700)]
    assert account_balance(kas, d(2025, 3, 9)) == Decimal("30.00")
    assert account_balance(kas, d(2025, 3, 19)) == Decimal("123.00")
    assert account_balance(kas, d(2025, 12, 31)) == Decimal("173.25")
    assert net_movements(world.coop_a, start=d(2025, 3, 6), end=d(2025, 3, 20))[kas.pk] == (
        Decimal("150.25"),
        Decimal("7.00"),
    )
    assert net_movements(world.coop_a, start=d(2025, 3, 21), end=d(2025, 3, 31)) == {}
    assert verify(world.coop_a) == []
    AccountDayBalance.objects.filter(account=kas, date=d(2025, 3, 20)).update(debit_to_date=18026)
    problems = verify(world.coop_a)
    assert len(problems) == 1 and "saldo harian akun 1101 2025-03-20" in problems[0]
