"""RAT benchmark: publish for N eligible members, check-in and voting through the real actions
with concurrent clients, the tally of an item, the RAT book PDF.

    python -m bench rat -- --members 10000 --voters 2000 --clients 8

Runs in a throw-away test database (a SQLite file, so that the clients' threads share it the
way gunicorn workers would, or PostgreSQL when DATABASE_URL is set). Goals (issue 13): publish
≤ 2 s for 10,000 members; ≥ 200 votes/s with 8 clients; tally of an item ≤ 100 ms; RAT book
PDF ≤ 10 s.

References, measured in the same run: the database's raw executemany insert of N rows shaped
like the eligibility snapshot, and of the same number of vote-shaped rows as the votes cast
(one client, one transaction); the ratios are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import tempfile
import threading
import time
from decimal import Decimal


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()


def _seed(n: int):
    from django.db import transaction

    from kopdig.ledger.posting import Line, post
    from kopdig.members.models import Member
    from kopdig.savings import _postings as savings
    from kopdig.savings.models import SavingsAccount, SavingsTransaction
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Region, Role
    from kopdig.tenancy.regions import load_kabupaten
    from kopdig.tenancy.tests.factories import UserFactory

    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    coop = _create_cooperative(
        kabupaten=kab,
        name="KSP Bench RAT",
        slug="ksp-bench-rat",
        jenis=Cooperative.Jenis.SIMPAN_PINJAM,
        on_kopdig=True,
    )
    users = {}
    for kind in ("pengurus", "kasir"):
        users[kind] = UserFactory(username=f"bench-{kind}")
        Role.objects.create(cooperative=coop, user=users[kind], kind=kind)
    joined = dt.date(2020, 1, 1)
    Member.objects.bulk_create(
        (
            Member(
                cooperative=coop,
                number=f"{i:06d}",
                nik=f"35{i:014d}",
                name=f"Anggota {i}",
                gender="L",
                joined_on=joined,
            )
            for i in range(1, n + 1)
        ),
        batch_size=5000,
    )
    ids = list(Member.objects.filter(cooperative=coop).order_by("number").values_list("id", flat=True))
    with transaction.atomic():
        product = savings.product_for(coop, "pokok")
        amount = product.amount or Decimal("100000")
        entry = post(
            cooperative=coop,
            date=dt.date(2021, 1, 5),
            memo="Setoran pokok (bench)",
            actor=users["pengurus"],
            lines=[Line("kas", debit=amount * n), Line("simpanan_pokok", credit=amount * n)],
        )
        SavingsAccount.objects.bulk_create(
            (
                SavingsAccount(
                    cooperative=coop,
                    member_id=mid,
                    product=product,
                    kind="pokok",
                    number=f"SP-{i:07d}",
                    opened_on=dt.date(2021, 1, 5),
                    balance=amount,
                )
                for i, mid in enumerate(ids)
            ),
            batch_size=5000,
        )
        acc = dict(SavingsAccount.objects.filter(cooperative=coop).values_list("member_id", "id"))
        SavingsTransaction.objects.bulk_create(
            (
                SavingsTransaction(
                    cooperative=coop,
                    account_id=acc[mid],
                    member_id=mid,
                    kind="pokok",
                    date=dt.date(2021, 1, 5),
                    type="deposit",
                    amount=amount,
                    entry=entry,
                )
                for mid in ids
            ),
            batch_size=5000,
        )
    return coop, users


def _raw_insert(n: int, shape: str) -> float:
    """Seconds to insert n rows (snapshot- or vote-shaped) with executemany into a scratch table."""
    from django.db import connection, transaction

    cols = {
        "snapshot": "(id integer PRIMARY KEY, coop integer, meeting integer, member integer, eligible boolean, "
        "reasons varchar(60))",
        "vote": "(id integer PRIMARY KEY, coop integer, item integer, member integer, choice varchar(10), "
        "candidate integer, cast_at timestamp)",
    }[shape]
    with connection.cursor() as cur:
        cur.execute(f"CREATE TABLE bench_rat_ref {cols}")
    now = dt.datetime(2026, 1, 1, 9)
    rows = (
        [(i, 1, 1, i, True, "") for i in range(1, n + 1)]
        if shape == "snapshot"
        else [(i, 1, 1, i, "for", None, now) for i in range(1, n + 1)]
    )
    marks = ",".join(["%s"] * len(rows[0]))
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for i in range(0, n, 5000):
            cur.executemany(f"INSERT INTO bench_rat_ref VALUES ({marks})", rows[i : i + 5000])
    elapsed = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_rat_ref")
    return elapsed


def _parallel(clients: int, jobs: list, fn) -> tuple[float, list]:
    """Run fn(job) for every job over ``clients`` threads (each its own connection)."""
    from django.db import connection

    errors, lock = [], threading.Lock()
    chunks = [jobs[i::clients] for i in range(clients)]

    def work(chunk):
        try:
            for job in chunk:
                try:
                    fn(job)
                except Exception as exc:
                    with lock:
                        errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(c,)) for c in chunks]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return time.perf_counter() - started, errors


def main(argv):
    parser = argparse.ArgumentParser(prog="bench rat")
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--voters", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args(argv)
    _setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = os.path.join(
            tempfile.mkdtemp(), "bench_rat.db"
        )
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(args.members, args.voters, args.clients)
    finally:
        connection.close()
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(n: int, voters: int, clients: int):
    from django.db import connection
    from django.utils import timezone

    from kopdig.lib.documents import render_pdf
    from kopdig.rat import actions, documents, tally
    from kopdig.rat.models import Meeting

    print(f"members: {n:,}  voters: {voters:,}  clients: {clients}  database: {connection.vendor}")
    t = time.perf_counter()
    coop, users = _seed(n)
    pengurus, kasir = users["pengurus"], users["kasir"]
    print(f"seed: {time.perf_counter() - t:.1f} s")
    actions.rat_settings_save(
        actor=pengurus,
        cooperative=coop,
        notice_days=7,
        quorum_first="1/2+1",
        quorum_second="1/5",
        min_member_months=3,
        require_pokok=True,
        max_wajib_arrears_months=3,
        term_years=5,
    )
    year = timezone.localdate().year - 1
    m = actions.meeting_schedule(
        actor=pengurus,
        cooperative=coop,
        book_year=year,
        first_call=dt.time(9),
        date=timezone.localdate() + dt.timedelta(days=10),
        venue="Aula",
    )
    shu = m.items.get(kind="shu")  # the bench books have no closed SHU year: an AD/ART item instead
    actions.agenda_item_save(
        actor=pengurus,
        cooperative=coop,
        meeting_code=m.code,
        kind="adart",
        code=shu.code,
        title="Perubahan AD",
        threshold="two_thirds",
    )
    actions.agenda_item_save(
        actor=pengurus,
        cooperative=coop,
        meeting_code=m.code,
        kind="el_pengawas",
        title="Pemilihan pengawas",
        ballot="secret",
        seats=1,
        candidates=[("Calon A", "ketua", ""), ("Calon B", "ketua", "")],
    )
    t = time.perf_counter()
    actions.meeting_publish(actor=pengurus, cooperative=coop, code=m.code)
    publish_s = time.perf_counter() - t
    m.refresh_from_db()
    print(
        f"publish ({m.eligible_count:,} eligible of {n:,}): {publish_s:.2f} s  goal ≤ 2 s: "
        f"{'OK' if publish_s <= 2 else 'MISSED'}"
    )
    Meeting.objects.filter(pk=m.pk).update(date=timezone.localdate())  # the day of the meeting

    numbers = [f"{i:06d}" for i in range(1, voters + 1)]
    tokens = actions.invitations_issue(actor=kasir, cooperative=coop, code=m.code, numbers=numbers)
    checkin_s, errors = _parallel(
        clients,
        numbers,
        lambda num: actions.attendance_check_in(actor=kasir, cooperative=coop, code=m.code, number=num),
    )
    print(
        f"check-in of {voters:,} at the desk, {clients} clients: {checkin_s:.2f} s "
        f"({voters / checkin_s:,.0f}/s), errors {len(errors)}"
    )
    actions.meeting_open(actor=pengurus, cooperative=coop, code=m.code, call="second")
    items = list(m.items.order_by("position"))
    for it in items:
        actions.item_open(actor=pengurus, cooperative=coop, code=it.code)
    cands = {it.code: list(it.candidates.values_list("code", flat=True)) for it in items}
    jobs = [(num, it) for num in numbers for it in items]
    choices = ["for", "for", "for", "against", "abstain"]

    def vote(job):
        num, it = job
        i = int(num)
        actions.vote_cast(
            actor=None,
            cooperative=coop,
            item_code=it.code,
            token=tokens[num],
            choice=choices[i % 5],
            candidate_code=cands[it.code][0 if i % 3 else 1] if cands[it.code] else "",
        )

    vote_s, errors = _parallel(clients, jobs, vote)
    print(
        f"votes: {len(jobs):,} on {len(items)} items, {clients} clients: {vote_s:.2f} s  "
        f"({len(jobs) / vote_s:,.0f} votes/s)  goal ≥ 200/s: {'OK' if len(jobs) / vote_s >= 200 else 'MISSED'}"
        f"  errors {len(errors)}{' ' + errors[0] if errors else ''}"
    )
    counts = []
    for it in items:
        t = time.perf_counter()
        by_choice, by_cand, _turnout = actions._counts(it)
        if it.is_election:
            tally.elect(by_cand, it.seats)
        else:
            tally.decide(
                it.threshold,
                by_choice.get("for", 0),
                by_choice.get("against", 0),
                by_choice.get("abstain", 0),
            )
        counts.append((it.ballot, time.perf_counter() - t))
    worst = max(s for _, s in counts)
    print(
        "tally (count in SQL + kernel) per item: "
        + ", ".join(f"{b} {s * 1000:.0f} ms" for b, s in counts)
        + f"  goal ≤ 100 ms: {'OK' if worst <= 0.1 else 'MISSED'}"
    )
    tallies = []
    for it in items:
        t = time.perf_counter()
        actions.item_close(actor=pengurus, cooperative=coop, item_code=it.code, note="bench")
        tallies.append((it.ballot, time.perf_counter() - t))
    print(
        "item close (tally, results, secret: keys purged and ballots rewritten in random order): "
        + ", ".join(f"{b} {s * 1000:.0f} ms" for b, s in tallies)
    )
    actions.meeting_close(actor=pengurus, cooperative=coop, code=m.code, chair_name="Ketua")
    t = time.perf_counter()
    pdf = render_pdf("rat/book_pdf.html", documents.book_context(coop, m))
    book_s = time.perf_counter() - t
    print(
        f"RAT book PDF ({len(pdf) / 1024:,.0f} KiB): {book_s:.2f} s  goal ≤ 10 s: {'OK' if book_s <= 10 else 'MISSED'}"
    )

    snap_ref = _raw_insert(n, "snapshot")
    vote_ref = _raw_insert(len(jobs), "vote")
    print(
        f"reference: raw insert of {n:,} snapshot rows {snap_ref:.3f} s; of {len(jobs):,} vote rows "
        f"{vote_ref:.3f} s ({len(jobs) / vote_ref:,.0f} rows/s)"
    )
    print(
        f"ratio publish / raw insert: {publish_s / snap_ref:.1f}×   voting / raw insert: {vote_s / vote_ref:.1f}×"
    )
