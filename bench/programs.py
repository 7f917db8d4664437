"""Programmes benchmark (issue 17) in a fresh data directory (SQLite there, or DATABASE_URL).

1. Reach report for a year over 1,100 cooperatives and 20,000 participations: the selector's
   median time; reference: the database's own aggregate over the same rows (distinct
   cooperatives by jenis and persons by gender/birth year, one raw SQL statement each).
2. 500 QR check-ins through ``attendance_check_in`` from 8 concurrent clients (threads, one
   database connection each); reference: a raw INSERT of the same 500 attendance rows.
3. 500 certificates as one PDF batch (WeasyPrint, the page the officer downloads).

    python -m bench programs [-- --coops 1100 --participations 20000 --checkins 500 --certs 500]
Goals: reach ≤ 200 ms; check-ins ≥ 200/s; 500 certificates ≤ 60 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import tempfile
import threading
import time


def _setup():
    import django
    from django.apps import apps

    if not apps.ready:
        os.environ["KOPDIG_DATA_DIR"] = tempfile.mkdtemp(prefix="kopdig-bench-programs-")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
        django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(n_coops: int, n_parts: int, n_checkins: int):
    from kopdig.lib.tokens import hash_token
    from kopdig.lib.transactions import batch
    from kopdig.programs.actions import event_save
    from kopdig.programs.models import Event, Participation, Person
    from kopdig.tenancy.access import SYSTEM
    from kopdig.tenancy.models import Cooperative, DinasRole, Region, User
    from kopdig.tenancy.regions import load_kabupaten

    rng = random.Random(17)
    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    officer, _ = User.objects.get_or_create(username="bench-officer")
    DinasRole.objects.get_or_create(user=officer, kabupaten=kab)
    kecs = list(Region.objects.filter(parent=kab))
    jenis = [v for v, _ in Cooperative.Jenis.choices]
    kelompok = [v for v, _ in Cooperative.Kelompok.choices]
    with batch():
        Cooperative.objects.bulk_create(
            [
                Cooperative(
                    name=f"Koperasi {i}",
                    slug=f"bench-prog-{i}",
                    jenis=rng.choice(jenis),
                    kelompok=rng.choice(kelompok),
                    kabupaten=kab,
                    kecamatan=rng.choice(kecs),
                )
                for i in range(n_coops)
            ],
            batch_size=1000,
        )
        coops = list(Cooperative.objects.filter(kabupaten=kab))
        people = [
            Person(
                kabupaten=kab,
                nik=f"3513{i:012d}",
                name=f"Peserta {i}",
                gender=rng.choice("LP"),
                birth_date=dt.date(rng.randint(1955, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                cooperative=rng.choice(coops),
            )
            for i in range(n_parts // 2)
        ]
        Person.objects.bulk_create(people, batch_size=2000)
        people = list(Person.objects.filter(kabupaten=kab))
        events = [
            event_save(
                actor=SYSTEM,
                kabupaten=kab,
                kind="pelatihan",
                title=f"Kegiatan {i}",
                start_date=dt.date(2025, 1 + i % 12, 10),
                end_date=dt.date(2025, 1 + i % 12, 11),
                status=Event.Status.OPEN,
            )
            for i in range(40)
        ]
        parts, seen = [], set()
        while len(parts) < n_parts:
            e, p = rng.choice(events), rng.choice(people)
            if (e.pk, p.pk) in seen:
                continue
            seen.add((e.pk, p.pk))
            parts.append(
                Participation(
                    kabupaten=kab,
                    event=e,
                    person=p,
                    cooperative=p.cooperative,
                    token_hash=hash_token(f"tok-{len(parts)}"),
                )
            )
        Participation.objects.bulk_create(parts, batch_size=2000)
        target = event_save(
            actor=SYSTEM,
            kabupaten=kab,
            kind="rakor",
            title="Rakor besar",
            start_date=dt.date(2025, 6, 2),
            end_date=dt.date(2025, 6, 2),
            status=Event.Status.OPEN,
        )
        scan = [
            Participation(
                kabupaten=kab,
                event=target,
                person=people[i],
                cooperative=people[i].cooperative,
                token_hash=hash_token(f"scan-{i}"),
            )
            for i in range(n_checkins)
        ]
        Participation.objects.bulk_create(scan)
    return kab, officer, target


def bench_reach(kab, runs=7):
    from django.db import connection

    from kopdig.programs import selectors

    times = []
    for _ in range(runs):
        t = time.perf_counter()
        r = selectors.reach([kab.pk], 2025)
        times.append(time.perf_counter() - t)
    sql = [
        "SELECT c.jenis, COUNT(DISTINCT p.cooperative_id) FROM programs_participation p "
        "JOIN programs_event e ON e.id = p.event_id JOIN tenancy_cooperative c ON c.id = p.cooperative_id "
        "WHERE p.kabupaten_id = %s AND p.status = 'registered' AND e.start_date BETWEEN %s AND %s GROUP BY c.jenis",
        "SELECT pe.gender, COUNT(DISTINCT p.person_id) FROM programs_participation p "
        "JOIN programs_event e ON e.id = p.event_id JOIN programs_person pe ON pe.id = p.person_id "
        "WHERE p.kabupaten_id = %s AND p.status = 'registered' AND e.start_date BETWEEN %s AND %s GROUP BY pe.gender",
    ]
    raw = []
    for _ in range(runs):
        t = time.perf_counter()
        with connection.cursor() as cur:
            for s in sql:
                cur.execute(s, [kab.pk, dt.date(2025, 1, 1), dt.date(2025, 12, 31)])
                cur.fetchall()
        raw.append(time.perf_counter() - t)
    return statistics.median(times), statistics.median(raw), r


def bench_checkins(officer, event, n, clients=8):
    from django.db import connections

    from kopdig.programs import actions
    from kopdig.programs.models import Attendance

    Attendance.objects.filter(participation__event=event).delete()
    tokens = [f"scan-{i}" for i in range(n)]
    errors = []

    def client(chunk):
        try:
            for tok in chunk:
                p = actions.participation_by_token(tok)
                actions.attendance_check_in(actor=officer, event=event, participation=p, day=event.start_date)
        except Exception as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=client, args=(tokens[i::clients],)) for i in range(clients)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    elapsed = time.perf_counter() - t
    done = Attendance.objects.filter(participation__event=event).count()
    ids = list(event.participations.values_list("pk", flat=True))
    Attendance.objects.filter(participation__event=event).delete()
    t = time.perf_counter()
    Attendance.objects.bulk_create(
        [
            Attendance(kabupaten_id=event.kabupaten_id, participation_id=i, day=event.start_date, method="qr")
            for i in ids
        ]
    )
    raw = time.perf_counter() - t
    return elapsed, raw, done, errors


def bench_certificates(event, n):
    from django.test import RequestFactory

    from kopdig.lib.documents import render_pdf
    from kopdig.programs import documents
    from kopdig.programs.models import Participation

    parts = list(event.participations.select_related("person", "cooperative", "person__organisation")[:n])
    for i, p in enumerate(parts):
        p.certificate_number = f"SERT/{event.code}/{i + 1:03d}"
    Participation.objects.bulk_update(parts, ["certificate_number"])
    request = RequestFactory().get("/")
    t = time.perf_counter()
    pdf = render_pdf(
        "programs/pdf/certificates.html", documents.certificate_context(request, event, parts), request
    )
    return time.perf_counter() - t, len(pdf)


def main(argv):
    ap = argparse.ArgumentParser(prog="bench programs")
    ap.add_argument("--coops", type=int, default=1100)
    ap.add_argument("--participations", type=int, default=20000)
    ap.add_argument("--checkins", type=int, default=500)
    ap.add_argument("--certs", type=int, default=500)
    args = ap.parse_args(argv)
    _setup()
    from django.db import connection

    t = time.perf_counter()
    kab, officer, event = build(args.coops, args.participations, args.checkins)
    print(
        f"database: {connection.vendor}; built {args.coops} cooperatives, {args.participations} participations "
        f"in {time.perf_counter() - t:.1f} s (machine: {os.cpu_count()} cores)"
    )
    sel, raw, r = bench_reach(kab)
    print(
        f"reach report 2025 ({r['participations']} participations, {len(r['coops'])} cooperatives reached): "
        f"{sel * 1000:.1f} ms median; raw aggregate SQL {raw * 1000:.1f} ms; ratio {sel / raw:.1f}x "
        f"(goal ≤ 200 ms)"
    )
    elapsed, raw_ins, done, errors = bench_checkins(officer, event, args.checkins)
    print(
        f"check-ins: {done} through attendance_check_in with 8 clients in {elapsed:.2f} s = "
        f"{done / elapsed:.0f}/s; raw insert of the same rows {raw_ins * 1000:.1f} ms; ratio "
        f"{elapsed / raw_ins:.0f}x (goal ≥ 200/s){'; ERRORS: ' + repr(errors[:3]) if errors else ''}"
    )
    secs, size = bench_certificates(event, args.certs)
    print(f"certificates: {args.certs} in one PDF in {secs:.1f} s ({size / 1e6:.1f} MB) (goal ≤ 60 s)")
