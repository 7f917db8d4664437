"""Reads of the programmes app: events, participants, attendance, evaluations, certificates,
follow-ups, and the reach report. Every read takes the officer's kabupaten ids (or the
cooperative) explicitly; queries are bounded (aggregates in SQL, no query per row)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict

from django.db.models import Avg, Count, F, Min, Q
from django.http import Http404
from django.utils import timezone

from kopdig.dinas import selectors as dinas_selectors
from kopdig.health import selectors as health_selectors
from kopdig.members.models import Member
from kopdig.tenancy.models import Cooperative
from kopdig.usaha.models import Product

from . import cohorts
from .models import (
    Agreement,
    Attendance,
    Evaluation,
    Event,
    FollowUp,
    Organisation,
    Participation,
    Person,
    ProgramSettings,
    default_cohorts,
)

REGISTERED = Participation.Status.REGISTERED


def program_settings(kabupaten_id) -> ProgramSettings:
    return ProgramSettings.objects.filter(kabupaten_id=kabupaten_id).first() or ProgramSettings(
        kabupaten_id=kabupaten_id, cohorts=default_cohorts()
    )


def event_list(kabupaten_ids, *, year: int | None = None, kind: str = "", search: str = ""):
    qs = (
        Event.objects.filter(kabupaten_id__in=kabupaten_ids)
        .select_related("kecamatan")
        .annotate(
            n_registered=Count(
                "participations", filter=Q(participations__status=REGISTERED, participations__role="peserta")
            )
        )
    )
    if year:
        qs = qs.filter(start_date__year=year)
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(venue__icontains=search))
    return qs.order_by("-start_date", "-code")


def event_get(kabupaten_ids, code: str) -> Event:
    event = (
        Event.objects.select_related("kabupaten", "kecamatan")
        .filter(kabupaten_id__in=kabupaten_ids, code=code)
        .first()
    )
    if event is None:
        raise Http404
    return event


def event_days(event) -> list[dt.date]:
    return [event.start_date + dt.timedelta(days=i) for i in range(event.days)]


def participants(event):
    return (
        event.participations.select_related("person", "person__organisation", "cooperative")
        .annotate(days=Count("attendances"))
        .order_by("status", "waiting_position", "person__name")
    )


def attendance_matrix(event) -> tuple[list[dt.date], list[dict]]:
    """(days, rows): each registered participation with the set of days attended."""
    days = event_days(event)
    seen = defaultdict(set)
    for pid, day in Attendance.objects.filter(participation__event=event).values_list(
        "participation_id", "day"
    ):
        seen[pid].add(day)
    need = cohorts.required_days(event.days, event.min_days)
    rows = []
    for p in participants(event).filter(status=REGISTERED):
        rows.append(
            {
                "p": p,
                "days": [d in seen[p.pk] for d in days],
                "n": len(seen[p.pk]),
                "met": len(seen[p.pk]) >= need,
            }
        )
    return days, rows


def evaluation_summary(event) -> dict:
    evals = Evaluation.objects.filter(event=event)
    agg = evals.aggregate(n=Count("pk"), avg=Avg("rating"))
    per_speaker = defaultdict(list)
    for ratings in evals.values_list("speaker_ratings", flat=True):
        for key, value in (ratings or {}).items():
            per_speaker[int(key)].append(int(value))
    speakers = []
    for sp in event.participations.filter(role=Participation.Role.NARASUMBER).select_related("person"):
        values = per_speaker.get(sp.pk, [])
        speakers.append(
            {"speaker": sp, "n": len(values), "avg": round(sum(values) / len(values), 2) if values else None}
        )
    distribution = Counter(evals.values_list("rating", flat=True))
    return {
        "n": agg["n"],
        "avg": round(agg["avg"], 2) if agg["avg"] is not None else None,
        "speakers": speakers,
        "distribution": [(r, distribution.get(r, 0)) for r in range(5, 0, -1)],
        "comments": list(evals.exclude(comment="").values_list("comment", flat=True)[:200]),
    }


def with_evaluation_averages(events) -> list:
    """The events, each with ``eval_avg`` (the mean rating, one query for all)."""
    events = list(events)
    avgs = dict(
        Evaluation.objects.filter(event__in=events)
        .values("event_id")
        .annotate(a=Avg("rating"))
        .values_list("event_id", "a")
    )
    for e in events:
        e.eval_avg = round(avgs[e.pk], 2) if e.pk in avgs else None
    return events


def certificate_find(number: str) -> Participation | None:
    return (
        Participation.objects.select_related("event", "person")
        .filter(certificate_number=number)
        .exclude(certificate_number="")
        .first()
    )


def person_certificates(person_ids) -> list[Participation]:
    return list(
        Participation.objects.select_related("event")
        .filter(person_id__in=person_ids)
        .exclude(certificate_number="")
        .order_by("-event__start_date")
    )


def member_certificates(member) -> list[Participation]:
    ids = Person.objects.filter(Q(member=member) | Q(nik=member.nik, cooperative_id=member.cooperative_id))
    return person_certificates(ids.values_list("pk", flat=True))


def coop_events(cooperative, *, today: dt.date | None = None):
    """Events open for registration that target this cooperative (or nobody in particular)."""
    today = today or timezone.localdate()
    qs = Event.objects.filter(
        kabupaten_id=cooperative.kabupaten_id, status=Event.Status.OPEN, end_date__gte=today
    ).order_by("start_date")
    return [
        e
        for e in qs
        if (not e.target_jenis or cooperative.jenis in e.target_jenis)
        and (not e.target_kelompok or cooperative.kelompok in e.target_kelompok)
    ]


def coop_participations(cooperative):
    return (
        Participation.objects.filter(cooperative=cooperative)
        .select_related("event", "person")
        .annotate(days=Count("attendances"))
        .order_by("-event__start_date", "person__name")
    )


def organisations(kabupaten_ids, *, kind: str = "", search: str = ""):
    qs = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids).select_related("region")
    if kind:
        qs = qs.filter(kind=kind)
    if search:
        qs = qs.filter(name__icontains=search)
    return qs


def organisation_get(kabupaten_ids, code: str) -> Organisation:
    obj = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids, code=code).first()
    if obj is None:
        raise Http404
    return obj


def agreements(kabupaten_ids):
    return (
        Agreement.objects.filter(kabupaten_id__in=kabupaten_ids)
        .select_related("event")
        .prefetch_related("organisations", "cooperatives")
    )


def agreement_get(kabupaten_ids, code: str) -> Agreement:
    obj = agreements(kabupaten_ids).filter(code=code).first()
    if obj is None:
        raise Http404
    return obj


OPEN_STATES = (FollowUp.Status.OPEN, FollowUp.Status.IN_PROGRESS)


def is_overdue(follow_up, today: dt.date) -> bool:
    return follow_up.status in OPEN_STATES and follow_up.deadline < today


def follow_up_board(kabupaten_ids, *, today: dt.date | None = None, cooperative=None) -> dict:
    """Open follow-ups split into overdue and upcoming, plus the recently done."""
    today = today or timezone.localdate()
    qs = FollowUp.objects.select_related("event", "agreement", "owner_cooperative", "owner_organisation")
    qs = (
        qs.filter(owner_cooperative=cooperative) if cooperative else qs.filter(kabupaten_id__in=kabupaten_ids)
    )
    open_ = list(qs.filter(status__in=OPEN_STATES).order_by("deadline"))
    return {
        "overdue": [f for f in open_ if f.deadline < today],
        "upcoming": [f for f in open_ if f.deadline >= today],
        "done": list(qs.filter(status=FollowUp.Status.DONE).order_by("-done_on")[:20]),
        "today": today,
    }


def follow_up_get(kabupaten_ids, code: str, cooperative=None) -> FollowUp:
    qs = (
        FollowUp.objects.filter(owner_cooperative=cooperative)
        if cooperative
        else FollowUp.objects.filter(kabupaten_id__in=kabupaten_ids)
    )
    obj = qs.filter(code=code).first()
    if obj is None:
        raise Http404
    return obj


# --- reach and outcomes -----------------------------------------------------------------------


def _year_participations(kabupaten_ids, year: int):
    return Participation.objects.filter(
        kabupaten_id__in=kabupaten_ids, status=REGISTERED, event__start_date__year=year
    ).exclude(event__status=Event.Status.CANCELLED)


def _labelled(counter: Counter, choices) -> list[dict]:
    labels = dict(choices)
    return [{"key": k, "label": str(labels.get(k, k or "—")), "n": n} for k, n in counter.most_common()]


def _generation_rows(counts: dict[str, int], conf) -> list[dict]:
    share = cohorts.shares(counts)
    labels = {c["key"]: c["label"] for c in conf}
    labels[cohorts.OTHER] = "Lainnya"
    return [{"key": k, "label": labels.get(k, k), "n": n, "share": share[k]} for k, n in counts.items()]


def _people_profile(rows, conf, settings_) -> dict:
    """Distinct persons from (gender, birth_date, first event date) rows, one row per person."""
    rows = list(rows)
    gender = Counter(g for g, _b, _d in rows)
    gen = cohorts.generation_counts((b.year for _g, b, _d in rows), conf)
    youth = sum(
        1 for _g, b, d in rows if cohorts.is_youth(b, d, settings_.youth_min_age, settings_.youth_max_age)
    )
    n = len(rows)
    return {
        "n": n,
        "gender": {"L": gender.get("L", 0), "P": gender.get("P", 0)},
        "generations": _generation_rows(gen, conf),
        "youth": youth,
        "youth_share": cohorts.percent(youth, n),
    }


def _kopdig_generations(kabupaten_ids, conf, settings_, on: dt.date) -> dict:
    """Generations of the active members of cooperatives on Kopdig, and of their officers (members
    who hold a pengurus or pengawas role): the baseline the participants compare with."""
    members = Member.objects.filter(
        cooperative__kabupaten_id__in=kabupaten_ids,
        cooperative__on_kopdig=True,
        status=Member.Status.AKTIF,
        birth_date__isnull=False,
    )
    by_year = dict(
        members.values_list("birth_date__year").annotate(n=Count("pk")).values_list("birth_date__year", "n")
    )
    officers = members.filter(
        user__roles__kind__in=("pengurus", "pengawas"), user__roles__cooperative_id=F("cooperative_id")
    )
    off_years = list(officers.values_list("birth_date__year", flat=True))
    gen = {c["key"]: 0 for c in conf}
    for year, n in by_year.items():
        key = cohorts.generation(year, conf)
        gen[key] = gen.get(key, 0) + n
    lo, hi = on.year - settings_.youth_max_age, on.year - settings_.youth_min_age
    youth = sum(n for y, n in by_year.items() if lo <= y <= hi)
    total = sum(by_year.values())
    return {
        "members": _generation_rows(gen, conf),
        "members_n": total,
        "members_youth_share": cohorts.percent(youth, total),
        "officers": _generation_rows(cohorts.generation_counts(off_years, conf), conf),
        "officers_n": len(off_years),
    }


def reach(kabupaten_ids, year: int, *, today: dt.date | None = None) -> dict:
    """The programme's reach in ``year``: cooperatives reached (by jenis, kelompok, kecamatan),
    active cooperatives not reached in the three years up to ``year``, and participants by gender,
    generation and youth beside the members and officers of cooperatives on Kopdig."""
    kab = sorted(kabupaten_ids)[0] if kabupaten_ids else None
    settings_ = program_settings(kab)
    conf = settings_.cohorts
    parts = _year_participations(kabupaten_ids, year)
    coops = list(
        Cooperative.objects.filter(pk__in=parts.exclude(cooperative=None).values("cooperative_id"))
        .select_related("kecamatan")
        .order_by("name")
    )
    reached_3 = (
        Participation.objects.filter(
            kabupaten_id__in=kabupaten_ids,
            status=REGISTERED,
            event__start_date__year__gte=year - 2,
            event__start_date__year__lte=year,
        )
        .exclude(cooperative=None)
        .values("cooperative_id")
    )
    never = (
        Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids, status=Cooperative.Status.AKTIF)
        .exclude(pk__in=reached_3)
        .select_related("kecamatan")
        .order_by("kecamatan__name", "name")
    )
    # One row per person: gender, birth date and the date of their first event of the year.
    people = (
        parts.values("person_id")
        .annotate(first=Min("event__start_date"))
        .values_list("person__gender", "person__birth_date", "first")
    )
    return {
        "year": year,
        "events": Event.objects.filter(kabupaten_id__in=kabupaten_ids, start_date__year=year)
        .exclude(status=Event.Status.CANCELLED)
        .count(),
        "participations": parts.count(),
        "coops": coops,
        "by_jenis": _labelled(Counter(c.jenis for c in coops), Cooperative.Jenis.choices),
        "by_kelompok": _labelled(Counter(c.kelompok for c in coops), Cooperative.Kelompok.choices),
        "by_kecamatan": [
            {"key": k, "label": k, "n": n}
            for k, n in Counter(c.kecamatan.name if c.kecamatan else "—" for c in coops).most_common()
        ],
        "never_reached": never,
        "never_reached_n": never.count(),
        "people": _people_profile(people, conf, settings_),
        "baseline": _kopdig_generations(kabupaten_ids, conf, settings_, today or dt.date(year, 12, 31)),
        "cohorts": conf,
    }


def before_after(event) -> list[dict]:
    """For each cooperative on Kopdig that took part: its indicators for the book year before the
    event and for the event's year: RAT held, members, assets, turnover (the Dinas's annual figures,
    computed from the books), the health predicate of that book year's approved examination, and
    the products it had online (published in the market) by the end of that year."""
    coops = list(
        Cooperative.objects.filter(
            pk__in=event.participations.filter(status=REGISTERED)
            .exclude(cooperative=None)
            .values("cooperative_id"),
            on_kopdig=True,
        ).order_by("name")
    )
    if not coops:
        return []
    y0, y1 = event.start_date.year - 1, event.start_date.year
    before = {
        r.cooperative.pk: r for r in dinas_selectors.annual_table([event.kabupaten_id], y0, coops=coops)
    }
    after = {r.cooperative.pk: r for r in dinas_selectors.annual_table([event.kabupaten_id], y1, coops=coops)}
    extra = {y: _health_and_market([event.kabupaten_id], coops, y) for y in (y0, y1)}
    return [
        {
            "coop": c,
            "year_before": y0,
            "year_after": y1,
            "before": _indicators(before[c.pk], *extra[y0][c.pk]),
            "after": _indicators(after[c.pk], *extra[y1][c.pk]),
        }
        for c in coops
    ]


def _health_and_market(kabupaten_ids, coops, year: int) -> dict[int, tuple]:
    """Per cooperative: (predicate label or "", products online by 31 December of ``year``)."""
    predicates = {
        e.cooperative_id: e.get_predicate_display()
        for e in health_selectors.latest_results(kabupaten_ids, year)
        if e.predicate
    }
    online = dict(
        Product.objects.filter(
            cooperative__in=coops, published=True, created_at__date__lte=dt.date(year, 12, 31)
        )
        .values("cooperative_id")
        .annotate(n=Count("id"))
        .values_list("cooperative_id", "n")
    )
    return {c.pk: (predicates.get(c.pk, ""), online.get(c.pk, 0)) for c in coops}


def _indicators(row, predicate: str, online: int) -> dict:
    def value(name):
        fig = row.figures.get(name)
        return fig.value if fig is not None else None

    members = [value("anggota_l"), value("anggota_p")]
    return {
        "rat": row.rat_held,
        "anggota": None if None in members else sum(members),
        "aset": value("aset"),
        "volume": value("volume_usaha"),
        "predikat": predicate,
        "online": online,
    }
