"""Health benchmark: KKPKK ratios from the books.

    python -m bench health -- [--lines 1000000] [--coops 300] [--coop-lines 400]

Runs on whatever DATABASE_URL says; without it, SQLite in KOPDIG_DATA_DIR, which defaults here
to ``var/bench-health`` (recreated on each run when it is that default).

1. One cooperative with --lines journal lines over three years (loaded by bench.ledger's fast
   path: the same rows ``journal_entry_post`` writes, month caches included). Measured: every
   KKPKK ratio for the last book year (``selectors.book_figures`` + ``scoring.evaluate``, the
   work of the examiner's page), median of repeated runs; goal ≤ 100 ms. Reference: the
   database's own aggregate over the same month caches (one GROUP BY), and the totals must agree.
2. --coops cooperatives with books (--coop-lines each): a regency-wide self-assessment of all of
   them; goal ≤ 30 s. Reference: one aggregate over all their caches.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import time
from decimal import Decimal
from pathlib import Path

from bench.ledger import _plan, bulk_load

DEFAULT_DIR = Path(__file__).resolve().parent.parent / "var" / "bench-health"
START = dt.date(2023, 1, 1)


def _setup():
    if not os.environ.get("DATABASE_URL"):
        os.environ.setdefault("KOPDIG_DATA_DIR", str(DEFAULT_DIR))
        data_dir = Path(os.environ["KOPDIG_DATA_DIR"]).resolve()
        if data_dir == DEFAULT_DIR.resolve():
            data_dir.mkdir(parents=True, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                p = data_dir / f"kopdig.sqlite3{suffix}"
                if p.exists():
                    p.unlink()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _coop(tag: str, n: int):
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Region, User
    from kopdig.tenancy.regions import load_kabupaten

    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    slug = f"bench-health-{tag}-{n}-{int(time.time())}"
    coop = _create_cooperative(
        kabupaten=kab,
        name=f"KSU Bench {tag} {n}",
        slug=slug,
        jenis=Cooperative.Jenis.SERBA_USAHA,
        has_usp=True,
        on_kopdig=True,
    )
    user, _ = User.objects.get_or_create(username="bench-health", defaults={"name": "Bench"})
    return coop, user


def _load(coop, user, n_lines, seed):
    rng = random.Random(seed)
    entries, count = _plan(n_lines, START, 3 * 365, rng)
    bulk_load(coop, user, entries)
    return count


def _db_aggregate(coop_ids, end: dt.date):
    """The database's own sums over the month caches up to ``end``: {(coop, type): natural amount}."""
    from django.db.models import Q, Sum

    from kopdig.ledger.models import AccountMonthBalance

    rows = (
        AccountMonthBalance.objects.filter(
            Q(year__lt=end.year) | Q(year=end.year, month__lte=end.month), cooperative_id__in=coop_ids
        )
        .values("cooperative_id", "account__type")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    out = {}
    for r in rows:
        d, c = Decimal(r["d"]).quantize(Decimal("0.01")), Decimal(r["c"]).quantize(Decimal("0.01"))
        out[(r["cooperative_id"], r["account__type"])] = (
            d - c if r["account__type"] in ("aset", "beban") else c - d
        )
    return out


def _median_ms(fn, repeat=9):
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), result


def _one_coop(args):
    from kopdig.health import scoring, selectors

    coop, user = _coop("big", 0)
    t0 = time.perf_counter()
    count = _load(coop, user, args.lines, 1)
    print(f"loaded {count:,} lines in {time.perf_counter() - t0:.1f} s")
    rubric = selectors.rubric_get("kkpkk")
    year = START.year + 2

    def ratios():
        figs = selectors.figure_values(selectors.book_figures(coop, year))
        return figs, scoring.evaluate(rubric.definition, figs, selectors.facts_for(coop, figs), {})

    ms, (figs, result) = _median_ms(ratios)
    ref_ms, agg = _median_ms(lambda: _db_aggregate([coop.pk], dt.date(year, 12, 31)))
    assert figs["total_aset"] == agg[(coop.pk, "aset")], (figs["total_aset"], agg[(coop.pk, "aset")])
    assert figs["total_kewajiban"] == agg[(coop.pk, "kewajiban")]
    for i in result.indicators():
        if i.kind == "ratio":
            print(
                f"  {i.name:45} {i.value if i.value is None else i.value.quantize(Decimal('0.01'))!s:>10} "
                f"{i.status:15} {i.score if i.score is not None else ''}"
            )
    print(
        f"(1) all KKPKK ratios, {count:,} lines: {ms:.1f} ms (goal ≤ 100 ms); reference DB aggregate over the "
        f"same caches {ref_ms:.1f} ms; ratio {ms / ref_ms:.1f}×; totals agree"
    )


def _many(args):
    from kopdig.health import selectors

    coops = []
    t0 = time.perf_counter()
    for n in range(args.coops):
        coop, user = _coop("many", n)
        _load(coop, user, args.coop_lines, 100 + n)
        coops.append(coop)
    print(f"loaded {args.coops} cooperatives × {args.coop_lines} lines in {time.perf_counter() - t0:.1f} s")
    rubric = selectors.rubric_get("kkpkk")
    year = START.year + 2
    t0 = time.perf_counter()
    totals = {c.pk: selectors.self_assessment(c, year, rubric)[1]["total_aset"].value for c in coops}
    seconds = time.perf_counter() - t0
    t1 = time.perf_counter()
    agg = _db_aggregate([c.pk for c in coops], dt.date(year, 12, 31))
    ref = time.perf_counter() - t1
    assert all(totals[c.pk] == agg.get((c.pk, "aset"), 0) for c in coops)
    print(
        f"(2) self-assessment of {len(coops)} cooperatives: {seconds:.2f} s (goal ≤ 30 s); reference one DB "
        f"aggregate over their caches {ref * 1000:.0f} ms; ratio {seconds / ref:.0f}×; totals agree"
    )


def main(argv):
    parser = argparse.ArgumentParser(prog="bench health")
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--coops", type=int, default=300)
    parser.add_argument("--coop-lines", type=int, default=400)
    args = parser.parse_args(argv)
    _setup()
    _one_coop(args)
    _many(args)
