"""Demo step (last): ten book years of supervision data for the regency's cooperatives.

Consistent with the regency's 2019 figures (domain §1): 620 active cooperatives reporting
93,430 members, assets Rp 326.6 bn and turnover Rp 568.9 bn that year (split exactly over the
active cooperatives with skewed weights), growing year by year; RAT records (active cooperatives
mostly hold their RAT, some late, a few missed; inactive ones stopped 3+ years ago); officers and
staff for a sample. The showcase cooperatives keep their books on Kopdig: no reported figures
are stored for them. KDMP cooperatives (founded 2025) only from book year 2025.

Bulk inserts of the same rows the actions write (reports with per-figure sources, RAT records,
officers, staff, one audit row per reported year and RAT record). Idempotent: each part runs
only when the regency has none of its rows yet. Deterministic (own seed).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction

from kopdig.audit.models import AuditLog
from kopdig.lib.money import q, split
from kopdig.tenancy.models import Cooperative, User

from .models import AnnualReport, CoopOfficer, CoopStaff, RatRecord
from .selectors import rat_deadline

SEED = 6019
BASE_YEAR = 2019
MEMBERS_2019 = 93_430
ASSETS_2019 = Decimal("326600000000.00")
TURNOVER_2019 = Decimal("568900000000.00")
GROWTH = {"anggota": Decimal("0.018"), "aset": Decimal("0.062"), "volume": Decimal("0.048")}
FIRST = [
    "Ahmad",
    "Siti",
    "Moh.",
    "Nur",
    "Abdul",
    "Sri",
    "Hasan",
    "Fatimah",
    "Slamet",
    "Sutrisno",
    "Rini",
    "Agus",
    "Yuliana",
    "Bambang",
    "Dewi",
    "Imam",
    "Khotimah",
    "Sugeng",
    "Lilik",
    "Rahmat",
    "Sulastri",
    "Hariyanto",
]
LAST = [
    "Hidayat",
    "Rohmah",
    "Wahyudi",
    "Sholeh",
    "Kurniawan",
    "Lestari",
    "Susanto",
    "Maulana",
    "Purnomo",
    "Handayani",
    "Fauzi",
    "Zainal",
    "Suryani",
    "Effendi",
    "Hasanah",
    "Mustofa",
]


def _founded_year(c) -> int:
    return c.founded_on.year if c.founded_on else 1990


def _factor(rate: Decimal, year: int, noise: Decimal) -> Decimal:
    return (Decimal(1) + rate) ** (year - BASE_YEAR) * noise


def run(ctx):
    rng = random.Random(SEED)
    kab = ctx.kabupaten
    last = ctx.today.year - 1
    years = list(range(ctx.today.year - 10, last + 1))
    coops = list(Cooperative.objects.filter(kabupaten=kab).order_by("pk"))
    showcase = {c.pk for c in ctx.showcase} | {c.pk for c in coops if c.on_kopdig}
    officer = User.objects.filter(dinas_roles__kabupaten=kab).order_by("pk").first()
    with transaction.atomic():
        if not AnnualReport.objects.filter(cooperative__kabupaten=kab).exists():
            n = _annual(ctx, rng, coops, showcase, years, officer)
            ctx.log(f"  dinas: {n} laporan tahunan")
        if not RatRecord.objects.filter(cooperative__kabupaten=kab).exists():
            n = _rat(ctx, random.Random(SEED + 1), coops, years, officer)
            ctx.log(f"  dinas: {n} catatan RAT")
        if not CoopOfficer.objects.filter(cooperative__kabupaten=kab).exists():
            _people(ctx, random.Random(SEED + 2), coops, showcase)


def _classic(c, showcase):
    return c.pk not in showcase and c.kelompok != Cooperative.Kelompok.KDMP


def _annual(ctx, rng, coops, showcase, years, officer) -> int:
    active = [c for c in coops if _classic(c, showcase) and c.status == Cooperative.Status.AKTIF]
    inactive = [c for c in coops if _classic(c, showcase) and c.status != Cooperative.Status.AKTIF]
    # 2019 figures of the active cooperatives: skewed weights (a few big KSP/KPRI, many small ones).
    w_size = [Decimal(str(round(rng.lognormvariate(0, 1.1), 4))) for _ in active]
    w_members = [Decimal(str(round(float(w) ** 0.6 * rng.uniform(0.7, 1.3), 4))) for w in w_size]
    w_volume = [
        w * Decimal(str(round(rng.uniform(0.5, 1.6) * (1.8 if c.jenis == "simpan_pinjam" else 1), 4)))
        for w, c in zip(w_size, active, strict=True)
    ]
    members = [int(m) for m in split(Decimal(MEMBERS_2019), w_members, unit=Decimal(1))]
    assets = split(ASSETS_2019, w_size, unit=Decimal(1000))
    volume = split(TURNOVER_2019, w_volume, unit=Decimal(1000))
    base = {}
    for c, m, a, v in zip(active, members, assets, volume, strict=True):
        base[c.pk] = {
            "m": m,
            "a": a,
            "v": v,
            "women": Decimal(str(round(rng.uniform(0.25, 0.75), 3))),
            "margin": Decimal(str(round(rng.uniform(-0.01, 0.07), 4))),
            "equity": Decimal(str(round(rng.uniform(0.3, 0.7), 3))),
            "staff": rng.choice([0, 1, 1, 2, 3, 4, 6]),
            "noise": [Decimal(str(round(rng.uniform(0.94, 1.06), 4))) for _ in years],
        }
    for c in inactive:
        # Inactive ones were smaller and stopped reporting before 2019.
        base[c.pk] = {
            "m": rng.randint(20, 120),
            "a": q(Decimal(rng.randint(20, 300)) * 1_000_000),
            "v": q(Decimal(rng.randint(10, 400)) * 1_000_000),
            "women": Decimal("0.5"),
            "margin": Decimal("0.01"),
            "equity": Decimal("0.6"),
            "staff": 0,
            "noise": [Decimal(str(round(rng.uniform(0.9, 1.1), 4))) for _ in years],
            "stop": rng.randint(years[0] - 4, BASE_YEAR - 1),
        }
    rows = []
    for c in active + inactive:
        b = base[c.pk]
        for i, y in enumerate(years):
            if y < _founded_year(c) or ("stop" in b and y > b["stop"]):
                continue
            if y < BASE_YEAR and "stop" not in b and rng.random() < 0.08:
                continue  # some older years were never reported
            noise = b["noise"][i] if y != BASE_YEAR else Decimal(1)
            m = int(Decimal(b["m"]) * _factor(GROWTH["anggota"], y, noise)) if y != BASE_YEAR else b["m"]
            aset = q(b["a"] * _factor(GROWTH["aset"], y, noise))
            vol = q(b["v"] * _factor(GROWTH["volume"], y, noise))
            p = int(Decimal(m) * b["women"])
            ms = q(aset * b["equity"])
            rows.append(
                AnnualReport(
                    cooperative=c,
                    year=y,
                    anggota_l=m - p,
                    anggota_p=p,
                    manajer=1 if b["staff"] else 0,
                    karyawan=max(0, b["staff"] - 1),
                    modal_sendiri=ms,
                    modal_luar=aset - ms,
                    aset=aset,
                    volume_usaha=vol,
                    shu=q(vol * b["margin"]),
                    sources={
                        f: "dinas"
                        for f in (
                            "anggota_l",
                            "anggota_p",
                            "manajer",
                            "karyawan",
                            "modal_sendiri",
                            "modal_luar",
                            "aset",
                            "volume_usaha",
                            "shu",
                        )
                    },
                )
            )
    # KDMP: founded 2025, first book year 2025.
    for c in coops:
        if c.kelompok == Cooperative.Kelompok.KDMP and c.pk not in showcase:
            for y in years:
                if y < max(2025, _founded_year(c)):
                    continue
                m = rng.randint(40, 320)
                aset = q(Decimal(rng.randint(60, 900)) * 1_000_000)
                vol = q(Decimal(rng.randint(20, 700)) * 1_000_000)
                p = int(m * rng.uniform(0.3, 0.6))
                ms = q(aset * Decimal("0.35"))
                rows.append(
                    AnnualReport(
                        cooperative=c,
                        year=y,
                        anggota_l=m - p,
                        anggota_p=p,
                        manajer=1,
                        karyawan=rng.randint(1, 4),
                        modal_sendiri=ms,
                        modal_luar=aset - ms,
                        aset=aset,
                        volume_usaha=vol,
                        shu=q(vol * Decimal(str(round(rng.uniform(-0.02, 0.05), 4)))),
                        sources={
                            f: "pengurus"
                            for f in (
                                "anggota_l",
                                "anggota_p",
                                "manajer",
                                "karyawan",
                                "modal_sendiri",
                                "modal_luar",
                                "aset",
                                "volume_usaha",
                                "shu",
                            )
                        },
                    )
                )
    AnnualReport.objects.bulk_create(rows, batch_size=1000)
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=officer,
                cooperative_id=r.cooperative_id,
                kabupaten_id=ctx.kabupaten.pk,
                action="annual_report_save",
                object_type="dinas.AnnualReport",
                object_ref=str(r.year),
                summary=f"Data tahunan {r.year} (demo)",
            )
            for r in rows
        ],
        batch_size=1000,
    )
    ctx.stop_years = {pk: b["stop"] for pk, b in base.items() if "stop" in b}
    return len(rows)


def _rat(ctx, rng, coops, years, officer) -> int:
    today = ctx.today
    stops = getattr(ctx, "stop_years", {})
    rows = []
    for c in coops:
        missed_run = 0
        stop = stops.get(c.pk)
        if c.status != Cooperative.Status.AKTIF and stop is None:
            stop = rng.randint(years[0] - 4, today.year - 5)
        for y in years:
            if y < _founded_year(c) or (c.kelompok == Cooperative.Kelompok.KDMP and y < 2025):
                continue
            if stop is not None and y > stop:
                continue
            deadline = rat_deadline(y, 6)
            r = rng.random()
            if c.on_kopdig:
                r = 0.5  # the showcase cooperatives hold their RAT on time
            if r < 0.08 and missed_run < 1 and stop is None:
                missed_run += 1
                continue
            missed_run = 0
            if r < 0.2:  # late
                held = deadline + dt.timedelta(days=rng.randint(10, 120))
            else:
                held = dt.date(y + 1, rng.randint(2, deadline.month), rng.randint(1, 28))
            if held >= today:
                continue  # not held yet
            rows.append(RatRecord(cooperative=c, year=y, held_on=held, source="dinas", recorded_by=officer))
    RatRecord.objects.bulk_create(rows, batch_size=1000)
    AuditLog.objects.bulk_create(
        [
            AuditLog(
                actor=officer,
                cooperative_id=r.cooperative_id,
                kabupaten_id=ctx.kabupaten.pk,
                action="rat_record_save",
                object_type="dinas.RatRecord",
                object_ref=str(r.year),
                summary=f"RAT tahun buku {r.year}",
                after={"held_on": r.held_on.isoformat(), "source": "dinas"},
            )
            for r in rows
        ],
        batch_size=1000,
    )
    return len(rows)


def _name(rng):
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def _people(ctx, rng, coops, showcase):
    today = ctx.today
    sample = [c for c in coops if c.pk in showcase]
    others = [c for c in coops if c.pk not in showcase and c.status == Cooperative.Status.AKTIF]
    sample += rng.sample(others, min(150, len(others)))
    officers, staff = [], []
    for c in sample:
        start = dt.date(
            max(_founded_year(c), today.year - rng.randint(0, 4)), rng.randint(2, 6), rng.randint(1, 28)
        )
        end = dt.date(start.year + 5, start.month, start.day) - dt.timedelta(days=1)
        for body, position in (
            ("pengurus", "ketua"),
            ("pengurus", "sekretaris"),
            ("pengurus", "bendahara"),
            ("pengawas", "ketua"),
            ("pengawas", "anggota"),
        ):
            officers.append(
                CoopOfficer(
                    cooperative=c,
                    body=body,
                    position=position,
                    name=_name(rng),
                    phone=f"+628{rng.randint(1100000000, 5999999999)}",
                    term_start=start,
                    term_end=end,
                )
            )
        staff.append(
            CoopStaff(
                cooperative=c,
                position="manajer",
                name=_name(rng),
                since=dt.date(max(_founded_year(c), today.year - 8), 1, 2),
            )
        )
        for _ in range(rng.randint(1, 4) if c.pk in showcase else rng.randint(0, 3)):
            staff.append(
                CoopStaff(
                    cooperative=c,
                    position="karyawan",
                    name=_name(rng),
                    since=dt.date(
                        max(_founded_year(c), today.year - rng.randint(1, 9)), rng.randint(1, 12), 1
                    ),
                )
            )
    CoopOfficer.objects.bulk_create(officers, batch_size=1000)
    CoopStaff.objects.bulk_create(staff, batch_size=1000)
