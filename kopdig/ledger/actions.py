"""Top-level ledger actions (durable transactions, audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from kopdig import audit
from kopdig.lib.cells import cell_amount
from kopdig.lib.dates import month_end
from kopdig.lib.errors import DomainError, NotAllowed
from kopdig.lib.formats import tanggal
from kopdig.lib.money import ZERO, q
from kopdig.lib.transactions import action_atomic
from kopdig.tenancy.access import APPROVERS, BOARD, STAFF, require_role, user_of
from kopdig.tenancy.numbering import format_number, next_number

from . import periods, posting
from .models import Account, JournalDraft, JournalDraftLine, JournalEntry, JournalLine, LedgerSettings
from .selectors import net_movements


def journal_entry_post(
    *,
    actor,
    cooperative,
    date: dt.date,
    memo: str,
    lines,
    source_type: str = "manual",
    source_ref: str = "",
    approved_by=None,
) -> JournalEntry:
    """Post a balanced journal entry (manual entries, opening balances, imports), audited."""
    require_role(actor, cooperative, STAFF, "posting jurnal")
    with action_atomic():
        entry = posting.post(
            cooperative=cooperative,
            date=date,
            memo=memo,
            lines=lines,
            actor=actor,
            source_type=source_type,
            source_ref=source_ref,
            approved_by=approved_by,
        )
        audit.record(
            actor,
            "journal_entry_post",
            cooperative=cooperative,
            obj=entry,
            ref=entry.number,
            summary=entry.memo,
            after={"date": entry.date, "total": entry.total},
        )
    return entry


def journal_entry_reverse(
    *, actor, cooperative, number: str, date: dt.date | None = None, memo: str = ""
) -> JournalEntry:
    """Reverse a posted entry by its number with a mirror entry (posted entries are never edited)."""
    require_role(actor, cooperative, APPROVERS, "membalik jurnal")
    with action_atomic():
        try:
            entry = JournalEntry.objects.select_for_update().get(cooperative=cooperative, number=number)
        except JournalEntry.DoesNotExist:
            raise posting.LedgerError(f"Jurnal {number} tidak ditemukan.") from None
        rev = posting.reverse(entry=entry, date=date or entry.date, actor=actor, memo=memo)
        audit.record(
            actor,
            "journal_entry_reverse",
            cooperative=cooperative,
            obj=rev,
            ref=rev.number,
            summary=f"membalik {entry.number}",
            after={"reverses": entry.number, "total": rev.total},
        )
    return rev


# ---------------------------------------------------------------------------------------------
# Manual entries with maker-checker, chart of accounts, periods, opening balances, import.


def _threshold(cooperative) -> Decimal:
    ls, _ = LedgerSettings.objects.get_or_create(cooperative=cooperative)
    return ls.approval_threshold


def _check_lines(cooperative, date, memo, lines):
    """Validate a manual entry without writing (same rules as posting.post)."""
    if not (memo or "").strip():
        raise posting.LedgerError("Keterangan jurnal wajib diisi.")
    lines = list(lines)
    if len(lines) < 2:
        raise posting.UnbalancedEntry("Jurnal harus memiliki paling sedikit dua baris.")
    accounts = posting.resolve_accounts(cooperative, [ln.account for ln in lines])
    d = c = ZERO
    for i, ln in enumerate(lines, start=1):
        ld, lc = q(ln.debit or 0), q(ln.credit or 0)
        if ld < 0 or lc < 0 or (ld > 0) == (lc > 0):
            raise posting.LedgerError(f"Baris {i}: isi debit atau kredit (salah satu, lebih dari nol).")
        acc = accounts[ln.account]
        if acc.is_group or acc.closed:
            raise posting.LedgerError(f"Baris {i}: akun {acc.code} tidak dapat diposting.")
        d += ld
        c += lc
    if d != c:
        raise posting.UnbalancedEntry(f"Jurnal tidak seimbang: debit {d} ≠ kredit {c}.")
    posting.check_open(cooperative, date)
    return accounts, d


def journal_manual_submit(*, actor, cooperative, date: dt.date, memo: str, lines):
    """A manual entry from the form or the API. At or below the approval threshold it posts at
    once (returns the JournalEntry); above it, it becomes a pending JournalDraft that another
    pengurus/manajer must approve (returns the draft)."""
    require_role(actor, cooperative, STAFF, "posting jurnal")
    lines = list(lines)
    with action_atomic():
        accounts, total = _check_lines(cooperative, date, memo, lines)
        if total <= _threshold(cooperative):
            entry = posting.post(
                cooperative=cooperative, date=date, memo=memo, lines=lines, actor=actor, source_type="manual"
            )
            audit.record(
                actor,
                "journal_entry_post",
                cooperative=cooperative,
                obj=entry,
                ref=entry.number,
                summary=entry.memo,
                after={"date": entry.date, "total": entry.total},
            )
            return entry
        seq = next_number(cooperative, "journal_draft", date.year)
        draft = JournalDraft.objects.create(
            cooperative=cooperative,
            number="U-" + format_number(date.year, seq),
            date=date,
            memo=memo.strip()[:255],
            total=total,
            created_by=user_of(actor),
        )
        JournalDraftLine.objects.bulk_create(
            JournalDraftLine(
                cooperative=cooperative,
                draft=draft,
                account=accounts[ln.account],
                debit=q(ln.debit or 0),
                credit=q(ln.credit or 0),
                memo=(ln.memo or "")[:255],
            )
            for ln in lines
        )
        audit.record(
            actor,
            "journal_draft_submit",
            cooperative=cooperative,
            obj=draft,
            ref=draft.number,
            summary=draft.memo,
            after={"date": draft.date, "total": draft.total},
        )
    return draft


def _pending_draft(cooperative, number) -> JournalDraft:
    try:
        draft = JournalDraft.objects.select_for_update().get(cooperative=cooperative, number=number)
    except JournalDraft.DoesNotExist:
        raise DomainError(f"Usulan jurnal {number} tidak ditemukan.") from None
    if draft.status != JournalDraft.Status.PENDING:
        raise DomainError(f"Usulan jurnal {number} sudah diputuskan.")
    return draft


def journal_draft_approve(*, actor, cooperative, number: str) -> JournalEntry:
    """Approve a pending draft (a pengurus/manajer other than its maker) and post it."""
    require_role(actor, cooperative, APPROVERS, "menyetujui jurnal")
    with action_atomic():
        draft = _pending_draft(cooperative, number)
        if draft.created_by_id == actor.pk:
            raise NotAllowed("Jurnal harus disetujui oleh pengguna lain, bukan pembuatnya.")
        lines = [
            posting.Line(ln.account, debit=ln.debit, credit=ln.credit, memo=ln.memo)
            for ln in draft.lines.select_related("account")
        ]
        entry = posting.post(
            cooperative=cooperative,
            date=draft.date,
            memo=draft.memo,
            lines=lines,
            actor=draft.created_by,
            source_type="manual",
            source_ref=draft.number,
            approved_by=user_of(actor),
        )
        draft.status = JournalDraft.Status.APPROVED
        draft.decided_by, draft.decided_at, draft.entry = user_of(actor), timezone.now(), entry
        draft.save(update_fields=["status", "decided_by", "decided_at", "entry"])
        audit.record(
            actor,
            "journal_draft_approve",
            cooperative=cooperative,
            obj=entry,
            ref=entry.number,
            summary=f"menyetujui {draft.number}: {draft.memo}",
            after={"total": entry.total},
        )
    return entry


def journal_draft_reject(*, actor, cooperative, number: str, reason: str) -> JournalDraft:
    require_role(actor, cooperative, APPROVERS, "menolak jurnal")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Alasan penolakan wajib diisi.")
    with action_atomic():
        draft = _pending_draft(cooperative, number)
        draft.status = JournalDraft.Status.REJECTED
        draft.decided_by, draft.decided_at, draft.reason = user_of(actor), timezone.now(), reason[:255]
        draft.save(update_fields=["status", "decided_by", "decided_at", "reason"])
        audit.record(
            actor,
            "journal_draft_reject",
            cooperative=cooperative,
            obj=draft,
            ref=draft.number,
            summary=reason[:255],
        )
    return draft


# --- chart of accounts


def account_create(
    *,
    actor,
    cooperative,
    code: str,
    name: str,
    parent_code: str,
    participation: str = "",
    cash_flow: str = "",
    is_group: bool = False,
) -> Account:
    """Add an account under a parent (group) account; type and normal side follow the parent."""
    require_role(actor, cooperative, APPROVERS, "mengubah bagan akun")
    code, name = (code or "").strip(), (name or "").strip()
    if not code.isdigit() or len(code) > 20:
        raise DomainError("Kode akun harus berupa angka.")
    if not name:
        raise DomainError("Nama akun wajib diisi.")
    with action_atomic():
        parent = Account.objects.filter(cooperative=cooperative, code=(parent_code or "").strip()).first()
        if parent is None or not parent.is_group:
            raise DomainError("Pilih akun induk (kelompok) yang ada.")
        if not code.startswith(parent.code) or code == parent.code:
            raise DomainError(f"Kode akun harus diawali kode induknya ({parent.code}).")
        if Account.objects.filter(cooperative=cooperative, code=code).exists():
            raise DomainError(f"Kode akun {code} sudah dipakai.")
        if participation and parent.type != Account.Type.PENDAPATAN:
            raise DomainError("Partisipasi hanya untuk akun pendapatan.")
        cf = cash_flow or parent.cash_flow
        if cf not in Account.CashFlow.values:
            raise DomainError("Kategori arus kas tidak valid.")
        acc = Account.objects.create(
            cooperative=cooperative,
            code=code,
            name=name[:150],
            type=parent.type,
            normal_side=parent.normal_side,
            parent=parent,
            is_group=is_group,
            cash_flow=cf,
            is_cash=(cf == Account.CashFlow.KAS),
            participation=participation or "",
        )
        audit.record(
            actor,
            "account_create",
            cooperative=cooperative,
            obj=acc,
            ref=acc.code,
            summary=acc.name,
            after={"code": acc.code, "name": acc.name, "type": acc.type},
        )
    return acc


def account_close(*, actor, cooperative, code: str) -> Account:
    """Close an account: it keeps its history but accepts no new posting. Its balance must be zero."""
    require_role(actor, cooperative, APPROVERS, "mengubah bagan akun")

    with action_atomic():
        acc = Account.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
        if acc is None:
            raise DomainError(f"Akun {code} tidak ditemukan.")
        if acc.closed:
            raise DomainError(f"Akun {code} sudah ditutup.")
        if acc.system_key:
            raise DomainError(f"Akun {code} dipakai oleh modul Kopdig dan tidak dapat ditutup.")
        if acc.is_group and Account.objects.filter(parent=acc, closed=False).exists():
            raise DomainError("Tutup dulu semua sub-akunnya.")
        far = dt.date(9999, 12, 31)
        d, c = net_movements(cooperative, end=far, account_ids=[acc.pk]).get(acc.pk, (ZERO, ZERO))
        if d != c:
            raise DomainError(f"Saldo akun {code} belum nol; pindahkan dulu saldonya dengan jurnal.")
        acc.closed = True
        acc.save(update_fields=["closed"])
        audit.record(actor, "account_close", cooperative=cooperative, obj=acc, ref=acc.code, summary=acc.name)
    return acc


def account_delete(*, actor, cooperative, code: str) -> None:
    """Delete an account that never received a posting (accounts with postings can only be closed)."""
    require_role(actor, cooperative, APPROVERS, "mengubah bagan akun")
    with action_atomic():
        acc = Account.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
        if acc is None:
            raise DomainError(f"Akun {code} tidak ditemukan.")
        if acc.system_key:
            raise DomainError(f"Akun {code} dipakai oleh modul Kopdig dan tidak dapat dihapus.")
        if (
            JournalLine.objects.filter(account=acc).exists()
            or JournalDraftLine.objects.filter(account=acc).exists()
        ):
            raise DomainError(f"Akun {code} sudah memiliki transaksi; akun hanya dapat ditutup.")
        if Account.objects.filter(parent=acc).exists():
            raise DomainError(f"Akun {code} masih memiliki sub-akun.")
        audit.record(
            actor, "account_delete", cooperative=cooperative, obj=acc, ref=acc.code, summary=acc.name
        )
        acc.month_balances.all().delete()
        acc.day_balances.all().delete()
        acc.delete()


# --- periods


def period_close_month(*, actor, cooperative, year: int, month: int, today: dt.date | None = None) -> dt.date:
    """Close the books of a month (lock_through its last day). Months close in order: the month
    must be the one after the last closed month, and must have ended."""
    require_role(actor, cooperative, APPROVERS, "menutup periode")
    today = today or timezone.localdate()
    if not (1 <= int(month) <= 12):
        raise DomainError("Bulan tidak valid.")
    end = month_end(dt.date(int(year), int(month), 1))
    if end >= today:
        raise DomainError("Bulan ini belum berakhir dan belum dapat ditutup.")
    with action_atomic():
        current = periods.closed_through(cooperative)
        if current is not None:
            expected = current + dt.timedelta(days=1)
            if end <= current:
                raise DomainError(f"Bulan {month:02d}-{year} sudah ditutup.")
            if (end.year, end.month) != (expected.year, expected.month):
                raise DomainError(f"Tutup buku harus berurutan: bulan berikutnya adalah {expected:%m-%Y}.")
        periods.lock_through(cooperative=cooperative, date=end)
        audit.record(
            actor,
            "period_close",
            cooperative=cooperative,
            ref=f"{year}-{month:02d}",
            summary=f"Tutup buku sampai {tanggal(end)}",
            before={"closed_through": current},
            after={"closed_through": end},
        )
    return end


def period_reopen(*, actor, cooperative, year: int, month: int, reason: str) -> dt.date | None:
    """Reopen the books from a month on (pengurus only, with a reason): the lock moves back to
    the last day of the month before."""
    require_role(actor, cooperative, BOARD, "membuka kembali periode")
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("Alasan pembukaan kembali wajib diisi.")
    first = dt.date(int(year), int(month), 1)
    with action_atomic():
        current = periods.closed_through(cooperative)
        if current is None or first > current:
            raise DomainError(f"Bulan {first:%m-%Y} belum ditutup.")
        new = first - dt.timedelta(days=1)
        periods.unlock_to(cooperative=cooperative, date=new)
        audit.record(
            actor,
            "period_reopen",
            cooperative=cooperative,
            ref=f"{first:%Y-%m}",
            summary=reason[:255],
            before={"closed_through": current},
            after={"closed_through": new},
        )
    return new


# --- opening balances


def opening_balance_post(*, actor, cooperative, date: dt.date, amounts: dict) -> JournalEntry:
    """Post the opening balances ``{account code: (debit, credit)}`` as one entry (source_type
    "opening"). Refused when they do not balance or when opening balances were already posted
    (and not reversed)."""
    require_role(actor, cooperative, APPROVERS, "mengisi saldo awal")
    lines = [
        posting.Line(code, debit=q(d or 0), credit=q(c or 0))
        for code, (d, c) in sorted(amounts.items())
        if q(d or 0) or q(c or 0)
    ]
    with action_atomic():
        exists = (
            JournalEntry.objects.filter(cooperative=cooperative, source_type="opening")
            .filter(Q(reversed_by__isnull=True))
            .exists()
        )
        if exists:
            raise DomainError("Saldo awal sudah pernah diposting; balik dulu jurnal saldo awal lama.")
        entry = posting.post(
            cooperative=cooperative,
            date=date,
            memo="Saldo awal",
            lines=lines,
            actor=actor,
            source_type="opening",
            source_ref=f"{date:%Y-%m-%d}",
        )
        audit.record(
            actor,
            "opening_balance_post",
            cooperative=cooperative,
            obj=entry,
            ref=entry.number,
            summary="Saldo awal",
            after={"date": entry.date, "total": entry.total},
        )
    return entry


# --- import


@dataclass
class ImportResult:
    entries: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message)


class ImportRejected(DomainError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__(f"Impor dibatalkan: {len(errors)} baris bermasalah, tidak ada yang diposting.")


IMPORT_COLUMNS = ("tanggal", "no_bukti", "akun", "keterangan", "debit", "kredit")


def _import_date(raw):
    """A cell's date (a date, a datetime or text in one of three formats), or None."""
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    text = str(raw or "").strip()
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def _import_account(codes: dict, raw, err):
    code = str(raw or "").strip()
    if code.endswith(".0"):
        code = code[:-2]
    acc = codes.get(code)
    if acc is None:
        err(f"akun {code!r} tidak ada di bagan akun")
    elif acc.is_group or acc.closed:
        err(f"akun {code} tidak dapat diposting")
    return acc


def _import_amounts(row, err) -> tuple:
    """(debit, credit) of a row; zeros when a cell is not a number (reported through ``err``)."""
    amounts = []
    for col in ("debit", "kredit"):
        value = row[col]
        if value in (None, ""):
            amounts.append(ZERO)
            continue
        try:
            amounts.append(cell_amount(value))
        except (ValueError, TypeError):
            err(f"{col} bukan angka: {value!r}")
            amounts.append(None)
    if None in amounts:
        return ZERO, ZERO
    debit, credit = amounts
    if debit < 0 or credit < 0 or (debit > 0) == (credit > 0):
        err("isi debit atau kredit (salah satu, lebih dari nol)")
    return debit, credit


def _import_row(number, row, codes, closed, groups, errors) -> None:
    """Check one row and add it to its voucher's group (errors appended as (row number, text))."""

    def err(text):
        errors.append((number, text))

    row = {str(k).strip().lower(): v for k, v in row.items() if k is not None}
    missing = [c for c in IMPORT_COLUMNS if c not in row]
    if missing:
        return err("kolom tidak ada: " + ", ".join(missing))
    date = _import_date(row["tanggal"])
    if date is None:
        err(f"tanggal tidak valid: {row['tanggal']!r}")
    elif closed and date <= closed:
        err(f"periode sampai {tanggal(closed)} sudah ditutup")
    voucher = str(row["no_bukti"] or "").strip()
    if not voucher:
        err("no_bukti wajib diisi")
    acc = _import_account(codes, row["akun"], err)
    debit, credit = _import_amounts(row, err)
    memo = str(row["keterangan"] or "").strip()
    if voucher and date and acc is not None:
        group = groups.setdefault(voucher, {"date": date, "memo": memo, "lines": [], "rows": []})
        if group["date"] != date:
            err(f"tanggal berbeda dengan baris lain no_bukti {voucher}")
        group["lines"].append(posting.Line(acc, debit=debit, credit=credit, memo=memo))
        group["rows"].append(number)
        group["memo"] = group["memo"] or memo
    return None


def _check_import_group(voucher, g, errors) -> None:
    d = sum((ln.debit for ln in g["lines"]), ZERO)
    c = sum((ln.credit for ln in g["lines"]), ZERO)
    if len(g["lines"]) < 2:
        errors.append((g["rows"][0], f"no_bukti {voucher}: jurnal harus memiliki paling sedikit dua baris"))
    elif d != c:
        errors.append((g["rows"][0], f"no_bukti {voucher} tidak seimbang: debit {d} ≠ kredit {c}"))
    if not g["memo"]:
        g["memo"] = f"Impor {voucher}"


def parse_import_rows(cooperative, rows) -> tuple[list, list]:
    """Validate rows [(row number, {column: value})]; return (groups, errors).

    groups: [(no_bukti, date, memo, [Line...], first row)] in file order.
    """
    codes = {a.code: a for a in Account.objects.filter(cooperative=cooperative)}
    closed = periods.closed_through(cooperative)
    errors, groups = [], {}
    for number, row in rows:
        _import_row(number, row, codes, closed, groups, errors)
    for voucher, g in groups.items():
        _check_import_group(voucher, g, errors)
    errors.sort(key=lambda e: e[0])
    return [(v, g["date"], g["memo"], g["lines"], g["rows"][0]) for v, g in groups.items()], errors


def journal_import(*, actor, cooperative, rows) -> list[JournalEntry]:
    """Import journal lines (tanggal, no_bukti, akun, keterangan, debit, kredit): every row is
    validated first; with any error nothing is posted (ImportRejected carries the row errors);
    otherwise all entries post in one transaction (source_type "import", source_ref no_bukti)."""
    require_role(actor, cooperative, APPROVERS, "mengimpor jurnal")
    groups, errors = parse_import_rows(cooperative, rows)
    if not groups and not errors:
        errors = [(0, "berkas tidak berisi baris jurnal")]
    if errors:
        raise ImportRejected(errors)
    entries = []
    with action_atomic():
        for voucher, date, memo, lines, _first in sorted(groups, key=lambda g: (g[1], g[4])):
            entries.append(
                posting.post(
                    cooperative=cooperative,
                    date=date,
                    memo=memo,
                    lines=lines,
                    actor=actor,
                    source_type="import",
                    source_ref=voucher,
                )
            )
        audit.record(
            actor,
            "journal_import",
            cooperative=cooperative,
            ref=f"{len(entries)} jurnal",
            summary=f"Impor {len(entries)} jurnal",
            after={"numbers": [e.number for e in entries]},
        )
    return entries


def ledger_settings_update(*, actor, cooperative, approval_threshold) -> LedgerSettings:
    """Change the approval threshold for manual entries (pengurus only)."""
    require_role(actor, cooperative, BOARD, "mengubah pengaturan pembukuan")
    amount = q(approval_threshold)
    if amount < 0:
        raise DomainError("Batas persetujuan tidak boleh negatif.")
    with action_atomic():
        ls, _ = LedgerSettings.objects.get_or_create(cooperative=cooperative)
        ls = LedgerSettings.objects.select_for_update().get(pk=ls.pk)
        before = ls.approval_threshold
        ls.approval_threshold = amount
        ls.save(update_fields=["approval_threshold"])
        audit.record(
            actor,
            "ledger_settings_update",
            cooperative=cooperative,
            ref=cooperative.slug,
            summary="Batas persetujuan jurnal",
            before={"approval_threshold": before},
            after={"approval_threshold": amount},
        )
    return ls
