"""Gapless document numbers per cooperative, series and year.

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers with
IMMEDIATE transactions) and bumped inside the caller's transaction, so a rolled-back posting
gives its number back and numbers never skip.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DocumentCounter

_BUMP_SQL: dict = {}


def _bump_sql(connection) -> str:
    """``UPDATE … SET last = last + 1 … RETURNING last``: bump and read in one statement
    (PostgreSQL; SQLite ≥ 3.35). The UPDATE takes the row lock (PostgreSQL) until commit."""
    sql = _BUMP_SQL.get(connection.vendor)
    if sql is None:
        qn = connection.ops.quote_name
        last = qn("last")
        sql = _BUMP_SQL[connection.vendor] = (
            f"UPDATE {qn(DocumentCounter._meta.db_table)} SET {last} = {last} + 1 "
            f"WHERE {qn('cooperative_id')} = %s AND {qn('series')} = %s AND {qn('year')} = %s RETURNING {last}"
        )
    return sql


def next_number(cooperative, series: str, year: int = 0) -> int:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("next_number must run inside the posting transaction")
    returning = (
        connection.vendor in ("postgresql", "sqlite") and connection.features.can_return_columns_from_insert
    )
    for _attempt in range(2):
        if returning:
            with connection.cursor() as cursor:
                cursor.execute(
                    _bump_sql(connection), [getattr(cooperative, "pk", cooperative), str(series), int(year)]
                )
                row = cursor.fetchone()
            if row is not None:
                return row[0]
        else:
            updated = DocumentCounter.objects.filter(
                cooperative=cooperative, series=series, year=year
            ).update(last=F("last") + 1)
            if updated:
                return (
                    DocumentCounter.objects.select_for_update()
                    .values_list("last", flat=True)
                    .get(cooperative=cooperative, series=series, year=year)
                )
        try:
            with transaction.atomic():
                DocumentCounter.objects.create(cooperative=cooperative, series=series, year=year, last=1)
            return 1
        except IntegrityError:
            continue  # a concurrent transaction created it first: bump that row
    raise RuntimeError("could not allocate a document number")


def lock_series(cooperative, series: str, year: int = 0) -> None:
    """Take the counter row's lock without drawing a number (PostgreSQL; SQLite serialises writers).

    Counters are locked kuitansi before journal: an action that posts before it knows whether
    it will issue a kuitansi calls this first, so it cannot deadlock with a teller."""
    DocumentCounter.objects.select_for_update().filter(
        cooperative=cooperative, series=series, year=year
    ).exists()


def format_number(year: int, n: int, width: int = 6) -> str:
    """2025, 123 -> '2025-000123'."""
    return f"{year}-{n:0{width}d}" if year else f"{n:0{width}d}"


def next_document_number(cooperative, series: str, prefix: str, year: int) -> str:
    """The next number of a yearly document series with its prefix: 'KW', 2025 -> 'KW-2025-000045'.

    The one format of kuitansi and loan numbers (savings KW-, loan PJ-, loan repayment KP-)."""
    return f"{prefix}-{format_number(year, next_number(cooperative, series, year))}"
