"""Demo step 1: the regency (Kabupaten Probolinggo), its cooperatives, Dinas and showcase logins.

Deterministic (fixed seed). About 785 classic cooperatives with the 2019 jenis mix
(konsumen 555, simpan pinjam 129, produsen 94, jasa 4, pemasaran 3; ~79% aktif) plus one Koperasi
Desa/Kelurahan Merah Putih per desa (330), spread over the 24 kecamatan.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from .actions import _create_cooperative
from .models import Cooperative, DinasRole, Region, Role
from .regions import DEFAULT_KABUPATEN, load_kabupaten

SEED = 20190
PASSWORD = "demo"

SHOWCASE = [
    # slug, name, jenis, kelompok, kecamatan, has_usp
    ("ksp-sejahtera", "KSP Sejahtera Bersama", "simpan_pinjam", "umum", "Kraksaan", False),
    ("ksu-tunas-harapan", "KSU Tunas Harapan", "serba_usaha", "karyawan", "Paiton", True),
    ("kopwan-srikandi", "Kopwan Srikandi Sukapura", "produsen", "wanita", "Sukapura", True),
]

JENIS_MIX = [("konsumen", 555), ("simpan_pinjam", 129), ("produsen", 94), ("jasa", 4), ("pemasaran", 3)]
PREFIX = {
    "konsumen": [
        "Koperasi Konsumen",
        "KPRI",
        "Koperasi Karyawan",
        "Kopwan",
        "Koperasi Pondok Pesantren",
        "Kopma",
        "Koperasi Sekolah",
        "Koperasi Pegawai",
    ],
    "simpan_pinjam": ["KSP", "Koperasi Simpan Pinjam", "KSPPS", "Kopwan"],
    "produsen": ["Koperasi Produsen", "KUD", "Koperasi Tani", "Koperasi Peternak", "Kopwan"],
    "jasa": ["Koperasi Jasa", "Koperasi Angkutan"],
    "pemasaran": ["Koperasi Pemasaran"],
}
KELOMPOK_BY_PREFIX = {
    "KPRI": "kpri",
    "Koperasi Pegawai": "kpri",
    "Koperasi Karyawan": "karyawan",
    "Kopwan": "wanita",
    "Koperasi Pondok Pesantren": "pontren",
    "Kopma": "mahasiswa",
    "Koperasi Sekolah": "sekolah",
    "KUD": "kud",
    "Koperasi Tani": "tani",
    "Koperasi Peternak": "tani",
}
WORDS = [
    "Sejahtera",
    "Makmur",
    "Mandiri",
    "Bina Usaha",
    "Karya Bersama",
    "Sumber Rejeki",
    "Tunas Harapan",
    "Al-Ikhlas",
    "Nurul Huda",
    "Mitra Tani",
    "Barokah",
    "Amanah",
    "Sido Makmur",
    "Rukun Santoso",
    "Tri Dharma",
    "Bhakti Husada",
    "Jaya Abadi",
    "Sri Rejeki",
    "Mekar Sari",
    "Harapan Bangsa",
    "Maju Bersama",
    "Sumber Makmur",
    "Tani Makmur",
    "Sinar Harapan",
    "Usaha Bersama",
    "Al-Hidayah",
    "Darussalam",
    "Bahagia",
    "Kartini",
    "Setia Kawan",
    "Guyub Rukun",
    "Budi Luhur",
    "Sekar Arum",
    "Mulia",
    "Nusantara",
    "Adil Makmur",
    "Berkah Jaya",
    "Bromo Lestari",
    "Sumber Air",
    "Pandhalungan",
]
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


@dataclass
class DemoContext:
    today: dt.date
    rng: random.Random
    kabupaten: Region
    showcase: list = field(default_factory=list)
    out: object = None

    def log(self, msg):
        if self.out:
            self.out.write(msg)


def _user(username, name, password=PASSWORD, **extra):
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username, defaults={"name": name, **extra})
    if created:
        user.set_password(password)
        user.save()
    return user


def ensure_people(ctx: DemoContext):
    admin = _user("admin", "Administrator", is_staff=True, is_superuser=True)
    dinas = _user("dinas", "Petugas DKUPP Kab. Probolinggo")
    DinasRole.objects.get_or_create(user=dinas, kabupaten=ctx.kabupaten)
    return admin, dinas


def ensure_showcase(ctx: DemoContext):
    kecamatan = {r.name: r for r in Region.objects.filter(parent=ctx.kabupaten)}
    for slug, name, jenis, kelompok, kec_name, has_usp in SHOWCASE:
        coop = Cooperative.objects.filter(slug=slug).first()
        if coop is None:
            kec = kecamatan[kec_name]
            desa = kec.children.order_by("code").first()
            founded = dt.date(ctx.today.year - 12, 3, 17)
            coop = _create_cooperative(
                kabupaten=ctx.kabupaten,
                name=name,
                jenis=jenis,
                slug=slug,
                kelompok=kelompok,
                kecamatan=kec,
                desa=desa,
                address=f"Jl. Raya {kec_name} No. {ctx.rng.randint(1, 120)}",
                on_kopdig=True,
                has_usp=has_usp,
                founded_on=founded,
                badan_hukum_number=f"{ctx.rng.randint(100, 999)}/BH/XVI.{ctx.rng.randint(10, 40)}/{founded.year}",
                badan_hukum_date=founded,
                nik=f"35130{ctx.rng.randint(10**7, 10**8 - 1)}",
                npwp=f"{ctx.rng.randint(10**14, 10**15 - 1)}",
                phone=f"+62335{ctx.rng.randint(100000, 999999)}",
                kbli="64141" if jenis == "simpan_pinjam" else "47111",
            )
        for kind in Role.Kind.values:
            user = _user(f"{slug}-{kind}", f"{ctx.rng.choice(FIRST)} {ctx.rng.choice(LAST)}")
            title = {
                "pengurus": "Ketua",
                "manajer": "Manajer",
                "kasir": "Kasir",
                "pengawas": "Ketua Pengawas",
            }.get(kind, "")
            Role.objects.get_or_create(cooperative=coop, user=user, defaults={"kind": kind, "title": title})
        ctx.showcase.append(coop)


def ensure_registry(ctx: DemoContext):
    kab = ctx.kabupaten
    if Cooperative.objects.filter(kabupaten=kab).count() > len(SHOWCASE) + 100:
        return
    rng = random.Random(SEED)
    kecamatan = list(Region.objects.filter(parent=kab).order_by("code"))
    desa_by_kec = {k.pk: list(k.children.order_by("code")) for k in kecamatan}
    used = set(Cooperative.objects.values_list("slug", flat=True))
    rows = []

    def unique(slug):
        base, n = slug[:55], 2
        while slug in used:
            slug, n = f"{base}-{n}", n + 1
        used.add(slug)
        return slug

    jenis_list = [j for j, n in JENIS_MIX for _ in range(n)]
    rng.shuffle(jenis_list)
    inactive = set(rng.sample(range(len(jenis_list)), len(jenis_list) - 620))
    for i, jenis in enumerate(jenis_list):
        kec = rng.choice(kecamatan)
        desa = rng.choice(desa_by_kec[kec.pk])
        prefix = rng.choice(PREFIX[jenis])
        name = f"{prefix} {rng.choice(WORDS)}" + (f" {desa.name}" if rng.random() < 0.6 else "")
        founded = dt.date(rng.randint(1975, 2018), rng.randint(1, 12), rng.randint(1, 28))
        rows.append(
            Cooperative(
                slug=unique(slugify(name)),
                name=name,
                jenis=jenis,
                kelompok=KELOMPOK_BY_PREFIX.get(prefix, "umum"),
                kabupaten=kab,
                kecamatan=kec,
                desa=desa,
                address=f"{desa.name}, Kec. {kec.name}",
                founded_on=founded,
                badan_hukum_date=founded,
                badan_hukum_number=f"{rng.randint(1, 999)}/BH/{'XVI' if founded.year < 2000 else 'KDK.13'}/{founded.year}",
                nik=f"3513{rng.randint(10**11, 10**12 - 1)}" if i not in inactive else "",
                status=Cooperative.Status.TIDAK_AKTIF if i in inactive else Cooperative.Status.AKTIF,
                phone=f"+628{rng.randint(1100000000, 5999999999)}",
            )
        )
    for kec in kecamatan:
        for desa in desa_by_kec[kec.pk]:
            label = "Kelurahan" if desa.code.split(".")[-1].startswith("1") else "Desa"
            name = f"Koperasi {label} Merah Putih {desa.name}"
            rows.append(
                Cooperative(
                    slug=unique(slugify(name)),
                    name=name,
                    jenis=Cooperative.Jenis.SERBA_USAHA,
                    kelompok=Cooperative.Kelompok.KDMP,
                    kabupaten=kab,
                    kecamatan=kec,
                    desa=desa,
                    address=f"Balai {label} {desa.name}, Kec. {kec.name}",
                    founded_on=dt.date(2025, 7, rng.randint(1, 21)),
                    badan_hukum_date=dt.date(2025, 7, 21),
                    badan_hukum_number=f"AHU-{rng.randint(10**6, 10**7 - 1)}.AH.01.29.TAHUN 2025",
                )
            )
    Cooperative.objects.bulk_create(rows, batch_size=500)


def run(ctx: DemoContext):
    with transaction.atomic():
        ensure_people(ctx)
        ensure_showcase(ctx)
        ensure_registry(ctx)


def build_context(today=None, out=None) -> DemoContext:
    load_kabupaten(DEFAULT_KABUPATEN)
    return DemoContext(
        today=today or dt.date.today(),
        rng=random.Random(SEED),
        kabupaten=Region.objects.get(code=DEFAULT_KABUPATEN),
        out=out,
    )
