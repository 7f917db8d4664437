"""SHU benchmark: simulation and distribution for N members (default 100,000).

    python -m bench shu -- --members 100000

Runs in a throw-away test database (Django's test-database creation, SQLite in memory or
PostgreSQL when DATABASE_URL is set). Seeds one cooperative with N members, a pokok deposit
and a purchase volume each, and a year of income; then times:

- the pure engine (pools and N member shares from in-memory dicts),
- the full simulation (bases read from savings and volumes + engine), goal ≤ 10 s for 100,000,
- the distribution: approval (N share rows stored), allocation, and the cash payment run.

Reference, measured in the same run: the database's raw rate for inserting N rows shaped like
the share rows (cursor.executemany into a scratch table); the ratio is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import time
from decimal import Decimal


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kopdig.settings")
    import django

    django.setup()


def _seed(n: int, year: int):
    from django.db import transaction

    from kopdig.ledger.posting import Line, post
    from kopdig.members.models import Member
    from kopdig.savings import _postings as savings
    from kopdig.savings.models import SavingsAccount, SavingsTransaction
    from kopdig.shu.models import MemberVolume
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Cooperative, Region, Role
    from kopdig.tenancy.regions import load_kabupaten
    from kopdig.tenancy.tests.factories import UserFactory

    load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    coop = _create_cooperative(
        kabupaten=kab,
        name="KSP Bench",
        slug="ksp-bench",
        jenis=Cooperative.Jenis.SIMPAN_PINJAM,
        on_kopdig=True,
    )
    user = UserFactory(username="bench-pengurus")
    Role.objects.create(cooperative=coop, user=user, kind=Role.Kind.PENGURUS)
    joined = dt.date(year - 1, 1, 1)
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
    amounts = [Decimal(100_000 + (i * 7919) % 900_000) for i in range(n)]
    with transaction.atomic():
        product = savings.product_for(coop, "pokok")
        total = sum(amounts)
        entry = post(
            cooperative=coop,
            date=dt.date(year - 1, 12, 1),
            memo="Setoran pokok (bench)",
            actor=user,
            lines=[Line("kas", debit=total), Line("simpanan_pokok", credit=total)],
        )
        SavingsAccount.objects.bulk_create(
            (
                SavingsAccount(
                    cooperative=coop,
                    member_id=mid,
                    product=product,
                    kind="pokok",
                    number=f"SP-{i:07d}",
                    opened_on=dt.date(year - 1, 12, 1),
                    balance=a,
                )
                for i, (mid, a) in enumerate(zip(ids, amounts, strict=True))
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
                    date=dt.date(year - 1, 12, 1),
                    type="deposit",
                    amount=a,
                    entry=entry,
                )
                for mid, a in zip(ids, amounts, strict=True)
            ),
            batch_size=5000,
        )
        MemberVolume.objects.bulk_create(
            (
                MemberVolume(
                    cooperative=coop,
                    year=year,
                    member_id=mid,
                    kind="pembelian",
                    amount=Decimal(50_000 + (i * 104729) % 5_000_000),
                )
                for i, mid in enumerate(ids)
            ),
            batch_size=5000,
        )
        revenue = Decimal(n) * 1000
        post(
            cooperative=coop,
            date=dt.date(year, 6, 30),
            memo="Pendapatan (bench)",
            actor=user,
            lines=[Line("kas", debit=revenue), Line("pendapatan_jasa_pinjaman", credit=revenue)],
        )
    return coop, user


def _raw_insert_rate(n: int) -> float:
    """Seconds to insert n share-shaped rows with cursor.executemany into a scratch table."""
    from django.db import connection, transaction

    with connection.cursor() as cur:
        cur.execute(
            "CREATE TABLE bench_share_ref (id integer PRIMARY KEY, coop integer, year_id integer, "
            "member integer, simpanan numeric(20,2), transaksi numeric(20,2), jm numeric(20,2), "
            "ju numeric(20,2), total numeric(20,2), tax numeric(20,2), net numeric(20,2), "
            "status varchar(10), receipt varchar(30))"
        )
    rows = [
        (i, 1, 1, i, "100000.00", "200000.00", "10.00", "20.00", "30.00", "0.00", "30.00", "pending", "")
        for i in range(1, n + 1)
    ]
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        for i in range(0, n, 5000):
            cur.executemany(
                "INSERT INTO bench_share_ref VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)",
                rows[i : i + 5000],
            )
    elapsed = time.perf_counter() - started
    with connection.cursor() as cur:
        cur.execute("DROP TABLE bench_share_ref")
    return elapsed


def main(argv):
    parser = argparse.ArgumentParser(prog="bench shu")
    parser.add_argument("--members", type=int, default=100_000)
    args = parser.parse_args(argv)
    n = args.members
    _setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.utils import timezone

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        _run(n, timezone.localdate().year - 1)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def _run(n: int, year: int):
    from kopdig.lib.money import ZERO
    from kopdig.shu import actions, engine, selectors
    from kopdig.shu.models import ShuMemberShare

    print(f"members: {n:,}  database: {__import__('django.db').db.connection.vendor}")
    t = time.perf_counter()
    coop, user = _seed(n, year)
    print(f"seed: {time.perf_counter() - t:.1f} s")

    sy = actions.shu_year_save(actor=user, cooperative=coop, year=year, transaksi_basis="volume")
    simpanan = {f"{i:06d}": Decimal(100_000 + (i * 7919) % 900_000) for i in range(n)}
    transaksi = {f"{i:06d}": Decimal(50_000 + (i * 104729) % 5_000_000) for i in range(n)}
    t = time.perf_counter()
    res = engine.simulate(
        shu=Decimal(n) * 1000, lines=engine.default_lines(), simpanan=simpanan, transaksi=transaksi
    )
    engine_s = time.perf_counter() - t
    assert sum((m.jm for m in res.members), ZERO) == res.jm_pool
    print(f"engine only: {engine_s:.2f} s  ({n / engine_s:,.0f} members/s)")

    t = time.perf_counter()
    sim = selectors.simulate(coop, sy)
    sim_s = time.perf_counter() - t
    assert (
        len(sim.result.members) == n and sum((m.ju for m in sim.result.members), ZERO) == sim.result.ju_pool
    )
    print(
        f"simulation (bases from the database + engine): {sim_s:.2f} s  ({n / sim_s:,.0f} members/s)  "
        f"goal ≤ 10 s: {'OK' if sim_s <= 10 else 'MISSED'}"
    )

    actions.shu_year_close(actor=user, cooperative=coop, year=year)
    rat = min(timezone_today(), dt.date(year + 1, 3, 1))
    t = time.perf_counter()
    actions.shu_approve(actor=user, cooperative=coop, year=year, rat_date=rat, rat_reference="BENCH")
    approve_s = time.perf_counter() - t
    t = time.perf_counter()
    actions.shu_allocate(actor=user, cooperative=coop, year=year)
    actions.shu_distribute(actor=user, cooperative=coop, year=year, date=rat, batch_size=2000)
    pay_s = time.perf_counter() - t
    paid = ShuMemberShare.objects.filter(cooperative=coop, status="paid").count()
    assert paid == n
    print(f"approval (simulate + store {n:,} share rows): {approve_s:.2f} s  ({n / approve_s:,.0f} rows/s)")
    print(f"allocation + cash distribution: {pay_s:.2f} s  ({n / pay_s:,.0f} members/s)")

    raw_s = _raw_insert_rate(n)
    print(
        f"reference: raw executemany insert of {n:,} share-shaped rows: {raw_s:.2f} s ({n / raw_s:,.0f} rows/s)"
    )
    print(
        f"ratio approval / raw insert: {approve_s / raw_s:.1f}×   "
        f"distribution / raw insert: {pay_s / raw_s:.1f}×   simulation / raw insert: {sim_s / raw_s:.1f}×"
    )


def timezone_today():
    from django.utils import timezone

    return timezone.localdate()
