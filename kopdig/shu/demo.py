"""Demo step: SHU for the showcase cooperatives.

Past book years with books (today.year-2 and today.year-1) are closed, approved by a RAT,
allocated and distributed (cash for a KSP, credited to sukarela elsewhere); the current year
is simulated. Runs after the ledger, members, savings and loans demos; a cooperative without
members or books is skipped with a log line. Idempotent: every step looks at the year's status
and only does what is still missing, through the same actions as the pages.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model

from kopdig.ledger import periods
from kopdig.ledger.models import JournalLine
from kopdig.lib.errors import DomainError
from kopdig.members.models import Member

from . import actions, selectors
from .models import MemberVolume, ShuYear

S = ShuYear.Status


def _has_books(coop, year: int) -> bool:
    return JournalLine.objects.filter(cooperative=coop, date__year=year).exists()


def _ensure_volumes(ctx, coop, year: int) -> None:
    """Members' purchases/deliveries for a trading cooperative (deterministic per coop and year)."""

    if MemberVolume.objects.filter(cooperative=coop, year=year).exists():
        return
    rng = random.Random(f"{coop.slug}-{year}")
    kind = MemberVolume.Kind.PENYERAHAN if coop.jenis == "produsen" else MemberVolume.Kind.PEMBELIAN
    rows = []
    start, end = selectors.year_bounds(year)
    for number in (
        Member.objects.filter(cooperative=coop, joined_on__lte=end)
        .exclude(status="calon")
        .order_by("number")
        .values_list("number", flat=True)
    ):
        if rng.random() < 0.85:
            rows.append(
                (
                    len(rows) + 2,
                    {
                        "no_anggota": number,
                        "jenis": kind,
                        "jumlah": str(Decimal(rng.randint(20, 1500)) * 10_000),
                    },
                )
            )
    if rows:
        actions.member_volume_import(actor=_actor(coop), cooperative=coop, year=year, rows=rows)


def _actor(coop):
    return get_user_model().objects.get(username=f"{coop.slug}-pengurus")


def _settings(ctx, coop, year: int) -> None:
    sy = selectors.shu_year_get(coop, year)
    if sy is not None and sy.status != S.DRAFT:
        return
    jasa = bool(selectors.jasa_basis(coop, year)) if coop.jenis == "simpan_pinjam" or coop.has_usp else False
    if coop.jenis == "simpan_pinjam" and jasa:
        basis = ShuYear.TransaksiBasis.JASA
    else:
        _ensure_volumes(ctx, coop, year)
        basis = ShuYear.TransaksiBasis.MIX if jasa else ShuYear.TransaksiBasis.VOLUME
    actions.shu_year_save(
        actor=_actor(coop),
        cooperative=coop,
        year=year,
        transaksi_basis=basis,
        separate_non_member=coop.jenis != "simpan_pinjam",
    )


def _rat_date(coop, year: int, today: dt.date) -> dt.date:
    date = dt.date(year + 1, 3, 15)
    lock = periods.closed_through(coop)
    if lock and date <= lock:
        date = lock + dt.timedelta(days=1)
    return min(date, today)


def _close_and_distribute(ctx, coop, year: int, today: dt.date) -> None:
    actor = _actor(coop)
    sy = selectors.shu_year_get(coop, year)
    if sy.status in (S.DRAFT, S.SIMULATED):
        actions.shu_year_close(actor=actor, cooperative=coop, year=year)
        sy.refresh_from_db()
    if sy.status == S.CLOSED:
        if (sy.book_shu or 0) <= 0 and sy.shu_override is None:
            ctx.log(f"  shu: {coop.slug} {year} tanpa SHU positif, tidak dibagi")
            return
        actions.shu_approve(
            actor=actor,
            cooperative=coop,
            year=year,
            rat_date=_rat_date(coop, year, today),
            rat_reference=f"{year + 1}/RAT/{coop.slug[:10].upper()}",
        )
        sy.refresh_from_db()
    if sy.status == S.APPROVED:
        actions.shu_allocate(actor=actor, cooperative=coop, year=year)
        sy.refresh_from_db()
    if sy.status == S.ALLOCATED:
        method = ShuYear.Method.TUNAI if coop.jenis == "simpan_pinjam" else ShuYear.Method.SUKARELA
        date = sy.distribute_date or min(sy.rat_date + dt.timedelta(days=14), today)
        actions.shu_distribute(actor=actor, cooperative=coop, year=year, method=method, date=date)


def run(ctx):
    today = min(ctx.today, dt.date.today())
    for coop in ctx.showcase:
        if (
            not Member.objects.filter(cooperative=coop).exists()
            or not JournalLine.objects.filter(cooperative=coop).exists()
        ):
            ctx.log(f"  shu: {coop.slug} belum punya anggota atau pembukuan, dilewati")
            continue
        for year in (today.year - 2, today.year - 1):
            if not _has_books(coop, year):
                continue
            try:
                _settings(ctx, coop, year)
                _close_and_distribute(ctx, coop, year, today)
            except DomainError as exc:
                ctx.log(f"  shu: {coop.slug} {year}: {exc}")
                break  # a later year cannot close before this one
        try:
            _settings(ctx, coop, today.year)
        except DomainError as exc:
            ctx.log(f"  shu: {coop.slug} {today.year}: {exc}")
