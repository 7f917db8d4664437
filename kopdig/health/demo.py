"""Demo step (after the Dinas step): health examinations of the regency.

- Two Dinas officers: ``dinas-pengawas`` (pengawas koperasi, the examiner) and ``dinas-kepala``
  (kepala, approves: four-eyes).
- The showcase cooperatives: KKPKK examinations of the last two book years computed from their
  books, approved and published, with follow-ups.
- About 150 other active cooperatives: the last book year (and the one before for a third of
  them) from the Dinas's reported annual figures, completed with figures "read from the
  reported statements" (deterministic), so the Dinas pages show a realistic spread of predicates.

Everything goes through the actions in one ``batch()`` (same rows and audit as the pages).
Idempotent: nothing happens when the regency already has examinations. Deterministic seed.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model

from kopdig.dinas import selectors as dinas_selectors
from kopdig.lib.errors import DomainError
from kopdig.lib.transactions import batch
from kopdig.tenancy.models import Cooperative, DinasRole

from . import actions, selectors
from .models import Examination

SEED = 916
N_REPORTED = 150
RECOMMENDATIONS = [
    "Lengkapi dan sahkan SOP simpan pinjam dalam RAT berikutnya",
    "Perbarui daftar anggota dan buku induk anggota",
    "Tingkatkan penyisihan cadangan risiko pinjaman sesuai kolektibilitas",
    "Selenggarakan pendidikan perkoperasian bagi anggota",
    "Susun rencana penagihan pinjaman bermasalah",
]


PASSWORD = "demo"


def _officer(username, name):
    user, created = get_user_model().objects.get_or_create(username=username, defaults={"name": name})
    if created:
        user.set_password(PASSWORD)
        user.save()
    return user


def officers(ctx):
    examiner = _officer("dinas-pengawas", "Rina Wulandari (Pengawas Koperasi)")
    kepala = _officer("dinas-kepala", "Drs. Hadi Santoso (Kepala Bidang Koperasi)")
    DinasRole.objects.get_or_create(
        user=examiner, kabupaten=ctx.kabupaten, defaults={"kind": DinasRole.Kind.PENGAWAS_KOPERASI}
    )
    DinasRole.objects.get_or_create(
        user=kepala, kabupaten=ctx.kabupaten, defaults={"kind": DinasRole.Kind.KEPALA}
    )
    return examiner, kepala


def run(ctx):
    started = time.monotonic()
    if Examination.objects.filter(cooperative__kabupaten=ctx.kabupaten).exists():
        return
    rng = random.Random(SEED)
    examiner, kepala = officers(ctx)
    rubric = selectors.rubric_get("kkpkk")
    last = ctx.today.year - 1
    n = 0
    with batch():
        for coop in ctx.showcase:
            for year in (last - 1, last):
                n += _examine(rng, coop, year, rubric, examiner, kepala, quality=0.9)
        for coop, year in _reported_sample(ctx, rng, last):
            n += _examine(
                rng,
                coop,
                year,
                rubric,
                examiner,
                kepala,
                quality=rng.choice([0.35, 0.55, 0.7, 0.85, 0.95]),
                figures=_statement_figures(rng, coop, year),
            )
    ctx.log(
        f"  health: {n} pemeriksaan ({time.monotonic() - started:.1f} s); login dinas-pengawas, dinas-kepala"
    )


def _reported_sample(ctx, rng, last):
    coops = list(
        Cooperative.objects.filter(kabupaten=ctx.kabupaten, status=Cooperative.Status.AKTIF, on_kopdig=False)
        .exclude(kelompok=Cooperative.Kelompok.KDMP)
        .order_by("pk")
    )
    chosen = rng.sample(coops, min(N_REPORTED, len(coops)))
    pairs = [(c, last) for c in chosen]
    pairs += [(c, last - 1) for c in chosen[: len(chosen) // 3]]
    return sorted(pairs, key=lambda p: (p[1], p[0].pk))


def _statement_figures(rng, coop, year) -> dict:
    """Figures an examiner reads from the statements that the annual data lacks."""
    reported = dinas_selectors.annual_figures(coop, year)
    aset = reported.value("aset")
    if not aset:
        return {}
    volume = reported.value("volume_usaha") or aset
    costs = (volume * Decimal(rng.uniform(0.08, 0.2))).quantize(Decimal("1"))
    out = {
        "partisipasi_neto": (costs * Decimal(rng.uniform(0.85, 1.35))).quantize(Decimal("1")),
        "beban_usaha": (costs * Decimal("0.85")).quantize(Decimal("1")),
        "beban_perkoperasian": costs - (costs * Decimal("0.85")).quantize(Decimal("1")),
    }
    if coop.jenis == Cooperative.Jenis.SIMPAN_PINJAM or coop.has_usp:
        productive = (aset * Decimal(rng.uniform(0.75, 0.95))).quantize(Decimal("1"))
        out.update(
            aset_produktif=productive,
            pinjaman_neto=(productive * Decimal(rng.uniform(0.65, 1.0))).quantize(Decimal("1")),
        )
    return out


def _examine(rng, coop, year, rubric, examiner, kepala, quality, figures=None) -> int:
    try:
        exam = actions.examination_open(actor=examiner, cooperative=coop, year=year, rubric=rubric)
        if figures:
            exam = actions.examination_figures_set(actor=examiner, examination=exam, figures=figures)
        answers = {
            code: {"items": {i.code: rng.random() < quality for i in ind.items.all()}}
            for code, ind in selectors.indicators_by_code(rubric).items()
            if ind.kind == "checklist"
        }
        actions.examination_answers_save(actor=examiner, examination=exam, answers=answers)
        actions.examination_update(
            actor=examiner,
            examination=exam,
            kuk_class=rng.choice([1, 2, 2, 3, 3, 4]),
            summary="Pemeriksaan berkala (data demo).",
        )
        if rng.random() < 0.6:
            actions.followup_add(
                actor=examiner,
                examination=exam,
                recommendation=rng.choice(RECOMMENDATIONS),
                deadline=dt.date(year + 1, rng.randint(3, 12), 28),
            )
        exam = actions.examination_submit(actor=examiner, examination=exam)
    except DomainError:
        return 0  # figures incomplete: the examination stays a draft, as it would for an officer
    exam = actions.examination_approve(actor=kepala, examination=exam)
    actions.examination_publish(actor=kepala, examination=exam)
    return 1
