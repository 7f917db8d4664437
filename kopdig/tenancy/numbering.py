"""Gapless document numbers per cooperative, series and year.

The counter row is locked (SELECT … FOR UPDATE on PostgreSQL; SQLite serialises writers with
IMMEDIATE transactions) and bumped inside the caller's transaction, so a rolled-back posting
gives its number back and numbers never skip.
"""

from django.db import IntegrityError, transaction
from django.db.models import F

from .models import DocumentCounter


def next_number(cooperative, series: str, year: int = 0) -> int:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number must run inside the posting transaction")
    for _attempt in range(2):
        updated = DocumentCounter.objects.filter(cooperative=cooperative, series=series, year=year).update(
            last=F("last") + 1
        )
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


def format_number(year: int, n: int, width: int = 6) -> str:
    """2025, 123 -> '2025-000123'."""
    return f"{year}-{n:0{width}d}" if year else f"{n:0{width}d}"
