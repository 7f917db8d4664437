"""Business-unit benchmark (issue 15), on the current DATABASE_URL:

1. A 5-line POS sale through the real action (``sale_record``: locks, stock, HPP, one journal
   entry, audit) in a shop of 2,000 products with ``--lines`` historical sale lines (the issue's
   size is 1,000,000; the default keeps the run to a few minutes), beside the raw insert of the
   same rows (1 sale, 5 lines, 5 stock movements, 1 journal entry, its lines, 1 audit row) each
   sale in its own transaction, measured in the same run. Goal ≥ 200 sales/s.
2. The month's omzet/margin report (``sales_report`` by product + the ledger's figures) beside
   the database's own aggregate of the same month. Goal ≤ 200 ms.
3. The public catalogue's first page (``/pasar/``, server time through the Django test client,
   page cache cleared before each request) with ``--published`` published products across
   10 cooperatives. Goal ≤ 50 ms.

    python -m bench usaha -- --lines 1000000 --sales 1000

Throw-away cooperatives (slug ``bench-usaha-…``) are deleted at the end.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time
from decimal import Decimal

PREFIX = "bench-usaha-"
MONTH = dt.date(2025, 6, 1)


def _coops(n_coops: int):
    from kopdig.tenancy.actions import _create_cooperative
    from kopdig.tenancy.models import Region
    from kopdig.tenancy.regions import load_kabupaten

    if not Region.objects.filter(code="35.13").exists():
        load_kabupaten("35.13")
    kab = Region.objects.get(code="35.13")
    kecs = list(Region.objects.filter(parent=kab).order_by("code"))
    stamp = int(time.time())
    return [
        _create_cooperative(
            kabupaten=kab,
            name=f"Bench Toko {i}",
            slug=f"{PREFIX}{stamp}-{i}",
            jenis="konsumen",
            kecamatan=kecs[i % len(kecs)],
            on_kopdig=True,
        )
        for i in range(n_coops)
    ]


def _products(coop, n: int, published: bool) -> list:
    from kopdig.ledger.posting import Line, post
    from kopdig.usaha.models import Product, StockMovement

    qty, cost = Decimal(1_000_000), Decimal("5000.00")
    rows = [
        Product(
            cooperative=coop,
            code=f"p{i:05d}",
            name=f"Produk {i}",
            category="sembako" if i % 2 else "makanan",
            price_member=Decimal(6000 + i),
            price_non_member=Decimal(6500 + i),
            published=published,
            stock_qty=qty,
            stock_value=qty * cost,
        )
        for i in range(n)
    ]
    Product.objects.bulk_create(rows, batch_size=2000)
    products = list(Product.objects.filter(cooperative=coop).order_by("id"))
    StockMovement.objects.bulk_create(
        [
            StockMovement(
                cooperative=coop,
                product=p,
                date=dt.date(2025, 1, 1),
                kind="opening",
                qty=qty,
                value=qty * cost,
                balance_qty=qty,
                balance_value=qty * cost,
            )
            for p in products
        ],
        batch_size=2000,
    )
    total = qty * cost * n
    post(
        cooperative=coop,
        date=dt.date(2025, 1, 1),
        memo="Saldo awal persediaan (bench)",
        source_type="bench",
        lines=[Line("persediaan", debit=total), Line("hibah", credit=total)],
    )
    return products


def _history(coop, products, n_lines: int) -> None:
    """Historical sales (5 lines each) spread over the first half of 2025 (rows only)."""
    from kopdig.usaha.models import Sale, SaleLine

    rng = random.Random(15)
    per_sale = 5
    n_sales = n_lines // per_sale
    for start in range(0, n_sales, 5000):
        count = min(5000, n_sales - start)
        days = [dt.date(2025, 1, 1) + dt.timedelta(days=(start + i) * 180 // n_sales) for i in range(count)]
        sales = Sale.objects.bulk_create(
            [
                Sale(
                    cooperative=coop,
                    number=f"H-{start + i:07d}",
                    date=d,
                    total=Decimal(30000),
                    gross=Decimal(30000),
                    paid=Decimal(30000),
                )
                for i, d in enumerate(days)
            ]
        )
        lines = []
        for sale in sales:
            for p in rng.sample(products, per_sale):
                lines.append(
                    SaleLine(
                        cooperative=coop,
                        sale=sale,
                        date=sale.date,
                        product=p,
                        qty=1,
                        price=p.price_non_member,
                        gross=p.price_non_member,
                        net=p.price_non_member,
                        cost=Decimal(5000),
                        member_part=rng.random() < 0.5,
                    )
                )
        SaleLine.objects.bulk_create(lines, batch_size=5000)


def _action_sales(coop, products, n: int) -> float:
    from kopdig.tenancy.access import SYSTEM
    from kopdig.usaha.actions import sale_record

    rng = random.Random(7)
    day = MONTH + dt.timedelta(days=10)
    t = time.perf_counter()
    for _ in range(n):
        sale_record(
            actor=SYSTEM,
            cooperative=coop,
            date=day,
            lines=[{"product": p.code, "qty": 1} for p in rng.sample(products, 5)],
        )
    return time.perf_counter() - t


def _raw_sales(coop, products, n: int) -> float:
    """The same rows as one sale, inserted with plain SQL, each sale in its own transaction."""
    from django.db import connection, transaction

    from kopdig.ledger.models import Account

    acc = dict(
        Account.objects.filter(
            cooperative=coop, system_key__in=["kas", "penjualan_non_anggota", "hpp_non_anggota", "persediaan"]
        ).values_list("system_key", "id")
    )
    legs = [
        (acc["kas"], 30000, 0),
        (acc["hpp_non_anggota"], 25000, 0),
        (acc["penjualan_non_anggota"], 0, 30000),
        (acc["persediaan"], 0, 25000),
    ]

    rng = random.Random(8)
    now = connection.ops.adapt_datetimefield_value(dt.datetime(2025, 6, 11, 10, 0, tzinfo=dt.UTC))
    day = MONTH + dt.timedelta(days=11)
    t = time.perf_counter()
    for i in range(n):
        picks = rng.sample(products, 5)
        with transaction.atomic(), connection.cursor() as c:
            c.execute(
                "INSERT INTO usaha_sale (cooperative_id, number, date, buyer_name, payment, gross, discount, total,"
                " paid, returned, trade_ref, created_at) VALUES (%s,%s,%s,'','tunai',30000,0,30000,30000,0,'',%s)",
                [coop.pk, f"R-{i:07d}", day, now],
            )
            c.execute("SELECT MAX(id) FROM usaha_sale WHERE cooperative_id = %s", [coop.pk])
            sale_id = c.fetchone()[0]
            c.executemany(
                "INSERT INTO usaha_saleline (cooperative_id, sale_id, date, product_id, qty, price, gross, net,"
                " cost, member_part, consigned, commission, payable, returned_qty, returned_net, returned_cost,"
                " returned_commission) VALUES (%s,%s,%s,%s,1,6000,6000,6000,5000,%s,%s,0,0,0,0,0,0)",
                [(coop.pk, sale_id, day, p.pk, False, False) for p in picks],
            )
            c.executemany(
                "INSERT INTO usaha_stockmovement (cooperative_id, product_id, date, kind, qty, value, balance_qty,"
                " balance_value, ref, reason, created_at) VALUES (%s,%s,%s,'sale',-1,-5000,0,0,'','',%s)",
                [(coop.pk, p.pk, day, now) for p in picks],
            )
            c.execute(
                "INSERT INTO ledger_journalentry (cooperative_id, number, date, memo, source_type, source_ref,"
                " total, posted_at) VALUES (%s,%s,%s,'Penjualan','bench','',55000,%s)",
                [coop.pk, f"R{i:07d}", day, now],
            )
            c.execute("SELECT MAX(id) FROM ledger_journalentry WHERE cooperative_id = %s", [coop.pk])
            eid = c.fetchone()[0]
            c.executemany(
                "INSERT INTO ledger_journalline (cooperative_id, entry_id, account_id, date, debit, credit, memo)"
                " VALUES (%s,%s,%s,%s,%s,%s,'')",
                [(coop.pk, eid, a, day, d, cr) for a, d, cr in legs],
            )
            c.execute(
                "INSERT INTO audit_auditlog (cooperative_id, kabupaten_id, action, object_type, object_ref, summary, at)"
                " VALUES (%s,%s,'bench','','','',%s)",
                [coop.pk, coop.kabupaten_id, now],
            )
    return time.perf_counter() - t


def _best(fn, repeat: int = 5) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times), statistics.median(times)


def _report_times(coop):
    from django.db.models import Sum

    from kopdig.usaha import selectors
    from kopdig.usaha.models import SaleLine

    end = dt.date(2025, 6, 30)
    report = _best(
        lambda: (
            selectors.sales_report(coop, MONTH, end, by="product"),
            selectors.ledger_sales_figures(coop, MONTH, end),
        )
    )
    raw = _best(
        lambda: list(
            SaleLine.objects.filter(cooperative=coop, date__gte=MONTH, date__lte=end)
            .values("product_id")
            .annotate(s=Sum("net"), c=Sum("cost"))
        )
    )
    return report, raw


def _catalogue_times():
    from django.core.cache import cache
    from django.test import Client

    client = Client()

    def get():
        cache.clear()
        assert client.get("/pasar/").status_code == 200

    get()
    return _best(get, repeat=7)


def _cleanup():
    from django.db import connection, transaction

    from kopdig.ledger.models import Account, LedgerSettings
    from kopdig.tenancy.models import Cooperative

    tables = [
        "usaha_saleline",
        "usaha_stockmovement",
        "usaha_sale",
        "usaha_productphoto",
        "usaha_product",
        "ledger_journalline",
        "ledger_accountmonthbalance",
        "ledger_accountdaybalance",
        "ledger_journalentry",
        "audit_auditlog",
        "tenancy_documentcounter",
    ]
    for coop in Cooperative.objects.filter(slug__startswith=PREFIX):
        with transaction.atomic():
            with connection.cursor() as cursor:
                if connection.vendor == "postgresql":
                    # The ledger's triggers forbid deleting posted lines; this throw-away cooperative
                    # is removed with triggers off for this transaction only (needs a superuser).
                    cursor.execute("SET LOCAL session_replication_role = replica")
                for table in tables:
                    cursor.execute(f"DELETE FROM {table} WHERE cooperative_id = %s", [coop.pk])
                cursor.execute(
                    "UPDATE ledger_account SET parent_id = NULL WHERE cooperative_id = %s", [coop.pk]
                )
            Account.objects.filter(cooperative=coop).delete()
            LedgerSettings.objects.filter(cooperative=coop).delete()
            coop.delete()


def main(argv):
    import django

    django.setup()
    from django.db import connection, transaction

    parser = argparse.ArgumentParser(prog="bench usaha")
    parser.add_argument("--products", type=int, default=2000)
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--sales", type=int, default=500)
    parser.add_argument("--published", type=int, default=20_000)
    args = parser.parse_args(argv)
    _cleanup()
    t = time.perf_counter()
    coops = _coops(10)
    shop = coops[0]
    with transaction.atomic():
        products = _products(shop, args.products, published=True)
        for coop in coops[1:]:
            _products(coop, max(0, (args.published - args.products) // 9), published=True)
        _history(shop, products, args.lines)
    print(
        f"database: {connection.vendor}; products {args.products:,}; historical sale lines {args.lines:,}; "
        f"published {args.published:,}; setup {time.perf_counter() - t:.1f} s"
    )
    try:
        action_s = _action_sales(shop, products, args.sales)
        rate = args.sales / action_s
        print(
            f"5-line sale (action) : {args.sales:,} in {action_s:.2f} s = {rate:,.0f} sales/s "
            f"(goal ≥ 200: {'ok' if rate >= 200 else 'MISSED'})",
            flush=True,
        )
        raw_s = _raw_sales(shop, products, args.sales)
        print(
            f"  raw insert, same rows, one transaction per sale: {args.sales / raw_s:,.0f} sales/s; "
            f"action/raw time = {action_s / raw_s:.1f}×"
        )
        (rep_best, rep_med), (raw_best, raw_med) = _report_times(shop)
        print(
            f"month report         : best {rep_best * 1000:.0f} ms, median {rep_med * 1000:.0f} ms "
            f"(goal ≤ 200 ms: {'ok' if rep_best <= 0.2 else 'MISSED'}); the database's own GROUP BY of the "
            f"month: {raw_best * 1000:.0f} ms (ratio {rep_best / raw_best:.1f}×)"
        )
        cat_best, cat_med = _catalogue_times()
        print(
            f"public catalogue p.1 : best {cat_best * 1000:.0f} ms, median {cat_med * 1000:.0f} ms "
            f"(goal ≤ 50 ms: {'ok' if cat_best <= 0.05 else 'MISSED'})"
        )
    finally:
        _cleanup()
