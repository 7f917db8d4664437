"""The loans app's one raw-SQL write: many rows' columns set by id (the arrears run).

Why raw SQL: ``bench/loans`` (the month-end arrears run). Django's ``bulk_update`` builds one
``CASE WHEN id = … THEN …`` per row and field; at 5,000 loans on SQLite the arrears run took
36.9 s with it against 0.4–2.0 s with this module (same machine, same hour; the bench's own
ratio run / raw update stayed 6–7x before and after this module replaced arrears.bulk_set).
PostgreSQL: one ``UPDATE … FROM (VALUES …)`` per batch (executemany is a
round trip per row there); SQLite: ``executemany`` (in-process, already fast). Table and
column names come from the model and are quoted; casts come from a fixed list. Both branches
run in the suite (SQLite locally, PostgreSQL in CI), through ``loans.arrears``.
"""

from __future__ import annotations

from django.db import connection

PG_TYPES = frozenset({"numeric", "date", "integer", "varchar", "bigint"})


def bulk_set(model, columns, rows, batch: int = 2000) -> None:
    """UPDATE ``model``'s table SET columns = values WHERE id = the row's last value, for many rows.

    ``columns``: [(field name, PostgreSQL type)]; ``rows``: sequences of the values in that order,
    then the id."""
    if not rows:
        return
    if any(t not in PG_TYPES for _c, t in columns):
        raise ValueError(f"unsupported column type in {columns}")
    qn = connection.ops.quote_name
    table = qn(model._meta.db_table)
    names = [qn(model._meta.get_field(c).column) for c, _t in columns]
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            _update_from_values(cur, table, names, [t for _c, t in columns], rows, batch)
        else:
            sets = ", ".join(f"{n} = %s" for n in names)
            cur.executemany(f"UPDATE {table} SET {sets} WHERE id = %s", rows)


def _update_from_values(cur, table, names, types, rows, batch) -> None:
    aliases = [f"c{i}" for i in range(len(names))]
    sets = ", ".join(f"{n} = v.{a}" for n, a in zip(names, aliases, strict=True))
    cast = "(" + ", ".join(f"%s::{t}" for t in types) + ", %s::bigint)"
    for i in range(0, len(rows), batch):
        chunk = rows[i : i + batch]
        values = ", ".join([cast] * len(chunk))
        cur.execute(
            f"UPDATE {table} AS t SET {sets} FROM (VALUES {values}) AS v({', '.join(aliases)}, id) "
            "WHERE t.id = v.id",
            [x for row in chunk for x in row],
        )
