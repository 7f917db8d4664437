"""Demo step: the business units of the showcase cooperatives, through the real actions.

- Kopwan Srikandi Sukapura (produsen, at the foot of Bromo): ~40 packaged snacks and crafts of
  20 producer members. Snacks are delivered (bought from the members) every month, crafts are
  consigned (titip jual, 15% commission) and paid out at month end; daily sales to tourists and
  members over two years with the Bromo season (June–August, December, weekends).
- KSU Tunas Harapan: the shop sells basic goods to members and others over the last year,
  bought monthly on credit and paid the next month; some members buy on credit and pay at
  month end.

Every month runs inside one ``batch()`` (one transaction, same rows as the pages). Idempotent:
a cooperative that already has products is skipped. Deterministic (fixed seeds).
"""

from __future__ import annotations

import calendar
import datetime as dt
import io
import random
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db.models import F
from PIL import Image, ImageDraw

from kopdig.lib.transactions import batch
from kopdig.members.models import Member

from . import actions
from .models import Product, Purchase

SRIKANDI_MONTHS = 24  # two years of deliveries and sales
KSU_MONTHS = 12
SEASON = {1: 1.0, 2: 0.6, 3: 0.7, 4: 0.8, 5: 0.9, 6: 1.3, 7: 1.6, 8: 1.4, 9: 0.8, 10: 0.9, 11: 0.8, 12: 1.5}
SNACKS = [
    ("Keripik Kentang Bromo", "makanan", 18000),
    ("Keripik Kentang Balado", "makanan", 20000),
    ("Dodol Kentang", "makanan", 22000),
    ("Stik Kentang Keju", "makanan", 17000),
    ("Keripik Wortel", "makanan", 16000),
    ("Kerupuk Bawang Tengger", "makanan", 12000),
    ("Rengginang Ketan", "makanan", 15000),
    ("Kacang Bawang", "makanan", 14000),
    ("Kopi Bubuk Tengger", "minuman", 35000),
    ("Teh Daun Kelor", "minuman", 25000),
    ("Madu Hutan Bromo", "minuman", 85000),
    ("Sambal Pecel Sukapura", "makanan", 15000),
]
CRAFTS = [
    ("Syal Rajut Tengger", "fashion", 45000),
    ("Kupluk Rajut", "fashion", 35000),
    ("Sarung Tangan Rajut", "fashion", 25000),
    ("Tas Anyaman Pandan", "kerajinan", 65000),
    ("Gantungan Kunci Bromo", "kerajinan", 10000),
    ("Batik Tulis Probolinggo", "fashion", 250000),
    ("Kaos Sablon Bromo", "fashion", 75000),
    ("Miniatur Jeep Bromo", "kerajinan", 55000),
]
BASICS = [
    ("Beras Premium 5 kg", "sembako", 72000, 64000),
    ("Minyak Goreng 2 L", "sembako", 36000, 32000),
    ("Gula Pasir 1 kg", "sembako", 17500, 15500),
    ("Telur Ayam 1 kg", "sembako", 28000, 25000),
    ("Tepung Terigu 1 kg", "sembako", 13000, 11000),
    ("Mi Instan (dus)", "sembako", 115000, 104000),
    ("Kopi Sachet (renceng)", "minuman", 14000, 12000),
    ("Teh Celup (kotak)", "minuman", 8000, 6800),
    ("Sabun Mandi", "lainnya", 4500, 3800),
    ("Deterjen 800 g", "lainnya", 21000, 18500),
    ("Garam Dapur", "sembako", 5000, 4000),
    ("Air Mineral (dus)", "minuman", 42000, 37000),
]
COLOURS = [(190, 80, 40), (40, 120, 90), (60, 80, 160), (170, 130, 40), (120, 60, 140), (30, 130, 150)]


def _users(coop):
    User = get_user_model()
    return User.objects.get(username=f"{coop.slug}-pengurus"), User.objects.get(username=f"{coop.slug}-kasir")


def _photo(name: str, colour) -> ContentFile:
    image = Image.new("RGB", (640, 480), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle((24, 360, 616, 456), fill=(255, 255, 255))
    draw.text((40, 395), name, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return ContentFile(out.getvalue(), name="demo.jpg")


def _start(today: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` months before today's."""
    y, m = divmod(today.year * 12 + today.month - 1 - months, 12)
    return dt.date(y, m + 1, 1)


def _months(start: dt.date, today: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (today.year, today.month):
        last = min(dt.date(y, m, calendar.monthrange(y, m)[1]), today)
        yield dt.date(y, m, 1), last
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _srikandi_catalogue(coop, pengurus, producers, rng) -> list[Product]:
    products = []
    items = [(n, c, p, False) for n, c, p in SNACKS] + [(n, c, p, True) for n, c, p in CRAFTS]
    variants = [("", 1), (" (besar)", 2), (" (paket oleh-oleh)", 3)]
    i = 0
    for name, category, price, consigned in items:
        for suffix, mult in variants[: 2 if consigned else 3]:
            if len(products) >= 40:
                break
            producer = producers[i % len(producers)]
            code = f"sk-{i + 1:03d}"
            p = actions.product_create(
                actor=pengurus,
                cooperative=coop,
                code=code,
                name=name + suffix,
                category=category,
                unit="pcs" if consigned else "bungkus",
                price_member=str(price * mult * 9 // 10),
                price_non_member=str(price * mult),
                producer=producer.number,
                producer_consent=rng.random() < 0.8,
                consignment=consigned,
                commission_percent="15" if consigned else None,
                published=True,
                packaging="" if consigned else "Standing pouch, label berat dan kedaluwarsa",
                weight_grams=None if consigned else 100 * mult,
                shelf_life_days=None if consigned else 90,
                pirt_number="" if consigned else f"P-IRT 2{rng.randint(10**13, 10**14 - 1)}",
                halal_number="" if consigned else f"ID35110000{rng.randint(10**6, 10**7 - 1)}",
                description=f"{name}{suffix}, buatan anggota Kopwan Srikandi di lereng Bromo.",
            )
            actions.product_photo_add(
                actor=pengurus, cooperative=coop, code=code, image=_photo(p.name, COLOURS[i % len(COLOURS)])
            )
            products.append(p)
            i += 1
    return products


def _srikandi_month(coop, users, products, producers, founders, first, last, rng) -> None:
    pengurus, kasir = users
    onhand = {p.code: Decimal(Product.objects.get(pk=p.pk).stock_qty) for p in products}
    season = SEASON[first.month]
    for p in products:
        want = Decimal(int(12 * season * rng.uniform(0.7, 1.3)) + 4) - onhand[p.code]
        if want <= 0:
            continue
        if p.consignment:
            actions.purchase_record(
                actor=kasir,
                cooperative=coop,
                date=first,
                supplier_member=p.producer.number,
                consignment=True,
                lines=[{"product": p.code, "qty": want}],
            )
        else:
            cost = (p.price_non_member * Decimal("0.62")).quantize(Decimal("1"))
            actions.purchase_record(
                actor=kasir,
                cooperative=coop,
                date=first,
                supplier_member=p.producer.number,
                lines=[{"product": p.code, "qty": want, "unit_cost": cost}],
            )
        onhand[p.code] += want
    day = first
    while day <= last:
        n = round(season * (1.8 if day.weekday() >= 5 else 0.8) * rng.uniform(0.5, 1.5))
        for _ in range(n):
            _srikandi_sale(coop, kasir, products, founders, onhand, day, rng)
        day += dt.timedelta(days=1)
    for m in producers:
        owed = actions.consignment_payable(coop, m)
        if owed > 0:
            actions.consignment_payout(actor=kasir, cooperative=coop, member_number=m.number, date=last)


def _srikandi_sale(coop, kasir, products, founders, onhand, day, rng) -> None:
    lines = []
    for p in rng.sample(products, rng.randint(1, 4)):
        qty = Decimal(rng.randint(1, 3))
        if onhand[p.code] >= qty:
            lines.append({"product": p.code, "qty": qty})
            onhand[p.code] -= qty
    if not lines:
        return
    member = rng.choice(founders) if rng.random() < 0.2 else None
    actions.sale_record(
        actor=kasir,
        cooperative=coop,
        date=day,
        lines=lines,
        buyer_member=member.number if member else None,
        buyer_name="" if member else rng.choice(["Wisatawan", "Tamu rombongan", "Pengunjung", ""]),
    )


def build_srikandi(ctx, coop) -> None:
    rng = random.Random(f"usaha-{coop.slug}")
    users = _users(coop)
    start = _start(ctx.today, SRIKANDI_MONTHS)
    founders = list(
        Member.objects.filter(cooperative=coop, joined_on__lt=start, status="aktif").order_by("number")
    )
    if len(founders) < 20:
        ctx.log(f"  usaha: {coop.slug} punya kurang dari 20 anggota pendiri, dilewati")
        return
    producers = founders[:20]
    with batch():
        products = _srikandi_catalogue(coop, users[0], producers, rng)
        actions.shop_profile_update(
            actor=users[0],
            cooperative=coop,
            whatsapp="+6281234500123",
            show_rat_date=True,
            last_rat_date=dt.date(ctx.today.year - 1 if ctx.today.month > 3 else ctx.today.year - 2, 3, 15),
            story="Kopwan Srikandi menghimpun ibu-ibu Sukapura yang mengolah kentang, wortel dan kopi Tengger "
            "menjadi oleh-oleh, serta perajin rajut dan anyaman. Koperasi membeli hasil anggota, "
            "memasarkannya kepada wisatawan Bromo, dan membagi SHU menurut penyerahan anggota.",
        )
    for first, last in _months(start, ctx.today):
        with batch():
            _srikandi_month(coop, users, products, producers, founders, first, last, rng)


def _ksu_month(coop, users, products, members, first, last, rng) -> None:
    pengurus, kasir = users
    for purchase in Purchase.objects.filter(cooperative=coop, payment="kredit", date__lt=first).exclude(
        paid=F("total")
    ):
        actions.purchase_pay(
            actor=kasir,
            cooperative=coop,
            number=purchase.number,
            amount=purchase.outstanding,
            date=first + dt.timedelta(days=9),
        )
    onhand = {p.code: Decimal(Product.objects.get(pk=p.pk).stock_qty) for p in products}
    lines = []
    for p, cost in products.items():
        want = Decimal(rng.randint(25, 40)) - onhand[p.code]
        if want > 0:
            lines.append({"product": p.code, "qty": want, "unit_cost": cost})
            onhand[p.code] += want
    if lines:
        actions.purchase_record(
            actor=kasir,
            cooperative=coop,
            date=first,
            supplier_name="UD Sumber Pangan Paiton",
            payment="kredit",
            lines=lines,
        )
    day, credit = first, []
    while day <= last:
        for _ in range(rng.randint(1, 3) if day.weekday() < 6 else 0):
            picks = [p for p in rng.sample(list(products), rng.randint(1, 3)) if onhand[p.code] >= 1]
            if not picks:
                continue
            for p in picks:
                onhand[p.code] -= 1
            member = rng.choice(members) if rng.random() < 0.65 else None
            kredit = member is not None and rng.random() < 0.15
            sale = actions.sale_record(
                actor=kasir,
                cooperative=coop,
                date=day,
                buyer_member=member.number if member else None,
                payment="kredit" if kredit else "tunai",
                lines=[{"product": p.code, "qty": 1} for p in picks],
            )
            if kredit:
                credit.append(sale)
        day += dt.timedelta(days=1)
    for sale in credit:
        actions.sale_payment_record(
            actor=kasir, cooperative=coop, number=sale.number, amount=sale.total, date=last
        )


def build_ksu(ctx, coop) -> None:
    rng = random.Random(f"usaha-{coop.slug}")
    users = _users(coop)
    start = _start(ctx.today, KSU_MONTHS)
    members = list(
        Member.objects.filter(cooperative=coop, joined_on__lt=start, status="aktif").order_by("number")[:200]
    )
    if not members:
        ctx.log(f"  usaha: {coop.slug} belum punya anggota, dilewati")
        return
    with batch():
        products = {}
        for i, (name, category, price, cost) in enumerate(BASICS, start=1):
            p = actions.product_create(
                actor=users[0],
                cooperative=coop,
                code=f"tk-{i:03d}",
                name=name,
                category=category,
                price_member=str(price - price // 20),
                price_non_member=str(price),
                published=i <= 6,
            )
            products[p] = Decimal(cost)
    for first, last in _months(start, ctx.today):
        with batch():
            _ksu_month(coop, users, products, members, first, last, rng)


def run(ctx):
    builders = {"kopwan-srikandi": build_srikandi, "ksu-tunas-harapan": build_ksu}
    for coop in ctx.showcase:
        build = builders.get(coop.slug)
        if build is None or Product.objects.filter(cooperative=coop).exists():
            continue
        started = time.monotonic()
        build(ctx, coop)
        ctx.log(
            f"  usaha {coop.slug}: {Product.objects.filter(cooperative=coop).count()} produk, "
            f"{time.monotonic() - started:.1f} s"
        )
