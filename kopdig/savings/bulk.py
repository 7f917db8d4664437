"""The savings app's one raw-SQL module: multi-row writes of the monthly runs and the demo.

Why raw SQL: ``bench/savings`` (the wajib billing and jasa runs, goal ≤ 60 s at 100,000
members). Django's ``bulk_create`` prepares every value of every object in Python (about
0.2 ms a row) and an ORM ``balance = balance + delta`` is one UPDATE per account; these
helpers write the same rows through the driver: COPY (PostgreSQL) or executemany (SQLite) for
inserts, one ``UPDATE … FROM (VALUES …)`` per 1,000 rows (PostgreSQL) or executemany (SQLite)
for the balance deltas. Table and column names come from the models and are quoted. Each
vendor branch runs in that vendor's suite (SQLite locally, PostgreSQL in CI) through the runs.
"""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from .models import SavingsAccount, SavingsTransaction

TX_FIELDS = [
    "cooperative",
    "account",
    "member",
    "kind",
    "date",
    "type",
    "amount",
    "memo",
    "entry",
    "receipt",
    "period",
    "created_by",
    "created_at",
]


def insert(model, fields, rows) -> int:
    """INSERT ``rows`` (sequences in ``fields`` order; foreign keys as ids) into ``model``'s table.

    PostgreSQL: ``COPY … FROM STDIN`` (psycopg's executemany sends one statement per row and
    parsing huge multi-row statements is slow); SQLite: executemany (in-process, already fast)."""
    if not rows:
        return 0
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    cols = ", ".join(ops.quote_name(model._meta.get_field(f).column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES {one}", rows)
    return len(rows)


def add_to_column(model, column: str, deltas: list[tuple[int, object]], batch: int = 1000) -> None:
    """``column = ROUND(column + delta, 2)`` for many rows by id, locking them in id order.

    ROUND keeps SQLite (which adds decimals as floats) at whole sen; exact on PostgreSQL, where
    each batch is first locked with SELECT … ORDER BY id FOR UPDATE (deterministic lock order,
    no deadlock with tellers who lock accounts in id order) and then updated in one statement."""
    rows = sorted((pk, delta) for pk, delta in deltas if delta)
    if not rows:
        return
    ops = connection.ops
    table = ops.quote_name(model._meta.db_table)
    col = ops.quote_name(column)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            for i in range(0, len(rows), batch):
                part = rows[i : i + batch]
                cursor.execute(
                    f"SELECT id FROM {table} WHERE id = ANY(%s) ORDER BY id FOR UPDATE",
                    [[pk for pk, _ in part]],
                )
                values = ", ".join(["(%s::bigint, %s::numeric)"] * len(part))
                cursor.execute(
                    f"UPDATE {table} AS t SET {col} = ROUND(t.{col} + v.delta, 2) "
                    f"FROM (VALUES {values}) AS v(id, delta) WHERE t.id = v.id",
                    [v for row in part for v in row],
                )
        else:
            cursor.executemany(
                f"UPDATE {table} SET {col} = ROUND({col} + %s, 2) WHERE id = %s",
                [(delta, pk) for pk, delta in rows],
            )


def insert_transactions(txs: list[SavingsTransaction]) -> int:
    """Insert unsaved SavingsTransaction objects (what ``bulk_create`` would write)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    rows = [
        (
            t.cooperative_id,
            t.account_id,
            t.member_id,
            t.kind,
            t.date,
            t.type,
            t.amount,
            t.memo,
            t.entry_id,
            t.receipt_id,
            t.period,
            t.created_by_id,
            now,
        )
        for t in txs
    ]
    return insert(SavingsTransaction, TX_FIELDS, rows)


def add_to_balances(deltas) -> None:
    add_to_column(SavingsAccount, "balance", list(deltas))
