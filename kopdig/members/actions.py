"""Member actions: admission, changes, status, exit settlement, self-service login, import."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone

from kopdig import audit
from kopdig.lib.cells import cell_date
from kopdig.lib.errors import DomainError
from kopdig.lib.formats import normalize_phone
from kopdig.lib.money import ZERO
from kopdig.lib.nik import birth_date_from_nik, nik_error
from kopdig.lib.transactions import action_atomic, batch
from kopdig.loans.actions import loan_exit_repay
from kopdig.loans.selectors import outstanding_by_member
from kopdig.savings.actions import savings_exit_payout, savings_member_close, savings_member_open
from kopdig.savings.models import Kind, SavingsAccount
from kopdig.tenancy.access import APPROVERS, STAFF, require_role, user_of
from kopdig.tenancy.models import Region, Role
from kopdig.tenancy.numbering import next_number

from .models import Member, MemberStatusChange
from .selectors import REGISTER_COLUMNS

EDIT_FIELDS = [
    "name",
    "gender",
    "birth_place",
    "birth_date",
    "address",
    "kecamatan",
    "desa",
    "phone",
    "occupation",
    "heir_name",
    "heir_relation",
    "member_class",
]


class MemberError(DomainError):
    pass


class InvalidNik(MemberError):
    pass


def _clean_phone(phone) -> str:
    try:
        return normalize_phone(str(phone))
    except ValueError:
        raise MemberError(f"No. HP '{phone}' tidak valid (contoh: 0812 3456 7890).") from None


def _clean_regions(out: dict) -> None:
    """The kecamatan and desa checked against each other; a desa alone brings its kecamatan."""
    kec, desa = out.get("kecamatan"), out.get("desa")
    if kec is not None and (not isinstance(kec, Region) or kec.level != Region.Level.KECAMATAN):
        raise MemberError("Kecamatan tidak valid.")
    if desa is None:
        return
    if not isinstance(desa, Region) or desa.level != Region.Level.DESA:
        raise MemberError("Desa/kelurahan tidak valid.")
    if kec is not None and desa.parent_id != kec.pk:
        raise MemberError("Desa/kelurahan tidak berada di kecamatan yang dipilih.")
    if kec is None:
        out["kecamatan"] = desa.parent


_STRIPPED_FIELDS = ("birth_place", "address", "occupation", "heir_name", "heir_relation", "member_class")


def _clean(cooperative, data: dict, *, member: Member | None = None) -> dict:
    """Validate and normalise member fields; raise MemberError with the first problem."""
    out = dict(data)
    if "name" in out:
        out["name"] = " ".join(str(out["name"] or "").split())
        if not out["name"]:
            raise MemberError("Nama wajib diisi.")
    if "gender" in out and out["gender"] not in Member.Gender.values:
        raise MemberError("Jenis kelamin harus L atau P.")
    if out.get("phone"):
        out["phone"] = _clean_phone(out["phone"])
    _clean_regions(out)
    for key in _STRIPPED_FIELDS:
        if key in out:
            out[key] = str(out[key] or "").strip()
    return out


def _change_status(member, to_status, date, reason, actor):
    MemberStatusChange.objects.create(
        cooperative_id=member.cooperative_id,
        member=member,
        date=date,
        from_status=member.status,
        to_status=to_status,
        reason=reason[:255],
        actor=user_of(actor),
    )


def _next_member_number(cooperative) -> str:
    """The next number of the gapless counter, stepping over numbers written outside it
    (members created directly, e.g. by fixtures or a migration from another system)."""
    while True:
        number = f"{next_number(cooperative, 'member', 0):05d}"
        if not Member.objects.filter(cooperative=cooperative, number=number).exists():
            return number


def _admit(
    *,
    actor,
    cooperative,
    nik,
    name,
    gender,
    joined_on: dt.date,
    status=Member.Status.AKTIF,
    pay_pokok: bool = True,
    cash_account: str = "kas",
    **fields,
) -> Member:
    """Admission inside the caller's transaction (the form action and the import share it)."""
    nik = "".join(str(nik or "").split())
    problem = nik_error(nik, gender=gender, birth_date=fields.get("birth_date"))
    if problem:
        raise InvalidNik(problem)
    if status not in (Member.Status.AKTIF, Member.Status.CALON):
        raise MemberError("Status awal anggota harus calon atau aktif.")
    data = _clean(cooperative, {"name": name, "gender": gender, **fields})
    if Member.objects.filter(cooperative=cooperative, nik=nik, status__in=["calon", "aktif"]).exists():
        raise MemberError(f"NIK {nik} sudah terdaftar sebagai anggota aktif/calon di koperasi ini.")
    if not data.get("birth_date"):
        data["birth_date"] = birth_date_from_nik(nik)
    number = _next_member_number(cooperative)
    member = Member(
        cooperative=cooperative, number=number, nik=nik, joined_on=joined_on, status=status, **data
    )
    member.save()
    MemberStatusChange.objects.create(
        cooperative=cooperative,
        member=member,
        date=joined_on,
        from_status="",
        to_status=status,
        reason="Penerimaan anggota",
        actor=user_of(actor),
    )
    with batch():
        savings_member_open(
            actor=actor,
            cooperative=cooperative,
            member=member,
            date=joined_on,
            pay_pokok=pay_pokok,
            cash_account=cash_account,
        )
    return member


def member_admit(
    *,
    actor,
    cooperative,
    nik,
    name,
    gender,
    joined_on: dt.date | None = None,
    status=Member.Status.AKTIF,
    pay_pokok: bool = True,
    **fields,
) -> Member:
    """Admit a member: validated NIK, gapless number, pokok and wajib accounts, simpanan pokok paid
    in cash and posted (Dr kas / Cr simpanan_pokok) with a kuitansi."""
    require_role(actor, cooperative, STAFF, "menerima anggota")
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    joined_on = joined_on or timezone.localdate()
    with action_atomic():
        member = _admit(
            actor=actor,
            cooperative=cooperative,
            nik=nik,
            name=name,
            gender=gender,
            joined_on=joined_on,
            status=status,
            pay_pokok=pay_pokok,
            **fields,
        )
        audit.record(
            actor,
            "member_admit",
            cooperative=cooperative,
            obj=member,
            ref=member.number,
            summary=member.name,
            after=audit.snapshot(member, ["nik", "name", "gender", "status", "joined_on"]),
        )
    return member


def member_update(*, actor, cooperative, number: str, **fields) -> Member:
    require_role(actor, cooperative, STAFF, "mengubah data anggota")
    unknown = set(fields) - set(EDIT_FIELDS)
    if unknown:
        raise TypeError(f"unknown member fields: {sorted(unknown)}")
    with action_atomic():
        member = Member.objects.select_for_update().filter(cooperative=cooperative, number=number).first()
        if member is None:
            raise MemberError("Anggota tidak ditemukan.")
        before = audit.snapshot(member, list(fields))
        for key, value in _clean(cooperative, fields, member=member).items():
            setattr(member, key, value)
        member.save()
        b, a = audit.diff(before, audit.snapshot(member, list(fields)))
        if a:
            audit.record(
                actor,
                "member_update",
                cooperative=cooperative,
                obj=member,
                ref=member.number,
                summary=member.name,
                before=b,
                after=a,
            )
    return member


def member_activate(
    *, actor, cooperative, number: str, date: dt.date | None = None, reason: str = ""
) -> Member:
    """Calon anggota → anggota aktif."""
    require_role(actor, cooperative, APPROVERS, "mengaktifkan anggota")
    date = date or timezone.localdate()
    with action_atomic():
        member = Member.objects.select_for_update().filter(cooperative=cooperative, number=number).first()
        if member is None:
            raise MemberError("Anggota tidak ditemukan.")
        if member.status != Member.Status.CALON:
            raise MemberError("Hanya calon anggota yang dapat diaktifkan.")
        _change_status(member, Member.Status.AKTIF, date, reason or "Disahkan menjadi anggota", actor)
        member.status = Member.Status.AKTIF
        member.save(update_fields=["status"])
        audit.record(
            actor,
            "member_activate",
            cooperative=cooperative,
            obj=member,
            ref=member.number,
            summary=member.name,
            before={"status": "calon"},
            after={"status": "aktif"},
        )
    return member


# --- exit (keluar / meninggal / diberhentikan) ----------------------------------------------

EXIT_STATUSES = (Member.Status.KELUAR, Member.Status.MENINGGAL, Member.Status.DIBERHENTIKAN)


def exit_preview(cooperative, member) -> dict:
    """Figures of the settlement: balances to return, debt, paid out."""
    balances = {k: ZERO for k in (Kind.POKOK, Kind.WAJIB, Kind.SUKARELA, Kind.BERJANGKA)}
    for acc in SavingsAccount.objects.filter(cooperative=cooperative, member=member, status="aktif"):
        balances[acc.kind] += acc.balance
    total = balances[Kind.POKOK] + balances[Kind.WAJIB] + balances[Kind.SUKARELA]
    debt = outstanding_by_member(cooperative, member)
    applied = min(debt, total)
    return {
        "balances": balances,
        "total": total,
        "debt": debt,
        "applied": applied,
        "payout": total - applied,
        "loans_available": True,
    }


def _settle_exit(actor, cooperative, member, status, date, memo, cash_account):
    """The savings and loans side of an exit, as their actions in this transaction: (applied, payout, receipt)."""
    with batch():
        total = savings_member_close(
            actor=actor, cooperative=cooperative, member=member, date=date, memo=memo
        )
        applied = ZERO
        if total > 0 and outstanding_by_member(cooperative, member) > 0:
            applied = loan_exit_repay(
                actor=actor,
                cooperative=cooperative,
                member=member,
                amount_available=total,
                date=date,
                source_ref=member.number,
            )
        payout, receipt = total - applied, None
        if payout > 0:
            receipt = savings_exit_payout(
                actor=actor,
                cooperative=cooperative,
                member=member,
                amount=payout,
                date=date,
                memo=memo + _heir(member, status),
                cash_account=cash_account,
            )
    return applied, payout, receipt


def _heir(member, status) -> str:
    if status != Member.Status.MENINGGAL or not member.heir_name:
        return ""
    relation = f" ({member.heir_relation})" if member.heir_relation else ""
    return f"; dibayarkan kepada ahli waris {member.heir_name}{relation}"


def member_exit(
    *,
    actor,
    cooperative,
    number: str,
    status: str = Member.Status.KELUAR,
    date: dt.date | None = None,
    reason: str = "",
    cash_account: str = "kas",
) -> dict:
    """Settle and close a member: return pokok + wajib + sukarela minus any debt, close the accounts.

    1. Dr simpanan_pokok / simpanan_wajib / simpanan_sukarela (full balances) / Cr simpanan_keluar.
    2. If the loans app is present and the member owes: ``repay_from_exit`` (Dr simpanan_keluar /
       Cr piutang…) applies what it can.
    3. Dr simpanan_keluar (the rest) / Cr kas: paid out with a kuitansi.
    """
    require_role(actor, cooperative, APPROVERS, "memproses anggota keluar")
    if status not in EXIT_STATUSES:
        raise MemberError("Status keluar tidak valid.")
    date = date or timezone.localdate()
    with action_atomic():
        member = Member.objects.select_for_update().filter(cooperative=cooperative, number=number).first()
        if member is None:
            raise MemberError("Anggota tidak ditemukan.")
        if member.status in EXIT_STATUSES:
            raise MemberError("Anggota ini sudah keluar.")
        memo = f"Penyelesaian anggota keluar {member.number} {member.name}"
        applied, payout, receipt = _settle_exit(actor, cooperative, member, status, date, memo, cash_account)
        _change_status(member, status, date, reason or "Keluar", actor)
        before = {"status": member.status}
        member.status, member.left_on, member.exit_reason = status, date, reason[:255]
        member.save(update_fields=["status", "left_on", "exit_reason"])
        result = {
            "total": applied + payout,
            "applied": applied,
            "payout": payout,
            "receipt": receipt.number if receipt else None,
        }
        audit.record(
            actor,
            "member_exit",
            cooperative=cooperative,
            obj=member,
            ref=member.number,
            summary=memo,
            before=before,
            after={"status": status, **{k: str(v) for k, v in result.items()}},
        )
    return result


# --- self-service login ---------------------------------------------------------------------


def login_username(cooperative, member) -> str:
    return f"{cooperative.slug}-{member.number}"


def member_login_set(*, actor, cooperative, number: str, password: str):
    """Create (or reset) the member's login ``<coop-slug>-<member number>`` with an anggota role."""
    require_role(actor, cooperative, STAFF, "mengatur login anggota")

    User = get_user_model()
    with action_atomic():
        member = Member.objects.select_for_update().filter(cooperative=cooperative, number=number).first()
        if member is None:
            raise MemberError("Anggota tidak ditemukan.")
        if member.status in EXIT_STATUSES:
            raise MemberError("Anggota sudah keluar.")
        user = member.user
        created = user is None
        if created:
            username = login_username(cooperative, member)
            if User.objects.filter(username=username).exists():
                raise MemberError(f"Nama pengguna {username} sudah dipakai.")
            user = User(username=username, name=member.name)
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise MemberError(" ".join(exc.messages)) from None
        user.set_password(password)
        user.save()
        if created:
            member.user = user
            member.save(update_fields=["user"])
        role = Role.objects.filter(cooperative=cooperative, user=user).first()
        if role is None:
            Role.objects.create(cooperative=cooperative, user=user, kind=Role.Kind.ANGGOTA)
        elif role.kind != Role.Kind.ANGGOTA:
            raise MemberError("Pengguna ini sudah memiliki peran lain di koperasi ini.")
        audit.record(
            actor,
            "member_login_set",
            cooperative=cooperative,
            obj=member,
            ref=member.number,
            summary=f"login {user.username} {'dibuat' if created else 'diatur ulang'}",
        )
    return user


# --- import ---------------------------------------------------------------------------------

IMPORT_COLUMNS = [*REGISTER_COLUMNS, "tanggal_masuk"]


class ImportErrors(MemberError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"{len(errors)} baris berisi kesalahan; tidak ada anggota yang disimpan.")


def _as_date(value):
    try:
        return cell_date(value)
    except ValueError:
        raise MemberError(f"Tanggal '{value}' tidak valid (pakai 31-12-1980).") from None


def _import_kwargs(r: dict) -> dict:
    """A sheet row's columns as admission kwargs (not yet validated)."""
    return {
        "nik": "".join(str(r.get("nik") or "").split()).replace(".0", ""),
        "name": r.get("nama"),
        "gender": str(r.get("jenis_kelamin") or "").strip().upper()[:1],
        "birth_place": r.get("tempat_lahir") or "",
        "birth_date": _as_date(r.get("tanggal_lahir")),
        "address": r.get("alamat") or "",
        "phone": str(r.get("no_hp") or ""),
        "occupation": r.get("pekerjaan") or "",
        "heir_name": r.get("ahli_waris") or "",
        "heir_relation": r.get("hubungan_ahli_waris") or "",
        "member_class": str(r.get("golongan") or ""),
        "joined_on": _as_date(r.get("tanggal_masuk")),
    }


@dataclass
class _ImportRegions:
    """The kabupaten's kecamatan by lower-case name and their desa by kecamatan and name."""

    kabupaten: Region
    kecamatan: dict
    desa_by_kec: dict

    @classmethod
    def of(cls, kabupaten) -> _ImportRegions:
        desa_by_kec = {}
        for d in Region.objects.filter(parent__parent=kabupaten, level=Region.Level.DESA):
            desa_by_kec.setdefault(d.parent_id, {})[d.name.lower()] = d
        return cls(
            kabupaten, {r.name.lower(): r for r in Region.objects.filter(parent=kabupaten)}, desa_by_kec
        )

    def place(self, r: dict, kw: dict) -> None:
        """Set kw's kecamatan and desa from the row's names; MemberError for an unknown name."""
        kec_name = str(r.get("kecamatan") or "").strip().lower()
        if not kec_name:
            return
        kec = self.kecamatan.get(kec_name)
        if kec is None:
            raise MemberError(f"Kecamatan '{r.get('kecamatan')}' tidak dikenal di {self.kabupaten}.")
        kw["kecamatan"] = kec
        desa_name = str(r.get("desa") or "").strip().lower()
        if desa_name:
            desa = self.desa_by_kec.get(kec.pk, {}).get(desa_name)
            if desa is None:
                raise MemberError(f"Desa '{r.get('desa')}' tidak ada di Kecamatan {kec.name}.")
            kw["desa"] = desa


def _import_row(cooperative, r: dict, regions: _ImportRegions, niks: set) -> dict:
    """One row as admission kwargs, or MemberError with its first problem."""
    kw = _import_kwargs(r)
    nik = kw["nik"]
    problem = nik_error(nik, gender=kw["gender"], birth_date=kw["birth_date"])
    if problem:
        raise MemberError(problem)
    if nik in niks:
        raise MemberError(f"NIK {nik} tercantum dua kali di berkas.")
    niks.add(nik)
    regions.place(r, kw)
    _clean(cooperative, {k: kw[k] for k in ("name", "gender", "phone")})
    return kw


def import_rows(cooperative, rows) -> tuple[list, list]:
    """Parse sheet rows into admission kwargs; (good [(row, kwargs)], errors [(row, message)])."""
    regions = _ImportRegions.of(cooperative.kabupaten)
    good, errors, niks = [], [], set()
    for row_no, r in rows:
        try:
            good.append((row_no, _import_row(cooperative, r, regions, niks)))
        except MemberError as exc:
            errors.append((row_no, str(exc)))
    existing = set(
        Member.objects.filter(
            cooperative=cooperative, nik__in=niks, status__in=["calon", "aktif"]
        ).values_list("nik", flat=True)
    )
    for row_no, kw in good:
        if kw["nik"] in existing:
            errors.append((row_no, f"NIK {kw['nik']} sudah terdaftar sebagai anggota."))
    if not rows:
        errors.append((0, "Berkas tidak berisi baris data."))
    return good, sorted(errors)


def member_import(
    *, actor, cooperative, rows, joined_on: dt.date | None = None, pay_pokok: bool = True
) -> list[Member]:
    """Admit every row of a sheet, all or nothing: any row error refuses the whole file."""
    require_role(actor, cooperative, STAFF, "mengimpor anggota")
    good, errors = import_rows(cooperative, rows)
    if errors:
        raise ImportErrors(errors)
    default_date = joined_on or timezone.localdate()
    members = []
    with action_atomic():
        for row_no, kw in good:
            kw = dict(kw)
            when = kw.pop("joined_on") or default_date
            try:
                members.append(
                    _admit(actor=actor, cooperative=cooperative, joined_on=when, pay_pokok=pay_pokok, **kw)
                )
            except DomainError as exc:
                raise ImportErrors([(row_no, str(exc))]) from None
        audit.record(
            actor,
            "member_import",
            cooperative=cooperative,
            ref=cooperative.slug,
            summary=f"{len(members)} anggota diimpor",
            after={"count": len(members)},
        )
    return members
