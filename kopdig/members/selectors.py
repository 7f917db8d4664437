"""Member reads (cooperative explicit, no N+1)."""

from django.db.models import Q

from .models import Member, MemberStatusChange


def member_list(cooperative, *, search: str = "", status: str = "", kecamatan: str = "", gender: str = ""):
    qs = Member.objects.filter(cooperative=cooperative).select_related("kecamatan", "desa").order_by("number")
    if search:
        s = search.strip()
        qs = qs.filter(
            Q(name__icontains=s) | Q(number__icontains=s) | Q(nik__startswith=s) | Q(phone__icontains=s)
        )
    if status:
        qs = qs.filter(status=status)
    if kecamatan:
        qs = qs.filter(kecamatan__code=kecamatan)
    if gender:
        qs = qs.filter(gender=gender)
    return qs


def member_get(cooperative, number: str) -> Member | None:
    return (
        Member.objects.select_related("kecamatan", "desa", "user")
        .filter(cooperative=cooperative, number=number)
        .first()
    )


def status_history(cooperative, member):
    return MemberStatusChange.objects.filter(cooperative=cooperative, member=member).select_related("actor")


def own_member(cooperative, user) -> Member | None:
    return Member.objects.filter(cooperative=cooperative, user=user).first()


# The register's columns in a spreadsheet, shared by the export and the import (members.actions).
REGISTER_COLUMNS = [
    "nik",
    "nama",
    "jenis_kelamin",
    "tempat_lahir",
    "tanggal_lahir",
    "alamat",
    "kecamatan",
    "desa",
    "no_hp",
    "pekerjaan",
    "ahli_waris",
    "hubungan_ahli_waris",
    "golongan",
]
EXPORT_COLUMNS = ["no_anggota", *REGISTER_COLUMNS, "status", "tanggal_masuk", "tanggal_keluar"]


def export_rows(members):
    """One row of ``EXPORT_COLUMNS`` per member (a generator over ``members.iterator()``)."""
    for m in members.iterator():
        yield [
            m.number,
            m.nik,
            m.name,
            m.gender,
            m.birth_place,
            m.birth_date,
            m.address,
            m.kecamatan.name if m.kecamatan_id else "",
            m.desa.name if m.desa_id else "",
            m.phone,
            m.occupation,
            m.heir_name,
            m.heir_relation,
            m.member_class,
            m.status,
            m.joined_on,
            m.left_on,
        ]
