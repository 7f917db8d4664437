"""SHU writes: settings, volume import, year-end close/reopen, RAT approval, allocation,
distribution and later payment of payables. Every top-level action is durable, checks the
actor's role, audits, and posts money through ``kopdig.ledger.posting.post`` in its own
transaction.

The distribution (``shu_distribute``) is a resumable job: it pays the members in batches, each
batch its own durable transaction, and marks each member's share paid in that same
transaction, so re-running (after a crash, or twice) pays nobody twice.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import connection
from django.db.models import F
from django.utils import timezone

from kopdig import audit
from kopdig.ledger import periods, posting
from kopdig.ledger.models import Account
from kopdig.ledger.posting import resolve_accounts
from kopdig.ledger.selectors import account_balance
from kopdig.lib.errors import DomainError
from kopdig.lib.formats import tanggal
from kopdig.lib.money import ZERO, D, q
from kopdig.lib.transactions import action_atomic, batch
from kopdig.members.models import Member
from kopdig.savings.actions import savings_sukarela_credit
from kopdig.tenancy.access import APPROVERS, BOARD, STAFF, require_role, user_of
from kopdig.tenancy.models import DocumentCounter
from kopdig.tenancy.numbering import format_number, next_number

from . import engine, selectors
from .models import MemberVolume, ShuAllocationLine, ShuMemberShare, ShuYear

S = ShuYear.Status
# The closing entry's source type: one of ``kopdig.ledger.statements.CLOSING_SOURCE_TYPES`` so
# that the income statement of a closed year still shows its revenue and expenses.
CLOSING_SOURCE_TYPE = "shu.closing"


class ShuError(DomainError):
    pass


class WrongStatus(ShuError):
    pass


class VolumeImportError(ShuError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(
            "Impor dibatalkan, tidak ada yang disimpan: "
            + "; ".join(errors[:20])
            + (f" (dan {len(errors) - 20} lainnya)" if len(errors) > 20 else "")
        )


def _year_for_update(cooperative, year: int, *, create: bool = False) -> ShuYear:
    if create:
        sy, created = ShuYear.objects.get_or_create(cooperative=cooperative, year=year)
        if created:
            _write_lines(sy, engine.default_lines(), engine.default_non_member_lines())
    try:
        return ShuYear.objects.select_for_update().get(cooperative=cooperative, year=year)
    except ShuYear.DoesNotExist:
        raise ShuError(f"Pengaturan SHU tahun {year} belum ada.") from None


def _write_lines(sy: ShuYear, lines, non_member_lines) -> None:
    ShuAllocationLine.objects.filter(shu_year=sy).delete()
    rows = []
    for pool, group in (
        (ShuAllocationLine.Pool.ANGGOTA, lines),
        (ShuAllocationLine.Pool.NON_ANGGOTA, non_member_lines),
    ):
        for i, ln in enumerate(group):
            rows.append(
                ShuAllocationLine(
                    cooperative_id=sy.cooperative_id,
                    shu_year=sy,
                    pool=pool,
                    position=i,
                    name=ln.name.strip()[:100],
                    percent=ln.percent,
                    role=ln.role,
                    account_key=ln.account_key or _default_target(ln.role),
                )
            )
    ShuAllocationLine.objects.bulk_create(rows)


def _default_target(role: str) -> str:
    return {"jasa_modal": "dana_shu_anggota", "jasa_usaha": "dana_shu_anggota", "cadangan": "cadangan"}.get(
        role, ""
    )


def _check_targets(cooperative, lines) -> None:
    for ln in lines:
        if not ln.account_key:
            ln.account_key = _default_target(ln.role)
        if not ln.account_key:
            raise engine.AllocationInvalid(f"Baris '{ln.name}' belum memiliki akun tujuan.")
        if ln.role in (engine.JASA_MODAL, engine.JASA_USAHA) and ln.account_key != "dana_shu_anggota":
            raise engine.AllocationInvalid(
                "Jasa modal dan jasa usaha harus masuk ke akun Dana SHU Bagian Anggota."
            )
    accounts = resolve_accounts(cooperative, {ln.account_key for ln in lines})
    for acc in accounts.values():
        if acc.type not in (Account.Type.KEWAJIBAN, Account.Type.EKUITAS) or acc.is_group:
            raise engine.AllocationInvalid(
                f"Akun {acc.code} {acc.name} tidak dapat menjadi tujuan alokasi SHU."
            )


# --- settings ------------------------------------------------------------------------------


_SETTINGS_FIELDS = [
    "status",
    "shu_override",
    "simpanan_kinds",
    "simpanan_basis",
    "transaksi_basis",
    "volume_kinds",
    "jasa_weight",
    "tax_percent",
    "separate_non_member",
]


def _alloc_lines(raw) -> list:
    return [ln if isinstance(ln, engine.AllocLine) else engine.AllocLine(**ln) for ln in raw]


def _checked_lines(cooperative, lines, non_member_lines):
    """The allocation lines as ``AllocLine``s, validated (None: left as they are)."""
    if lines is not None:
        lines = _alloc_lines(lines)
        engine.validate_lines(lines)
        _check_targets(cooperative, lines)
    if non_member_lines is not None:
        non_member_lines = _alloc_lines(non_member_lines)
        if non_member_lines:
            engine.validate_lines(non_member_lines, member_pool=False)
            _check_targets(cooperative, non_member_lines)
    return lines, non_member_lines


def _checked_percents(tax_percent, jasa_weight) -> None:
    if tax_percent is not None and not (0 <= D(tax_percent) <= 100):
        raise ShuError("Persentase pajak SHU harus antara 0 dan 100.")
    if jasa_weight is not None and not (0 <= D(jasa_weight) <= 100):
        raise ShuError("Bobot jasa pinjaman harus antara 0 dan 100.")


def _checked_kinds(simpanan_kinds):
    if simpanan_kinds is None:
        return None
    simpanan_kinds = [k for k in simpanan_kinds if k]
    if not simpanan_kinds:
        raise ShuError("Pilih paling sedikit satu jenis simpanan sebagai dasar jasa modal.")
    return simpanan_kinds


def _settings_snapshot(sy: ShuYear, fields) -> dict:
    snap = audit.snapshot(sy, list(fields))
    snap["lines"] = [f"{ln.name} {ln.percent}" for ln in sy.lines.all()]
    return snap


# How each setting given to ``shu_year_save`` is stored on the ShuYear.
_SETTING_CONVERTERS = {
    "simpanan_kinds": ",".join,
    "simpanan_basis": ShuYear.SimpananBasis,
    "transaksi_basis": ShuYear.TransaksiBasis,
    "volume_kinds": lambda kinds: ",".join(k for k in kinds if k),
    "jasa_weight": D,
    "tax_percent": D,
    "separate_non_member": bool,
}


def _apply_settings(sy: ShuYear, settings: dict, shu_override, clear_override: bool) -> None:
    if clear_override:
        sy.shu_override = None
    elif shu_override is not None:
        sy.shu_override = q(shu_override)
    for field, convert in _SETTING_CONVERTERS.items():
        if settings.get(field) is not None:
            setattr(sy, field, convert(settings[field]))
    if sy.status == S.DRAFT:
        sy.status = S.SIMULATED
    sy.save()


def _replace_lines(sy: ShuYear, lines, non_member_lines) -> None:
    if lines is None and non_member_lines is None:
        return
    _write_lines(
        sy,
        lines if lines is not None else selectors.allocation_lines(sy),
        non_member_lines
        if non_member_lines is not None
        else selectors.allocation_lines(sy, ShuAllocationLine.Pool.NON_ANGGOTA),
    )


def shu_year_save(
    *,
    actor,
    cooperative,
    year: int,
    lines=None,
    non_member_lines=None,
    shu_override=None,
    clear_override: bool = False,
    simpanan_kinds=None,
    simpanan_basis=None,
    transaksi_basis=None,
    volume_kinds=None,
    jasa_weight=None,
    tax_percent=None,
    separate_non_member=None,
) -> ShuYear:
    """Create or update the year's SHU settings (allocation lines and bases); status → simulated.

    Refused once the RAT has approved the year's SHU. An allocation that does not total exactly
    100% (or lacks exactly one JM/JU line) is refused and nothing is written.
    """
    require_role(actor, cooperative, APPROVERS, "mengubah pengaturan SHU")
    lines, non_member_lines = _checked_lines(cooperative, lines, non_member_lines)
    _checked_percents(tax_percent, jasa_weight)
    settings = {
        "simpanan_kinds": _checked_kinds(simpanan_kinds),
        "simpanan_basis": simpanan_basis,
        "transaksi_basis": transaksi_basis,
        "volume_kinds": volume_kinds,
        "jasa_weight": jasa_weight,
        "tax_percent": tax_percent,
        "separate_non_member": separate_non_member,
    }
    with action_atomic():
        sy = _year_for_update(cooperative, year, create=True)
        if sy.is_locked_for_settings:
            raise WrongStatus("SHU tahun ini sudah disetujui RAT; pengaturannya tidak dapat diubah.")
        before = _settings_snapshot(sy, _SETTINGS_FIELDS)
        _apply_settings(sy, settings, shu_override, clear_override)
        _replace_lines(sy, lines, non_member_lines)
        b, a = audit.diff(before, _settings_snapshot(sy, before.keys() - {"lines"}))
        audit.record(
            actor,
            "shu_year_save",
            cooperative=cooperative,
            obj=sy,
            ref=str(year),
            summary=f"Pengaturan SHU {year}",
            before=b,
            after=a,
        )
    return sy


def _volume_amount(raw):
    """A row's jumlah as exact rupiah, or None when it is not a non-negative number."""
    try:
        if isinstance(raw, float):
            raw = repr(raw)
        amount = q(D(raw))
    except (ValueError, TypeError, ArithmeticError):
        return None
    return None if amount < 0 else amount


def _volume_row(n, r, members, kinds, seen, errors):
    """One spreadsheet row as (member, kind, amount), or None with its errors appended."""
    number = str(r.get("no_anggota") or "").strip()
    kind = str(r.get("jenis") or "").strip().lower()
    raw = r.get("jumlah")
    if not number:
        errors.append(f"baris {n}: no_anggota kosong")
        return None
    member = members.get(number)
    if member is None:
        errors.append(f"baris {n}: anggota {number} tidak ditemukan")
    if kind not in kinds:
        errors.append(f"baris {n}: jenis '{kind}' tidak dikenal (pilihan: {', '.join(sorted(kinds))})")
    amount = _volume_amount(raw)
    if amount is None:
        errors.append(f"baris {n}: jumlah '{repr(raw) if isinstance(raw, float) else raw}' tidak valid")
        return None
    if member is None or kind not in kinds:
        return None
    if (number, kind) in seen:
        errors.append(f"baris {n}: anggota {number} jenis {kind} sudah ada di baris {seen[(number, kind)]}")
        return None
    seen[(number, kind)] = n
    return member, kind, amount


def _parsed_volumes(cooperative, rows) -> list:
    """Every row validated: [(member, kind, amount)], or VolumeImportError with all the errors."""
    kinds = set(MemberVolume.Kind.values)
    errors, parsed, seen = [], [], {}
    numbers = {str(r.get("no_anggota") or "").strip() for _, r in rows}
    members = {m.number: m for m in Member.objects.filter(cooperative=cooperative, number__in=numbers)}
    for n, r in rows:
        row = _volume_row(n, r, members, kinds, seen, errors)
        if row is not None:
            parsed.append(row)
    if not rows:
        errors.append("berkas tidak berisi baris data")
    if errors:
        raise VolumeImportError(errors)
    return parsed


def member_volume_import(*, actor, cooperative, year: int, rows) -> int:
    """Import members' volumes for the year from spreadsheet rows: all or nothing.

    ``rows`` are ``(row_number, {"no_anggota", "jenis", "jumlah"})`` (``read_xlsx_rows``). Every
    row is validated first; any error refuses the whole file. A (member, jenis) pair replaces
    the earlier figure.
    """

    require_role(actor, cooperative, APPROVERS, "mengimpor volume transaksi")
    parsed = _parsed_volumes(cooperative, rows)
    with action_atomic():
        sy = _year_for_update(cooperative, year, create=True)
        if sy.is_locked_for_settings:
            raise WrongStatus("SHU tahun ini sudah disetujui RAT; volume transaksi tidak dapat diubah.")
        for member, kind, _amount in parsed:
            MemberVolume.objects.filter(cooperative=cooperative, year=year, member=member, kind=kind).delete()
        MemberVolume.objects.bulk_create(
            MemberVolume(cooperative=cooperative, year=year, member=m, kind=k, amount=a) for m, k, a in parsed
        )
        audit.record(
            actor,
            "member_volume_import",
            cooperative=cooperative,
            obj=sy,
            ref=str(year),
            summary=f"Impor volume transaksi {year}: {len(parsed)} baris",
            after={"rows": len(parsed), "total": sum((a for *_, a in parsed), ZERO)},
        )
    return len(parsed)


# --- year-end close ------------------------------------------------------------------------


def _today() -> dt.date:
    return timezone.localdate()


def _close_checks(cooperative, sy, year, start, end):
    """Refusals of a close; the lock date the books had before it."""
    if sy.status not in (S.DRAFT, S.SIMULATED):
        raise WrongStatus(f"Tahun buku {year} sudah ditutup.")
    lock = periods.closed_through(cooperative)
    if lock and lock >= end:
        raise ShuError(f"Buku sudah terkunci sampai {tanggal(lock)}; tahun {year} tidak dapat ditutup lagi.")
    earlier = [
        (a, d, c)
        for a, d, c in selectors.income_expense_movements(
            cooperative, dt.date(1900, 1, 1), start - dt.timedelta(days=1)
        )
        if d != c
    ]
    if earlier:
        raise ShuError(
            f"Tutup dulu tahun buku sebelum {year}: masih ada saldo pendapatan/beban yang belum ditutup."
        )
    return lock


def _closing_lines(cooperative, start, end):
    """The lines zeroing every pendapatan and beban account; (lines, revenue, revenue_nm, expense)."""
    lines, revenue, revenue_nm, expense = [], ZERO, ZERO, ZERO
    for account, d, c in selectors.income_expense_movements(cooperative, start, end):
        net = c - d  # credit-positive
        if account.type == Account.Type.PENDAPATAN:
            revenue += net
            if account.participation == Account.Participation.NON_ANGGOTA:
                revenue_nm += net
        else:
            expense -= net
        if net > 0:
            lines.append(posting.Line(account, debit=net, memo="Penutupan"))
        elif net < 0:
            lines.append(posting.Line(account, credit=-net, memo="Penutupan"))
    return lines, revenue, revenue_nm, expense


def _post_closing(actor, cooperative, year, end, lines, shu):
    """The closing entry into SHU Tahun Berjalan, or None when no account has a balance."""
    if not lines:
        return None
    if shu > 0:
        lines.append(posting.Line("shu_tahun_berjalan", credit=shu))
    elif shu < 0:
        lines.append(posting.Line("shu_tahun_berjalan", debit=-shu))
    return posting.post(
        cooperative=cooperative,
        date=end,
        memo=f"Jurnal penutup tahun buku {year}",
        lines=lines,
        actor=actor,
        source_type=CLOSING_SOURCE_TYPE,
        source_ref=f"SHU-{year}",
    )


def shu_year_close(*, actor, cooperative, year: int):
    """Close the book year: one entry dated 31 Dec zeroing every pendapatan and beban account
    into SHU Tahun Berjalan (skipped when they have no balance), then lock the books through
    31 Dec. The balance sheet totals are unchanged."""

    require_role(actor, cooperative, APPROVERS, "menutup tahun buku")
    if not cooperative.on_kopdig:
        raise ShuError("Koperasi ini tidak menyelenggarakan pembukuan di Kopdig.")
    start, end = selectors.year_bounds(year)
    if _today() <= end:
        raise ShuError(f"Tahun buku {year} belum berakhir; penutupan dilakukan setelah 31 Desember {year}.")
    with action_atomic():
        sy = _year_for_update(cooperative, year, create=True)
        lock = _close_checks(cooperative, sy, year, start, end)
        lines, revenue, revenue_nm, expense = _closing_lines(cooperative, start, end)
        shu = revenue - expense
        entry = _post_closing(actor, cooperative, year, end, lines, shu)
        sy.lock_before_close = lock
        periods.lock_through(cooperative=cooperative, date=end)
        sy.closing_entry = entry
        sy.book_revenue, sy.book_revenue_non_member, sy.book_shu = revenue, revenue_nm, shu
        sy.status = S.CLOSED
        sy.save()
        audit.record(
            actor,
            "shu_year_close",
            cooperative=cooperative,
            obj=sy,
            ref=str(year),
            summary=f"Tutup buku {year}"
            + (f" (jurnal {entry.number})" if entry else " (tanpa jurnal penutup)"),
            after={
                "shu": shu,
                "revenue": revenue,
                "expense": expense,
                "entry": entry.number if entry else None,
                "closed_through": end,
            },
        )
    return sy


def shu_year_reopen(*, actor, cooperative, year: int, reason: str = ""):
    """Reopen a closed book year (pengurus only): unlock the books to where they were before the
    close and reverse the closing entry. Refused once the SHU has been allocated or distributed."""

    require_role(actor, cooperative, BOARD, "membuka kembali tahun buku")
    with action_atomic():
        sy = _year_for_update(cooperative, year)
        if sy.status in (S.ALLOCATED, S.DISTRIBUTED):
            raise WrongStatus(
                f"SHU {year} sudah dialokasikan/dibagikan; tahun buku tidak dapat dibuka kembali."
            )
        if sy.status not in (S.CLOSED, S.APPROVED):
            raise WrongStatus(f"Tahun buku {year} belum ditutup.")
        end = dt.date(year, 12, 31)
        lock = periods.closed_through(cooperative)
        if lock and lock > end:
            raise ShuError(
                f"Buku sudah dikunci sampai {tanggal(lock)}; buka dulu periode sesudah tahun {year}."
            )
        periods.unlock_to(
            cooperative=cooperative,
            date=sy.lock_before_close if (sy.lock_before_close and sy.lock_before_close < end) else None,
        )
        rev = None
        if sy.closing_entry_id:
            rev = posting.reverse(
                entry=sy.closing_entry,
                date=end,
                actor=actor,
                memo=f"Pembukaan kembali tahun buku {year}: pembalikan jurnal penutup",
            )
        before = {
            "status": sy.status,
            "closing_entry": sy.closing_entry.number if sy.closing_entry_id else None,
        }
        ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=sy).delete()
        ShuAllocationLine.objects.filter(shu_year=sy).update(amount=None)
        sy.status = S.SIMULATED
        sy.closing_entry = None
        sy.book_revenue = sy.book_revenue_non_member = sy.book_shu = None
        sy.shu_amount = sy.non_member_shu = None
        sy.rat_date, sy.rat_reference, sy.approved_by = None, "", None
        sy.save()
        audit.record(
            actor,
            "shu_year_reopen",
            cooperative=cooperative,
            obj=sy,
            ref=str(year),
            summary=f"Buka kembali tahun buku {year}" + (f": {reason}" if reason else ""),
            before=before,
            after={"status": sy.status, "reversal": rev.number if rev else None},
        )
    return sy


# --- RAT approval, allocation --------------------------------------------------------------


def shu_approve(*, actor, cooperative, year: int, rat_date: dt.date, rat_reference: str):
    """Record the RAT's decision and freeze the SHU, the pools and every member's share."""
    require_role(actor, cooperative, BOARD, "mencatat keputusan RAT tentang SHU")
    rat_reference = (rat_reference or "").strip()
    if not rat_reference:
        raise ShuError("Nomor/rujukan keputusan RAT wajib diisi.")
    if not isinstance(rat_date, dt.date) or rat_date <= dt.date(year, 12, 31):
        raise ShuError(f"Tanggal keputusan RAT harus sesudah 31 Desember {year}.")
    if rat_date > _today():
        raise ShuError("Tanggal keputusan RAT tidak boleh di masa depan.")
    with action_atomic():
        sy = _year_for_update(cooperative, year)
        if sy.status != S.CLOSED:
            raise WrongStatus(
                f"Tahun buku {year} harus ditutup (dan belum disetujui) sebelum keputusan RAT dicatat."
            )
        sim = selectors.simulate(cooperative, sy)
        res = sim.result
        shares = [(sim.members[m.key][0], m) for m in res.members]
        _insert_shares(cooperative, sy, shares)
        for pool, pooled in (
            (ShuAllocationLine.Pool.ANGGOTA, res.lines),
            (ShuAllocationLine.Pool.NON_ANGGOTA, res.non_member_lines),
        ):
            rows = list(sy.lines.filter(pool=pool).order_by("position"))
            if pooled and not rows:  # default lines in use: store them
                _write_lines(sy, res.lines, res.non_member_lines)
                rows = list(sy.lines.filter(pool=pool).order_by("position"))
            for row, ln in zip(rows, pooled, strict=False):
                row.amount = ln.amount
                row.save(update_fields=["amount"])
        sy.shu_amount = res.shu
        sy.non_member_shu = res.non_member_shu
        sy.rat_date, sy.rat_reference, sy.approved_by = rat_date, rat_reference[:100], user_of(actor)
        sy.status = S.APPROVED
        sy.save()
        audit.record(
            actor,
            "shu_approve",
            cooperative=cooperative,
            obj=sy,
            ref=str(year),
            summary=f"SHU {year} disetujui RAT {rat_reference} tanggal {tanggal(rat_date)}",
            after={
                "shu": res.shu,
                "jm_pool": res.jm_pool,
                "ju_pool": res.ju_pool,
                "members": len(shares),
                "rat_date": rat_date,
                "rat_reference": rat_reference,
            },
        )
    return sy


CHUNK = 500


def _insert_shares(cooperative, sy, shares) -> None:
    """Insert the approved per-member rows with multi-row INSERTs of 500 rows (Django's
    bulk_create costs ~25× the database's raw insert rate at 100,000 members; bench/shu.py)."""

    table = ShuMemberShare._meta.db_table
    pending = ShuMemberShare.Status.PENDING
    head = (
        f"INSERT INTO {table} (cooperative_id, shu_year_id, member_id, simpanan, transaksi, jm, ju, total, tax, "
        "net, status, receipt_number, paid_on, journal_entry_id) VALUES "
    )
    one = "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, '', NULL, NULL)"
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # one statement with arrays: no per-row placeholders
            cols = (
                list(
                    zip(
                        *[
                            (member_id, m.simpanan, m.transaksi, m.jm, m.ju, m.total, m.tax, m.net)
                            for member_id, m in shares
                        ],
                        strict=True,
                    )
                )
                if shares
                else [[]] * 8
            )
            cur.execute(
                f"INSERT INTO {table} (cooperative_id, shu_year_id, member_id, simpanan, transaksi, jm, ju, total, "
                "tax, net, status, receipt_number, paid_on, journal_entry_id) "
                "SELECT %s, %s, u.m, u.s, u.t, u.jm, u.ju, u.total, u.tax, u.net, %s, '', NULL, NULL FROM unnest("
                "%s::bigint[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], %s::numeric[], "
                "%s::numeric[], %s::numeric[]) WITH ORDINALITY AS u(m, s, t, jm, ju, total, tax, net, n) ORDER BY u.n",
                [cooperative.pk, sy.pk, pending, *[list(c) for c in cols]],
            )
            return
        for i in range(0, len(shares), CHUNK):
            chunk = shares[i : i + CHUNK]
            params = []
            for member_id, m in chunk:
                params += [
                    cooperative.pk,
                    sy.pk,
                    member_id,
                    m.simpanan,
                    m.transaksi,
                    m.jm,
                    m.ju,
                    m.total,
                    m.tax,
                    m.net,
                    pending,
                ]
            cur.execute(head + ", ".join([one] * len(chunk)), params)


def shu_allocate(*, actor, cooperative, year: int):
    """Post the approved allocation on the RAT date: Dr SHU Tahun Berjalan / Cr cadangan, the
    dana accounts and Dana SHU Bagian Anggota (JM + JU pools). A SHU different from the books
    (the RAT's override) draws on or adds to SHU Belum Dibagi."""

    require_role(actor, cooperative, APPROVERS, "mengalokasikan SHU")
    with action_atomic():
        sy = _year_for_update(cooperative, year)
        if sy.status != S.APPROVED:
            raise WrongStatus(f"SHU {year} harus disetujui RAT dan belum dialokasikan.")
        credits: dict[str, Decimal] = {}
        for ln in sy.lines.order_by("pool", "position"):
            if ln.amount:
                credits[ln.account_key] = credits.get(ln.account_key, ZERO) + ln.amount
        lines = [posting.Line(key, credit=amount) for key, amount in credits.items()]
        book = sy.book_shu or ZERO
        diff = sy.shu_amount - book
        if book > 0:
            lines.insert(0, posting.Line("shu_tahun_berjalan", debit=book))
        elif book < 0:
            lines.insert(0, posting.Line("shu_tahun_berjalan", credit=-book))
        if diff > 0:
            undivided = account_balance(
                Account.objects.get(cooperative=cooperative, system_key="shu_belum_dibagi"), sy.rat_date
            )
            if undivided < diff:
                raise ShuError(
                    "SHU yang dibagi melebihi SHU tahun ini dan saldo SHU Belum Dibagi tidak mencukupi."
                )
            lines.insert(1, posting.Line("shu_belum_dibagi", debit=diff))
        elif diff < 0:
            lines.append(posting.Line("shu_belum_dibagi", credit=-diff))
        entry = posting.post(
            cooperative=cooperative,
            date=sy.rat_date,
            memo=f"Alokasi SHU tahun {year} ({sy.rat_reference})",
            lines=lines,
            actor=actor,
            source_type="shu.allocate",
            source_ref=f"SHU-{year}",
        )
        sy.allocation_entry = entry
        sy.status = S.ALLOCATED
        sy.distribute_total = ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=sy).count()
        sy.save()
        audit.record(
            actor,
            "shu_allocate",
            cooperative=cooperative,
            obj=sy,
            ref=str(year),
            summary=f"Alokasi SHU {year}, jurnal {entry.number}",
            after={
                "entry": entry.number,
                "shu": sy.shu_amount,
                "credits": {k: v for k, v in credits.items()},
            },
        )
    return sy


# --- distribution --------------------------------------------------------------------------


def _reserve_receipts(cooperative, year: int, n: int) -> list[str]:
    """``n`` consecutive gapless SHU receipt numbers (inside the caller's transaction)."""

    if n <= 0:
        return []
    first = next_number(cooperative, "shu", year)
    if n > 1:
        DocumentCounter.objects.filter(cooperative=cooperative, series="shu", year=year).update(
            last=F("last") + (n - 1)
        )
    return [f"SHU-{format_number(year, first + i)}" for i in range(n)]


def _pay_cash(cooperative, sy, shares, date, actor, memo):
    """One entry for a batch of cash payments: Dr Dana SHU Anggota / Cr Kas (+ Cr Utang Pajak)."""

    total = sum((s.total for s in shares), ZERO)
    net = sum((s.net for s in shares), ZERO)
    tax = sum((s.tax for s in shares), ZERO)
    entry = None
    if total > 0:
        lines = [posting.Line("dana_shu_anggota", debit=total)]
        if net > 0:
            lines.append(posting.Line("kas", credit=net))
        if tax > 0:
            lines.append(posting.Line("utang_pajak", credit=tax, memo="Pajak SHU anggota"))
        entry = posting.post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            lines=lines,
            actor=actor,
            source_type="shu.distribute",
            source_ref=f"SHU-{sy.year}",
        )
    receipts = _reserve_receipts(cooperative, date.year, sum(1 for s in shares if s.total > 0))
    it = iter(receipts)
    for s in shares:
        s.status = ShuMemberShare.Status.PAID
        s.paid_on = date
        if s.total > 0:
            s.receipt_number = next(it)
            s.journal_entry = entry
    return entry


def _credit_sukarela(cooperative, sy, shares, date, actor):
    tax = sum((s.tax for s in shares), ZERO)
    if tax > 0:
        posting.post(
            cooperative=cooperative,
            date=date,
            memo=f"Pajak atas SHU {sy.year} anggota",
            actor=actor,
            lines=[posting.Line("dana_shu_anggota", debit=tax), posting.Line("utang_pajak", credit=tax)],
            source_type="shu.distribute",
            source_ref=f"SHU-{sy.year}",
        )
    for s in shares:
        s.status = ShuMemberShare.Status.CREDITED
        s.paid_on = date
    credited = [s for s in shares if s.net > 0]
    with batch():
        txs = savings_sukarela_credit(
            actor=actor,
            cooperative=cooperative,
            date=date,
            contra_account="dana_shu_anggota",
            source_type="shu.distribute",
            credits=[
                (
                    s.member,
                    s.net,
                    f"SHU tahun {sy.year} anggota {s.member.number}",
                    f"SHU-{sy.year}-{s.member.number}",
                )
                for s in credited
            ],
        )
    for s, tx in zip(credited, txs, strict=True):
        s.journal_entry_id = tx.entry_id
        s.receipt_number = f"SHU-{sy.year}-{s.member.number}"  # a credit to savings has no kuitansi


def _save_paid(cooperative, shares) -> None:
    """Write a batch's paid flags, dates, receipts and entries: rows that share status, date and
    entry (a cash batch) in one UPDATE per 500 rows with a CASE for the receipt numbers; a Django
    bulk_update of thousands of rows builds one CASE per field and is ~10× slower."""

    table = ShuMemberShare._meta.db_table
    ops = connection.ops
    groups: dict[tuple, list] = {}
    for sh in shares:
        groups.setdefault((sh.status, sh.paid_on, sh.journal_entry_id), []).append(sh)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":  # arrays instead of thousands of placeholders
            for (status, paid_on, entry_id), rows in groups.items():
                cur.execute(
                    f"UPDATE {table} AS t SET status = %s, paid_on = %s, journal_entry_id = %s, receipt_number = u.r "
                    "FROM unnest(%s::bigint[], %s::text[]) AS u(id, r) WHERE t.id = u.id AND t.cooperative_id = %s",
                    [
                        status,
                        paid_on,
                        entry_id,
                        [sh.pk for sh in rows],
                        [sh.receipt_number for sh in rows],
                        cooperative.pk,
                    ],
                )
            return
        for (status, paid_on, entry_id), rows in groups.items():
            for i in range(0, len(rows), CHUNK):
                chunk = rows[i : i + CHUNK]
                cases = " ".join(["WHEN %s THEN %s"] * len(chunk))
                params = [status, ops.adapt_datefield_value(paid_on), entry_id]
                for sh in chunk:
                    params += [sh.pk, sh.receipt_number]
                params += [sh.pk for sh in chunk] + [cooperative.pk]
                cur.execute(
                    f"UPDATE {table} SET status = %s, paid_on = %s, journal_entry_id = %s, "
                    f"receipt_number = CASE id {cases} ELSE receipt_number END "
                    f"WHERE id IN ({', '.join(['%s'] * len(chunk))}) AND cooperative_id = %s",
                    params,
                )


def _done_count(cooperative, sy) -> int:
    return (
        ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=sy)
        .exclude(status=ShuMemberShare.Status.PENDING)
        .count()
    )


def _distribution_start(actor, cooperative, sy, method, date) -> None:
    """The first run's checks and its method, date and member count, stored on the ShuYear."""
    if date < sy.rat_date:
        raise ShuError("Tanggal pembagian tidak boleh sebelum tanggal keputusan RAT.")
    if date > _today():
        raise ShuError("Tanggal pembagian tidak boleh di masa depan.")
    sy.method, sy.distribute_date, sy.distribute_started_at = method, date, timezone.now()
    sy.distribute_total = ShuMemberShare.objects.filter(cooperative=cooperative, shu_year=sy).count()
    sy.save()
    audit.record(
        actor,
        "shu_distribute_start",
        cooperative=cooperative,
        obj=sy,
        ref=str(sy.year),
        summary=f"Mulai pembagian SHU {sy.year} ({sy.get_method_display()})",
        after={"method": method, "date": date, "members": sy.distribute_total},
    )


def _mark_payable(actor, cooperative, sy) -> None:
    """Members who are no longer active: payable, not paid now."""
    payable = (
        ShuMemberShare.objects.filter(
            cooperative=cooperative, shu_year=sy, status=ShuMemberShare.Status.PENDING
        )
        .exclude(member__status=Member.Status.AKTIF)
        .update(status=ShuMemberShare.Status.PAYABLE)
    )
    sy.distribute_done = _done_count(cooperative, sy)
    sy.save(update_fields=["distribute_done", "updated_at"])
    if payable:
        audit.record(
            actor,
            "shu_payable_mark",
            cooperative=cooperative,
            obj=sy,
            ref=str(sy.year),
            summary=f"{payable} bagian SHU mantan anggota dicatat sebagai utang",
            after={"count": payable},
        )


def _distribution_prepare(actor, cooperative, year, method, date) -> ShuYear:
    """Start (or resume) the distribution; the ShuYear, already distributed or ready to pay."""
    with action_atomic():
        sy = _year_for_update(cooperative, year)
        if sy.status == S.DISTRIBUTED:
            return sy
        if sy.status != S.ALLOCATED:
            raise WrongStatus(f"SHU {year} harus dialokasikan dulu sebelum dibagikan.")
        if sy.distribute_started_at is None:
            _distribution_start(actor, cooperative, sy, method, date)
        _mark_payable(actor, cooperative, sy)
    return sy


def _distribution_finish(actor, cooperative, sy) -> None:
    sy.status = S.DISTRIBUTED
    sy.distribute_done = _done_count(cooperative, sy)
    sy.distribute_finished_at = timezone.now()
    sy.save()
    audit.record(
        actor,
        "shu_distribute",
        cooperative=cooperative,
        obj=sy,
        ref=str(sy.year),
        summary=f"Pembagian SHU {sy.year} selesai",
        after=selectors.status_counts(cooperative, sy),
    )


def _distribution_pay(actor, cooperative, sy, shares) -> None:
    """Pay one batch of shares by the run's method and mark them paid."""
    year = sy.year
    if ShuYear.Method(sy.method) == ShuYear.Method.TUNAI:
        first, last = shares[0].member.number, shares[-1].member.number
        _pay_cash(
            cooperative,
            sy,
            shares,
            sy.distribute_date,
            actor,
            f"Pembayaran SHU {year} tunai, anggota {first}–{last}",
        )
    else:
        _credit_sukarela(cooperative, sy, shares, sy.distribute_date, actor)
    _save_paid(cooperative, shares)
    sy.distribute_done += len(shares)
    sy.save(update_fields=["distribute_done", "updated_at"])
    audit.record(
        actor,
        "shu_distribute_batch",
        cooperative=cooperative,
        obj=sy,
        ref=str(year),
        summary=f"SHU {year}: {len(shares)} anggota dibayar",
        after={
            "paid": len(shares),
            "total": sum((s.total for s in shares), ZERO),
            "done": sy.distribute_done,
        },
    )


def _distribution_batch(actor, cooperative, sy_pk, batch_size) -> tuple[ShuYear, bool]:
    """One durable batch: pay up to ``batch_size`` pending shares, or finish; (ShuYear, finished)."""
    with action_atomic():
        sy = ShuYear.objects.select_for_update().get(pk=sy_pk)
        shares = list(
            ShuMemberShare.objects.select_for_update(of=("self",))
            .filter(cooperative=cooperative, shu_year=sy, status=ShuMemberShare.Status.PENDING)
            .select_related("member")
            .order_by("id")[:batch_size]  # ids follow member-number order
        )
        if not shares:
            _distribution_finish(actor, cooperative, sy)
            return sy, True
        _distribution_pay(actor, cooperative, sy, shares)
    return sy, False


def shu_distribute(
    *,
    actor,
    cooperative,
    year: int,
    method: str = ShuYear.Method.TUNAI,
    date: dt.date | None = None,
    batch_size: int = 1000,
    progress=None,
) -> ShuYear:
    """Pay every member's approved share (cash, or credited to simpanan sukarela), resumably.

    Members no longer active are not paid: their share stays in Dana SHU Bagian Anggota and is
    marked payable (``shu_share_pay`` pays it later). Each batch is one durable transaction that
    posts and marks its members paid; re-running continues with the unpaid members only and
    pays nobody twice. Progress is stored on the ``ShuYear``. Returns the updated ``ShuYear``.
    Not to be called inside another transaction (each batch commits). A resumed run keeps the
    first run's method and date.
    """

    require_role(actor, cooperative, APPROVERS, "membagikan SHU")
    sy = _distribution_prepare(actor, cooperative, year, ShuYear.Method(method), date or _today())
    if sy.status == S.DISTRIBUTED:
        return sy
    while True:
        sy, finished = _distribution_batch(actor, cooperative, sy.pk, batch_size)
        if finished:
            break
        if progress:
            progress(sy.distribute_done, sy.distribute_total)
    return sy


def shu_share_pay(
    *, actor, cooperative, year: int, number: str, date: dt.date | None = None
) -> ShuMemberShare:
    """Pay a former member's payable SHU in cash (Dr Dana SHU Anggota / Cr Kas, Cr Utang Pajak)."""
    require_role(actor, cooperative, STAFF, "membayar SHU")
    date = date or _today()
    with action_atomic():
        sy = _year_for_update(cooperative, year)
        try:
            share = (
                ShuMemberShare.objects.select_for_update(of=("self",))
                .select_related("member")
                .get(cooperative=cooperative, shu_year=sy, member__number=number)
            )
        except ShuMemberShare.DoesNotExist:
            raise ShuError(f"Anggota {number} tidak memiliki bagian SHU {year}.") from None
        if share.status != ShuMemberShare.Status.PAYABLE:
            raise WrongStatus(
                f"Bagian SHU {year} anggota {number} tidak berstatus utang (sudah dibayar atau belum dibagikan)."
            )
        if date < sy.rat_date or date > _today():
            raise ShuError("Tanggal pembayaran tidak valid.")
        _pay_cash(cooperative, sy, [share], date, actor, f"Pembayaran SHU {year} anggota keluar {number}")
        share.save(update_fields=["status", "paid_on", "receipt_number", "journal_entry"])
        audit.record(
            actor,
            "shu_share_pay",
            cooperative=cooperative,
            obj=share,
            ref=share.receipt_number,
            summary=f"Bayar SHU {year} mantan anggota {number}",
            after={"total": share.total, "tax": share.tax, "net": share.net},
        )
    return share
