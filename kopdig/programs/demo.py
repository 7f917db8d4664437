"""Demo step: the Dinas's programme history 2018–2026 in Kabupaten Probolinggo.

The seed events of the Dinas's reports (domain §10): the rakor of 50 cooperative boards on
23 November 2018, the business-network evaluation of 45 on 5 November 2018, the rakor on
millennial cooperatives with 30 participants on 3 September 2019 with its action plan and MoUs,
the three-day training of 30 in Paiton on 13–15 September 2021 with the province's training
unit, the two-day workshop of 36 (31 women's cooperatives, 5 KSU) on 31 October–1 November 2022;
a few events every other year, and an open training next month the showcase cooperatives are
invited to. Participants come from the registry (and the showcase cooperatives' own members, who
then see their certificates).

Events, certificates and follow-ups go through the actions; persons, participations, attendance
and evaluations are bulk rows equal to what the actions write (one audit row each).
Idempotent: nothing is written when the regency already has programme events. Deterministic.
"""

from __future__ import annotations

import datetime as dt
import random

from kopdig.audit.models import AuditLog
from kopdig.lib.tokens import hash_token, new_secret
from kopdig.lib.transactions import batch
from kopdig.members.models import Member
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.demo import FIRST, LAST
from kopdig.tenancy.models import Cooperative, Region

from . import actions
from .models import Attendance, Evaluation, Event, Organisation, Participation, Person

SEED = 2018
D = dt.date
ORGANISATIONS = [
    ("UPT Pelatihan Koperasi dan UKM Provinsi Jawa Timur", "pemerintah", "35"),
    ("Dekopinda Kabupaten Probolinggo", "dekopin", "35.13"),
    ("Universitas Panca Marga", "universitas", "35.13"),
    ("Universitas Nurul Jadid", "universitas", "35.13"),
    ("HIPMI Kabupaten Probolinggo", "usaha", "35.13"),
    ("Karang Taruna Kabupaten Probolinggo", "pemuda", "35.13"),
    ("OJK Malang", "pemerintah", "35"),
    ("Dinas Koperasi dan UKM DIY", "pemerintah", "34"),
]
# (start, end, kind, title, n participants, venue, kecamatan, selector of cooperatives, co-organisers)
SEED_EVENTS = [
    (
        D(2018, 5, 16),
        D(2018, 5, 17),
        "temu_usaha",
        "Temu usaha koperasi Probolinggo–Yogyakarta",
        40,
        "Pendopo Kabupaten",
        "Kraksaan",
        "any",
        [7],
    ),
    (
        D(2018, 11, 5),
        D(2018, 11, 5),
        "fgd",
        "Evaluasi jejaring usaha kerja sama koperasi",
        45,
        "Aula Dinas",
        "Kraksaan",
        "any",
        [],
    ),
    (
        D(2018, 11, 23),
        D(2018, 11, 23),
        "rakor",
        "Rapat koordinasi pengurus koperasi",
        50,
        "Aula Dinas",
        "Kraksaan",
        "any",
        [1],
    ),
    (
        D(2019, 9, 3),
        D(2019, 9, 3),
        "rakor",
        "Koperasi milenial dan startup: peran perguruan tinggi dan pemuda",
        30,
        "Aula Universitas Panca Marga",
        "Paiton",
        "youth",
        [2, 3, 4, 5],
    ),
    (
        D(2020, 10, 14),
        D(2020, 10, 14),
        "sosialisasi",
        "Sosialisasi RAT daring dan hibrida",
        40,
        "Daring (Zoom)",
        None,
        "any",
        [],
    ),
    (
        D(2021, 9, 13),
        D(2021, 9, 15),
        "pelatihan",
        "Pelatihan kemasan, pemasaran daring dan pembukuan",
        30,
        "Balai Desa Paiton",
        "Paiton",
        "wanita",
        [0],
    ),
    (
        D(2022, 10, 31),
        D(2022, 11, 1),
        "workshop",
        "Workshop tata kelola koperasi wanita dan KSU",
        36,
        "Hotel Bromo View",
        "Sukapura",
        "workshop",
        [1],
    ),
    (
        D(2023, 8, 22),
        D(2023, 8, 23),
        "pelatihan",
        "Pelatihan SAK EP untuk koperasi simpan pinjam",
        35,
        "Aula Dinas",
        "Kraksaan",
        "ksp",
        [6],
    ),
    (
        D(2024, 6, 11),
        D(2024, 6, 11),
        "sosialisasi",
        "Sosialisasi P2SK: open loop dan closed loop",
        60,
        "Aula Dinas",
        "Kraksaan",
        "ksp",
        [6],
    ),
    (
        D(2025, 7, 15),
        D(2025, 7, 17),
        "pelatihan",
        "Pelatihan pengurus Koperasi Desa Merah Putih",
        48,
        "Gedung Serbaguna",
        "Dringu",
        "kdmp",
        [1],
    ),
    (
        D(2026, 3, 10),
        D(2026, 3, 11),
        "workshop",
        "Workshop digitalisasi koperasi dengan Kopdig",
        40,
        "Aula Dinas",
        "Kraksaan",
        "any",
        [2],
    ),
]
ACTION_PLAN_2019 = [
    ("FGD kurikulum perkoperasian bersama perguruan tinggi", "Bidang Kelembagaan", 2, 45),
    ("Penandatanganan MoU dengan perguruan tinggi, HIPMI dan Karang Taruna", "Bidang Kelembagaan", 2, 60),
    ("Seminar koperasi milenial dan startup", "Bidang Pemberdayaan", 4, 120),
    ("Kurikulum kewirausahaan koperasi untuk kampus", "Universitas Panca Marga", None, 240),
    ("Pembentukan koperasi mahasiswa di dua kampus", "Bidang Kelembagaan", 3, 365),
]


def run(ctx):
    kab = ctx.kabupaten
    if Event.objects.filter(kabupaten=kab).exists():
        return
    rng = random.Random(SEED)
    with batch():
        orgs = _organisations(kab)
        pools, cache = _pools(kab), {}
        for start, end, kind, title, n, venue, kec, pool, co in SEED_EVENTS:
            if start > ctx.today:
                continue
            event = _event(kab, start, end, kind, title, venue, kec, n, [orgs[i] for i in co])
            if (
                pool == "youth"
            ):  # the 2019 rakor: universities, HIPMI and Karang Taruna beside the cooperatives
                _guests(rng, event, orgs[2:6], 12)
                n -= 12
            _participants(rng, event, pools[pool], n, cache)
            actions.certificates_issue(actor=SYSTEM, event=event, on=end)
            actions.event_save(actor=SYSTEM, kabupaten=kab, event=event, status=Event.Status.DONE)
        _millennial_follow_up(kab, orgs, ctx.today)
        _open_training(ctx, kab, orgs)
    ctx.log(
        f"  program: {Event.objects.filter(kabupaten=kab).count()} kegiatan, "
        f"{Participation.objects.filter(kabupaten=kab).count()} keikutsertaan"
    )


def _organisations(kab) -> list[Organisation]:
    regions = {r.code: r for r in Region.objects.filter(code__in={c for _n, _k, c in ORGANISATIONS})}
    return [
        actions.organisation_save(actor=SYSTEM, kabupaten=kab, name=name, kind=kind, region=regions.get(code))
        for name, kind, code in ORGANISATIONS
    ]


def _pools(kab) -> dict[str, list]:
    coops = list(Cooperative.objects.filter(kabupaten=kab, status="aktif").order_by("pk"))
    by = {
        "any": coops,
        "youth": [c for c in coops if c.kelompok in ("mahasiswa", "sekolah", "pontren")] or coops,
        "wanita": [c for c in coops if c.kelompok == "wanita"] or coops,
        "ksp": [c for c in coops if c.jenis == "simpan_pinjam"] or coops,
        "kdmp": [c for c in coops if c.kelompok == "kdmp"] or coops,
    }
    by["workshop"] = by["wanita"][:31] + [c for c in coops if c.jenis == "serba_usaha"][:5]
    return by


def _event(kab, start, end, kind, title, venue, kec, capacity, co_organisers):
    kecamatan = Region.objects.filter(parent=kab, name=kec).first() if kec else None
    return actions.event_save(
        actor=SYSTEM,
        kabupaten=kab,
        kind=kind,
        title=title,
        start_date=start,
        end_date=end,
        venue=venue,
        kecamatan=kecamatan,
        capacity=capacity,
        organiser="Dinas Koperasi",
        status=Event.Status.CLOSED,
        co_organisers=co_organisers,
    )


def _nik(rng, kec_code: str, birth: dt.date, woman: bool) -> str:
    day = birth.day + (40 if woman else 0)
    return f"3513{kec_code}{day:02d}{birth.month:02d}{birth.year % 100:02d}{rng.randint(1, 9999):04d}"


def _birth(rng, event: Event, pool: str) -> dt.date:
    young = pool in ("youth",) or rng.random() < 0.25
    age = rng.randint(19, 30) if young else rng.randint(31, 64)
    return dt.date(event.start_date.year - age, rng.randint(1, 12), rng.randint(1, 28))


def _person_for(rng, kab, coop, event, known: set, cache: dict) -> Person:
    """A member of a showcase cooperative (linked), else a registry cooperative's pengurus."""
    if coop.on_kopdig:
        members = [m for m in _members(coop, cache) if m.nik not in known]
        if members:
            member = rng.choice(members)
            return actions.person_save(
                actor=SYSTEM,
                kabupaten=kab,
                nik=member.nik,
                name=member.name,
                cooperative=coop,
                member=member,
                position="Anggota",
            )
    woman = coop.kelompok == "wanita" or rng.random() < 0.45
    while True:
        birth = _birth(rng, event, "")
        nik = _nik(rng, coop.kecamatan.code[-2:] if coop.kecamatan_id else "01", birth, woman)
        if nik not in known:
            break
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return actions.person_save(
        actor=SYSTEM,
        kabupaten=kab,
        nik=nik,
        name=name,
        cooperative=coop,
        position=rng.choice(["Ketua", "Sekretaris", "Bendahara", "Pengawas", "Manajer"]),
    )


def _members(coop, cache: dict) -> list:
    if coop.pk not in cache:
        cache[coop.pk] = list(
            Member.objects.filter(cooperative=coop, status="aktif").order_by("number")[:200]
        )
    return cache[coop.pk]


def _participants(rng, event, pool, n, cache):
    kab = event.kabupaten
    known = set(Person.objects.filter(kabupaten=kab).values_list("nik", flat=True))
    coops = rng.sample(pool, min(n, len(pool)))
    showcase = [c for c in pool if c.on_kopdig]
    if showcase and event.kind in ("pelatihan", "workshop"):
        coops = showcase[:2] + coops[: n - 2]
    parts, logs = [], []
    for coop in coops[:n]:
        person = _person_for(rng, kab, coop, event, known, cache)
        known.add(person.nik)
        parts.append(
            Participation(
                kabupaten=kab,
                event=event,
                person=person,
                cooperative=coop,
                token_hash=hash_token(new_secret()),
            )
        )
        logs.append(
            AuditLog(
                kabupaten=kab,
                cooperative=coop,
                action="participant_register",
                object_type="programs.Participation",
                object_ref=event.code,
                summary=f"{person.name}: Terdaftar",
            )
        )
    Participation.objects.bulk_create(parts)
    AuditLog.objects.bulk_create(logs)
    days = [event.start_date + dt.timedelta(days=i) for i in range(event.days)]
    att, evals = [], []
    for p in Participation.objects.filter(event=event, attendances__isnull=True):
        attended = [d for d in days if rng.random() < 0.93] or days[:1]
        att += [
            Attendance(kabupaten=kab, participation=p, day=d, method=rng.choice(["qr", "list"]))
            for d in attended
        ]
        if rng.random() < 0.7:
            evals.append(
                Evaluation(
                    kabupaten=kab,
                    participation=p,
                    event=event,
                    rating=rng.choice([3, 4, 4, 5, 5]),
                    comment=rng.choice(
                        ["", "", "Materi bermanfaat", "Waktu kurang panjang", "Perlu pendampingan lanjutan"]
                    ),
                )
            )
    Attendance.objects.bulk_create(att)
    Evaluation.objects.bulk_create(evals)


def _guests(rng, event, orgs, n):
    """Participants from bodies outside the registry (young people mostly), through the actions."""
    known = set(Person.objects.filter(kabupaten=event.kabupaten).values_list("nik", flat=True))
    for i in range(n):
        org = orgs[i % len(orgs)]
        woman = rng.random() < 0.5
        while True:
            birth = dt.date(
                event.start_date.year - rng.randint(19, 29), rng.randint(1, 12), rng.randint(1, 28)
            )
            nik = _nik(rng, "14", birth, woman)
            if nik not in known:
                known.add(nik)
                break
        person = actions.person_save(
            actor=SYSTEM,
            kabupaten=event.kabupaten,
            nik=nik,
            organisation=org,
            name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
            position=rng.choice(["Mahasiswa", "Dosen", "Pengusaha muda", "Ketua"]),
        )
        p, _raw = actions.participant_register(actor=SYSTEM, event=event, person=person)
        for day in range(event.days):
            actions.attendance_check_in(
                actor=SYSTEM, event=event, participation=p, day=event.start_date + dt.timedelta(days=day)
            )


def _millennial_follow_up(kab, orgs, today):
    event = Event.objects.filter(kabupaten=kab, start_date=D(2019, 9, 3)).first()
    if event is None:
        return
    for what, owner, org_index, days in ACTION_PLAN_2019:
        f = actions.follow_up_save(
            actor=SYSTEM,
            kabupaten=kab,
            event=event,
            what=what,
            owner_section="" if org_index is not None and owner != "Bidang Kelembagaan" else owner,
            owner_organisation=None if org_index is None else orgs[org_index],
            deadline=event.start_date + dt.timedelta(days=days),
        )
        if days <= 120:
            actions.follow_up_progress(
                actor=SYSTEM,
                follow_up=f,
                status="done",
                note="Terlaksana",
                on=f.deadline - dt.timedelta(days=5),
            )
    for org in orgs[2:6]:
        actions.agreement_save(
            actor=SYSTEM,
            kabupaten=kab,
            subject=f"Pengembangan koperasi milenial dengan {org.name}",
            number=f"MoU/{org.pk:03d}/DKUPP/XI/2019",
            signed_on=D(2019, 11, 12),
            valid_until=D(2022, 11, 12),
            event=event,
            organisations=[org],
        )
    actions.follow_up_save(
        actor=SYSTEM,
        kabupaten=kab,
        what="Perpanjangan MoU koperasi milenial",
        owner_section="Bidang Kelembagaan",
        deadline=min(today, D(2026, 6, 30)),
    )


def _open_training(ctx, kab, orgs):
    start = ctx.today + dt.timedelta(days=30)
    actions.event_save(
        actor=SYSTEM,
        kabupaten=kab,
        kind="pelatihan",
        title="Pelatihan pemasaran produk anggota di pasar daring",
        start_date=start,
        end_date=start + dt.timedelta(days=1),
        venue="Aula Dinas",
        capacity=40,
        organiser="Dinas Koperasi",
        status=Event.Status.OPEN,
        co_organisers=[orgs[0]],
        objectives="Memasarkan produk anggota koperasi secara daring; foto produk, harga, pengiriman.",
    )
