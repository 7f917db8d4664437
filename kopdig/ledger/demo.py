"""Demo books for the showcase cooperatives: an opening balance on 1 January two years before
``ctx.today`` and realistic monthly operating activity up to today (salaries, utilities, rent,
honoraria, depreciation, RAT costs, bank interest and, for cooperatives with a shop, purchases,
sales and cost of goods sold).

Savings and loans are not posted here: the members/savings and loans demos post their own.
Entries go through the action ``journal_entry_post`` inside ``kopdig.lib.transactions.batch()``
(same entry, lines, month caches and audit rows), one transaction per cooperative. Idempotent: a
cooperative that already has its "demo.opening" entry is skipped. Deterministic: amounts come
from a Random seeded with the cooperative's slug.
"""

from __future__ import annotations

import calendar
import datetime as dt
import random
from decimal import Decimal

from django.apps import apps

from kopdig.lib.transactions import batch
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import Role, User

from .actions import journal_entry_post
from .chart import units_for
from .models import JournalEntry
from .posting import Line


def _rp(rng, low, high, step=1000):
    """A round rupiah amount between low and high."""
    return Decimal(rng.randrange(low // step, high // step + 1) * step)


def _months(start: dt.date, today: dt.date):
    y, m = start.year, start.month
    while (y, m) <= (today.year, today.month):
        yield y, m
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def _opening(coop, scale: int, shop: bool):
    lines = [
        ("kas", 15_000_000),
        ("bank", 180_000_000 if shop else 350_000_000),
        ("tanah_bangunan", 250_000_000),
        ("inventaris", 60_000_000),
    ]
    credits = [("akumulasi_penyusutan", 24_000_000), ("hibah", 50_000_000), ("utang_bank", 100_000_000)]
    if shop:
        lines.append(("persediaan", 45_000_000))
    debit_total = sum(a for _k, a in lines)
    credits.append(("cadangan", debit_total - sum(a for _k, a in credits)))
    return [Line(k, debit=Decimal(a * scale)) for k, a in lines] + [
        Line(k, credit=Decimal(a * scale)) for k, a in credits
    ]


def _month_entries(rng, y: int, m: int, today: dt.date, scale: int, shop: bool, cash: dict):
    last = calendar.monthrange(y, m)[1]

    def day(d):
        return dt.date(y, m, min(d, last))

    out = []

    def add(d, memo, *lines):
        if d <= today:
            out.append((d, memo, list(lines)))
            for ln in lines:
                if ln.account in ("kas", "bank"):
                    cash[ln.account] += (ln.debit or 0) - (ln.credit or 0)

    month_name = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ][m - 1]
    if m == 1:
        rent = _rp(rng, 6_000_000, 8_000_000, 100_000) * scale
        add(day(3), f"Sewa gudang tahun {y}", Line("beban_sewa", debit=rent), Line("bank", credit=rent))
    util = _rp(rng, 400_000, 700_000, 500) * scale
    add(
        day(6),
        f"Listrik, air dan telepon {month_name} {y}",
        Line("beban_utilitas", debit=util),
        Line("kas", credit=util),
    )
    atk = _rp(rng, 150_000, 450_000, 500) * scale
    add(
        day(12),
        f"Alat tulis dan fotokopi {month_name}",
        Line("beban_administrasi", debit=atk),
        Line("kas", credit=atk),
    )
    if m == 3:
        rat = _rp(rng, 6_000_000, 9_000_000, 50_000) * scale
        add(
            day(15),
            f"Konsumsi dan perlengkapan RAT tahun buku {y - 1}",
            Line("beban_rat", debit=rat),
            Line("kas", credit=rat),
        )
    if m == 8:
        edu = _rp(rng, 2_000_000, 4_000_000, 50_000) * scale
        add(
            day(20),
            "Pelatihan perkoperasian bagi anggota",
            Line("beban_pendidikan", debit=edu),
            Line("bank", credit=edu),
        )
    if shop:
        for d in (4, 11, 18, 25):
            buy = _rp(rng, 9_000_000, 11_000_000, 10_000) * scale
            add(
                day(d),
                f"Pembelian barang dagangan minggu ke-{(d + 3) // 7}",
                Line("persediaan", debit=buy),
                Line("bank", credit=buy),
            )
            sale_m = _rp(rng, 8_000_000, 12_000_000, 5_000) * scale
            sale_n = _rp(rng, 2_000_000, 4_000_000, 5_000) * scale
            add(
                day(d + 1),
                "Penjualan tunai toko",
                Line("kas", debit=sale_m + sale_n),
                Line("penjualan_anggota", credit=sale_m),
                Line("penjualan_non_anggota", credit=sale_n),
            )
            cogs = ((sale_m + sale_n) * Decimal("0.78")).quantize(Decimal("1"))
            add(day(d + 1), "Harga pokok penjualan", Line("hpp", debit=cogs), Line("persediaan", credit=cogs))
    # Keep the till modest: deposit the excess cash in the bank.
    if cash["kas"] > 20_000_000 * scale:
        amount = Decimal(int((cash["kas"] - 10_000_000 * scale) // 1_000_000) * 1_000_000)
        if amount > 0:
            add(day(26), "Setoran kas ke bank", Line("bank", debit=amount), Line("kas", credit=amount))
    pay = _rp(rng, 4_000_000, 5_000_000, 50_000) * scale
    add(day(25), f"Gaji karyawan {month_name} {y}", Line("beban_gaji", debit=pay), Line("bank", credit=pay))
    hon = Decimal(1_500_000 * scale)
    add(
        day(25),
        f"Honor pengurus dan pengawas {month_name}",
        Line("beban_honor_pengurus", debit=hon),
        Line("kas", credit=hon),
    )
    dep = Decimal(1_000_000 * scale)
    add(
        day(last),
        f"Penyusutan inventaris {month_name}",
        Line("beban_penyusutan", debit=dep),
        Line("akumulasi_penyusutan", credit=dep),
    )
    interest = _rp(rng, 300_000, 500_000, 100) * scale
    tax = (interest * Decimal("0.20")).quantize(Decimal("0.01"))
    add(
        day(last),
        f"Jasa giro {month_name} (dipotong PPh final)",
        Line("bank", debit=interest - tax),
        Line("beban_pajak", debit=tax),
        Line("pendapatan_bank", credit=interest),
    )
    if m in (3, 6, 9, 12):
        loan_interest = Decimal(1_250_000 * scale)
        add(
            day(last),
            "Bunga utang bank triwulan",
            Line("beban_bunga_bank", debit=loan_interest),
            Line("bank", credit=loan_interest),
        )
    if cash["kas"] < 3_000_000 * scale:
        amount = Decimal(10_000_000 * scale)
        add(day(1), "Penarikan bank untuk kas", Line("kas", debit=amount), Line("bank", credit=amount))
    out.sort(key=lambda e: e[0])
    return out


def run(ctx):
    for coop in ctx.showcase:
        if JournalEntry.objects.filter(cooperative=coop, source_type="demo.opening").exists():
            ctx.log(f"  pembukuan {coop.slug}: sudah ada")
            continue
        rng = random.Random(f"kopdig-ledger-{coop.slug}")
        actor = (
            User.objects.filter(roles__cooperative=coop, roles__kind=Role.Kind.PENGURUS)
            .order_by("pk")
            .first()
            or SYSTEM
        )
        # With the business-unit app installed its demo books the shops' trade through the real
        # actions (stock, sales, HPP); the synthetic weekly trade here would double it.
        shop = "toko" in units_for(coop) and not apps.is_installed("kopdig.usaha")
        scale = 1
        start = dt.date(ctx.today.year - 2, 1, 1)
        cash = {"kas": Decimal(15_000_000), "bank": Decimal(180_000_000 if shop else 350_000_000)}
        n = 0
        with batch():
            journal_entry_post(
                actor=actor,
                cooperative=coop,
                date=start,
                memo="Saldo awal pembukuan di Kopdig",
                lines=_opening(coop, scale, shop),
                source_type="demo.opening",
                source_ref=f"{start:%Y-%m-%d}",
            )
            for y, m in _months(start, ctx.today):
                for date, memo, lines in _month_entries(rng, y, m, ctx.today, scale, shop, cash):
                    journal_entry_post(actor=actor, cooperative=coop, date=date, memo=memo, lines=lines)
                    n += 1
        ctx.log(f"  pembukuan {coop.slug}: saldo awal + {n} jurnal operasional")
