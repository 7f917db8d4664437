"""Demo step: the members of the three showcase cooperatives.

ksp-sejahtera 1,200, ksu-tunas-harapan 600, kopwan-srikandi 250 (all women) with Javanese and
Madurese names, NIKs valid for Kabupaten Probolinggo (3513 + kecamatan + birth date, +40 for
women), desa of the cooperative's kecamatan, phone numbers, occupations and heirs. About a third
are founders who joined before the demo's books start; the rest join month by month over the
two demo years (numbers follow the joining order, gapless). The demo login ``<slug>-anggota``
is member number 00001.

Bulk path: the same Member and MemberStatusChange rows ``member_admit`` writes and the same
member-number counter; the money side of admission (simpanan pokok) is posted by the savings
demo, which walks the same timeline. Idempotent: a cooperative that already has members is
left alone (only the anggota login link is checked).
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from kopdig.lib.nik import make_nik
from kopdig.tenancy.models import DocumentCounter, Region, User

from .models import Member, MemberStatusChange

TARGETS = {"ksp-sejahtera": 1200, "ksu-tunas-harapan": 600, "kopwan-srikandi": 250}

MEN = [
    "Ahmad",
    "Moh.",
    "Abdul",
    "Slamet",
    "Sutrisno",
    "Agus",
    "Bambang",
    "Imam",
    "Sugeng",
    "Rahmat",
    "Hariyanto",
    "Supriyadi",
    "Joko",
    "Suparman",
    "Wahyudi",
    "Sholeh",
    "Hasan",
    "Fauzi",
    "Mustofa",
    "Syaiful",
    "Ali",
    "Hosnan",
    "Marsuki",
    "Sunarto",
    "Yusuf",
    "Rofiq",
    "Zainal",
    "Samsul",
    "Busiri",
    "Matrawi",
    "Holili",
    "Subairi",
    "Mahfud",
    "Rudi",
    "Eko",
    "Heri",
    "Didik",
    "Budi",
    "Sukardi",
    "Misnari",
    "Salim",
    "Sahrawi",
    "Abd. Rahman",
    "Kholil",
    "Nur Hasan",
    "Muhlis",
    "Lukman",
    "Jumali",
    "Suwandi",
    "Ponidi",
]
WOMEN = [
    "Siti",
    "Sri",
    "Nur",
    "Fatimah",
    "Khotimah",
    "Sulastri",
    "Rini",
    "Dewi",
    "Yuliana",
    "Lilik",
    "Suwarni",
    "Sumiati",
    "Tutik",
    "Endang",
    "Wartini",
    "Hosniyah",
    "Maimunah",
    "Rohmah",
    "Halimah",
    "Juwariyah",
    "Sitti Aisyah",
    "Nurul",
    "Umi",
    "Ninik",
    "Purwati",
    "Sutinah",
    "Masrifah",
    "Holifah",
    "Suhartini",
    "Mistiyah",
    "Romlah",
    "Zubaidah",
    "Kartini",
    "Winarsih",
    "Ernawati",
    "Lailatul",
    "Badriyah",
    "Musyarofah",
    "Ani",
    "Yuni",
]
SECOND_M = [
    "Hidayat",
    "Wahyudi",
    "Kurniawan",
    "Susanto",
    "Maulana",
    "Purnomo",
    "Effendi",
    "Santoso",
    "Setiawan",
    "Prasetyo",
    "Hariadi",
    "Syamsuri",
    "Rasyid",
    "Sholihin",
    "Anwar",
    "Ghozali",
    "Hamdani",
    "Arifin",
    "",
    "",
    "",
]
SECOND_F = [
    "Rahayu",
    "Handayani",
    "Lestari",
    "Suryani",
    "Hasanah",
    "Wulandari",
    "Ningsih",
    "Rohmawati",
    "Fitriani",
    "Kusumawati",
    "Mukarromah",
    "Zahro",
    "Sholihah",
    "Puspitasari",
    "Agustina",
    "",
    "",
    "",
]
OCCUPATIONS = [
    "Petani",
    "Pedagang",
    "Buruh tani",
    "Guru",
    "Nelayan",
    "Peternak",
    "Ibu rumah tangga",
    "Karyawan swasta",
    "PNS",
    "Wiraswasta",
    "Sopir",
    "Tukang bangunan",
    "Penjahit",
    "Perangkat desa",
]
OCC_WOMEN = [
    "Pedagang",
    "Ibu rumah tangga",
    "Penjahit",
    "Perajin tempe",
    "Perajin anyaman",
    "Petani",
    "Guru PAUD",
    "Pemilik warung",
    "Pembuat kue",
    "Buruh tani",
]
CLASSES = ["Golongan I", "Golongan II", "Golongan III"]


def books_start(today: dt.date) -> dt.date:
    """First day of the demo books (the ledger demo's opening date)."""
    return dt.date(today.year - 2, 1, 1)


def _name(rng, gender):
    first = rng.choice(MEN if gender == "L" else WOMEN)
    second = rng.choice(SECOND_M if gender == "L" else SECOND_F)
    return f"{first} {second}".strip()


def _join_dates(rng, n, founded, start, today):
    founders = int(n * 0.35)
    dates = []
    span_before = max((start - founded).days, 30)
    for _ in range(founders):
        dates.append(start - dt.timedelta(days=rng.randint(1, span_before)))
    span_after = max((today - start).days - 20, 30)
    for _ in range(n - founders):
        dates.append(start + dt.timedelta(days=rng.randint(0, span_after)))
    return sorted(dates)


def build_members(ctx, coop, n: int) -> int:
    rng = random.Random(f"members-{coop.slug}")
    start = books_start(ctx.today)
    founded = coop.founded_on or dt.date(start.year - 10, 1, 1)
    kec = coop.kecamatan
    desa = list(Region.objects.filter(parent=kec, level=Region.Level.DESA).order_by("code")) if kec else []
    women_only = coop.kelompok == "wanita"
    offset = {"ksp-sejahtera": 0, "ksu-tunas-harapan": 3000, "kopwan-srikandi": 6000}.get(coop.slug, 9000)
    joins = _join_dates(rng, n, founded, start, ctx.today)
    members, changes = [], []
    for i, joined in enumerate(joins, start=1):
        gender = "P" if women_only or rng.random() < 0.45 else "L"
        born = dt.date(rng.randint(1955, 2003), rng.randint(1, 12), rng.randint(1, 28))
        d = rng.choice(desa) if desa else None
        heir_gender = "L" if gender == "P" else "P"
        status = Member.Status.AKTIF
        if i > n - 3 and (ctx.today - joined).days < 30:
            status = Member.Status.CALON
        members.append(
            Member(
                cooperative=coop,
                number=f"{i:05d}",
                nik=make_nik(kec.code if kec else "35.13.01", born, gender, offset + i),
                name=_name(rng, gender),
                gender=gender,
                birth_place=rng.choice(
                    [
                        "Probolinggo",
                        "Kraksaan",
                        "Lumajang",
                        "Pasuruan",
                        "Situbondo",
                        kec.name if kec else "Probolinggo",
                    ]
                ),
                birth_date=born,
                address=f"Dusun {rng.choice(['Krajan', 'Tengah', 'Timur', 'Barat', 'Karanganyar', 'Sumberan'])} "
                f"RT {rng.randint(1, 8):02d}/RW {rng.randint(1, 5):02d}",
                kecamatan=kec,
                desa=d,
                phone=f"+628{rng.choice(['12', '13', '21', '22', '52', '53', '57', '77', '95'])}"
                f"{rng.randint(10_000_000, 99_999_999)}",
                occupation=rng.choice(OCC_WOMEN if women_only else OCCUPATIONS),
                heir_name=_name(rng, heir_gender),
                heir_relation=rng.choice(["suami" if gender == "P" else "istri", "anak"]),
                member_class=rng.choice(CLASSES) if coop.kelompok == "karyawan" else "",
                status=status,
                joined_on=joined,
            )
        )
    with transaction.atomic():
        Member.objects.bulk_create(members, batch_size=500)
        saved = list(Member.objects.filter(cooperative=coop).order_by("number"))
        for m in saved:
            changes.append(
                MemberStatusChange(
                    cooperative=coop,
                    member=m,
                    date=m.joined_on,
                    from_status="",
                    to_status=m.status,
                    reason="Penerimaan anggota",
                )
            )
        MemberStatusChange.objects.bulk_create(changes, batch_size=1000)
        DocumentCounter.objects.update_or_create(
            cooperative=coop, series="member", year=0, defaults={"last": n}
        )
    return n


def link_demo_login(coop) -> None:
    user = User.objects.filter(username=f"{coop.slug}-anggota").first()
    first = Member.objects.filter(cooperative=coop, number="00001").first()
    if user is None or first is None or first.user_id:
        return
    if Member.objects.filter(user=user).exists():
        return
    Member.objects.filter(pk=first.pk).update(user=user)
    User.objects.filter(pk=user.pk).update(name=first.name)  # the login shows the member's own name


def run(ctx):
    for coop in ctx.showcase:
        target = TARGETS.get(coop.slug)
        if not target:
            continue
        if not Member.objects.filter(cooperative=coop).exists():
            build_members(ctx, coop, target)
            ctx.log(f"  anggota {coop.slug}: {target} anggota")
        link_demo_login(coop)
