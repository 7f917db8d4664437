"""Posting: the one function every money-moving action calls, inside its own transaction.

    from kopdig.ledger.posting import Line, post
    entry = post(cooperative=coop, date=d, memo="Setoran simpanan sukarela", actor=user,
                 lines=[Line("kas", debit=amount), Line("simpanan_sukarela", credit=amount)],
                 source_type="savings.deposit", source_ref=receipt_number)

``Line.account`` is an ``Account``, a system key (``"kas"``) or an account code (``"1101"``).
``post`` requires an open transaction (the caller's action is ``atomic(durable=True)``) and
writes no audit row: the calling action audits its own business event.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import F, signals

from kopdig.lib.errors import DomainError
from kopdig.lib.formats import tanggal
from kopdig.lib.money import ZERO, q
from kopdig.tenancy.numbering import format_number, next_number

from .models import Account, AccountMonthBalance, JournalEntry, JournalLine, LedgerSettings
from .periods import PERIOD_LOCK


class LedgerError(DomainError):
    pass


class UnbalancedEntry(LedgerError):
    pass


class PeriodClosed(LedgerError):
    pass


@dataclass
class Line:
    account: Account | str
    debit: Decimal = ZERO
    credit: Decimal = ZERO
    memo: str = ""


# --- raw SQL for the hot path ---------------------------------------------------------------
# Every money-moving action posts through ``post``; building its statements with the ORM cost
# more than running them. The statements are built once per backend and cached; values go
# through the same ``get_db_prep_save`` / ``pre_save`` and read converters the ORM uses, so
# the rows written and the values read are exactly the ORM's.

_CACHE: dict = {}
_CHUNK = 100  # rows per multi-row statement (well below SQLite's bound-parameter limit)


def _qn(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _insert_fields(model) -> list:
    opts = model._meta
    return [f for f in opts.local_concrete_fields if f is not opts.pk]


def _insert_sql(connection, model, fields, nrows: int, returning: bool) -> str:
    key = ("insert", connection.vendor, model._meta.label, tuple(f.attname for f in fields), nrows, returning)
    sql = _CACHE.get(key)
    if sql is None:
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = "INSERT INTO {} ({}) VALUES {}".format(
            _qn(connection, model._meta.db_table),
            ", ".join(_qn(connection, f.column) for f in fields),
            ", ".join([row] * nrows),
        )
        if returning:
            sql += " RETURNING " + _qn(connection, model._meta.pk.column)
        _CACHE[key] = sql
    return sql


def _insert_instance(connection, obj) -> None:
    """INSERT a new model instance like ``obj.save(force_insert=True)`` without signals.

    Only for models with no save() override and no pre/post_save receivers (checked by callers).
    """
    model = type(obj)
    fields = _insert_fields(model)
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    returning = connection.features.can_return_columns_from_insert
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection, model, fields, 1, returning), params)
        pk = (
            cursor.fetchone()[0]
            if returning
            else connection.ops.last_insert_id(cursor, model._meta.db_table, model._meta.pk.column)
        )
    obj.pk = pk
    obj._state.adding = False
    obj._state.db = connection.alias


def _converters(connection, model, names: tuple) -> list:
    """[(index, column expression, converters)] for reading ``names`` of ``model`` with a raw cursor."""
    key = ("conv", connection.vendor, model._meta.label, names)
    convs = _CACHE.get(key)
    if convs is None:
        convs = []
        for i, name in enumerate(names):
            col = model._meta.get_field(name).get_col(model._meta.db_table)
            funcs = connection.ops.get_db_converters(col) + col.get_db_converters(connection)
            if funcs:
                convs.append((i, col, tuple(funcs)))
        _CACHE[key] = convs
    return convs


def _convert(connection, row, convs) -> list:
    row = list(row)
    for i, col, funcs in convs:
        value = row[i]
        for func in funcs:
            value = func(value, col, connection)
        row[i] = value
    return row


_ACCOUNT_ATTRS = tuple(f.attname for f in Account._meta.concrete_fields)
_ACCOUNT_NAMES = tuple(f.name for f in Account._meta.concrete_fields)


def _share(connection) -> str:
    """The period lock a posting holds until it commits (PostgreSQL), appended to the WHERE of
    its read of ``closed_through``: the cooperative's period advisory lock in shared mode (a
    close takes it exclusively, ``periods.PERIOD_LOCK``: it waits for the postings in flight,
    and postings that arrive meanwhile queue behind it instead of starving it), and the row
    FOR SHARE, so a posting that waited on a close re-reads the row and sees the new
    ``closed_through``. SQLite serialises writers (IMMEDIATE transactions): nothing to add."""
    if connection.vendor != "postgresql":
        return ""
    return f" AND pg_advisory_xact_lock_shared({PERIOD_LOCK}, {_qn(connection, 'cooperative_id')}::int) IS NOT NULL FOR SHARE"


def _closed_through(connection, cooperative_id):
    key = ("closed", connection.vendor)
    sql = _CACHE.get(key)
    if sql is None:
        sql = _CACHE[key] = "SELECT {} FROM {} WHERE {} = %s{}".format(
            _qn(connection, "closed_through"),
            _qn(connection, LedgerSettings._meta.db_table),
            _qn(connection, "cooperative_id"),
            _share(connection),
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [cooperative_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return _convert(connection, row, _converters(connection, LedgerSettings, ("closed_through",)))[0]


def _resolve(connection, cooperative, refs, with_closed: bool):  # noqa: C901
    """(accounts by ref, closed_through or None): one query (accounts and the period lock together)."""
    names = list({r for r in refs if isinstance(r, str)})
    found = {}
    closed = None
    closed_read = False
    if names:
        key = ("accounts", connection.vendor, len(names), with_closed)
        sql = _CACHE.get(key)
        if sql is None:
            qn = lambda n: _qn(connection, n)  # noqa: E731
            marks = ", ".join(["%s"] * len(names))
            cols = ", ".join(qn(f.column) for f in Account._meta.concrete_fields)
            extra = ""
            if with_closed:
                extra = ", (SELECT {} FROM {} WHERE {} = %s{})".format(
                    qn("closed_through"),
                    qn(LedgerSettings._meta.db_table),
                    qn("cooperative_id"),
                    _share(connection),
                )
            sql = _CACHE[key] = (
                f"SELECT {cols}{extra} FROM {qn(Account._meta.db_table)} WHERE {qn('cooperative_id')} = %s "
                f"AND ({qn('system_key')} IN ({marks}) OR {qn('code')} IN ({marks})) ORDER BY {qn('code')}"
            )
        params = ([cooperative.pk] if with_closed else []) + [cooperative.pk] + names + names
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        n = len(_ACCOUNT_ATTRS)
        convs = _converters(connection, Account, _ACCOUNT_NAMES)
        for row in rows:
            acc = Account.from_db(connection.alias, _ACCOUNT_ATTRS, _convert(connection, row[:n], convs))
            if acc.system_key in names:
                found[acc.system_key] = acc
            if acc.code in names:
                found[acc.code] = acc
        if with_closed and rows:
            closed_read = True
            closed = _convert(
                connection, rows[0][n:], _converters(connection, LedgerSettings, ("closed_through",))
            )[0]
    out = {}
    for ref in refs:
        if isinstance(ref, Account):
            if ref.cooperative_id != cooperative.pk:
                raise LedgerError("Akun bukan milik koperasi ini.")
            out[ref] = ref
        elif ref in found:
            out[ref] = found[ref]
        else:
            raise LedgerError(f"Akun '{ref}' tidak ditemukan di bagan akun koperasi ini.")
    if with_closed and not closed_read:
        closed = _closed_through(connection, cooperative.pk)
    return out, closed


def resolve_accounts(cooperative, refs) -> dict:
    """Map system keys / codes / Account objects to the cooperative's accounts (one query)."""
    return _resolve(transaction.get_connection(), cooperative, refs, with_closed=False)[0]


def _refuse_closed(closed, date: dt.date) -> None:
    if closed and date <= closed:
        raise PeriodClosed(
            f"Periode sampai {tanggal(closed)} sudah ditutup; transaksi bertanggal {tanggal(date)} ditolak."
        )


def check_open(cooperative, date: dt.date) -> None:
    _refuse_closed(_closed_through(transaction.get_connection(), cooperative.pk), date)


def _orm_safe(*models) -> bool:
    """True when no pre/post_save receiver listens to ``models`` (the raw inserts send no signals)."""
    return not any(signals.pre_save.has_listeners(m) or signals.post_save.has_listeners(m) for m in models)


def post(  # noqa: C901, PLR0913
    *,
    cooperative,
    date: dt.date,
    memo: str,
    lines,
    actor=None,
    source_type: str = "manual",
    source_ref: str = "",
    reversal_of: JournalEntry | None = None,
    approved_by=None,
) -> JournalEntry:
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        raise RuntimeError("post() must run inside the calling action's transaction")
    if not cooperative.on_kopdig:
        raise LedgerError("Koperasi ini tidak menyelenggarakan pembukuan di Kopdig.")
    if not isinstance(date, dt.date) or isinstance(date, dt.datetime):
        raise LedgerError("Tanggal jurnal tidak valid.")
    memo = (memo or "").strip()
    if not memo:
        raise LedgerError("Keterangan jurnal wajib diisi.")
    lines = list(lines)
    if len(lines) < 2:
        raise UnbalancedEntry("Jurnal harus memiliki paling sedikit dua baris.")
    # The accounts and the period lock in one query; the lock is checked after the lines, as before.
    accounts, closed = _resolve(connection, cooperative, [ln.account for ln in lines], with_closed=True)
    total_debit = total_credit = ZERO
    rows = []
    for i, ln in enumerate(lines, start=1):
        debit, credit = q(ln.debit or 0), q(ln.credit or 0)
        if debit < 0 or credit < 0:
            raise LedgerError(f"Baris {i}: jumlah tidak boleh negatif.")
        if (debit > 0) == (credit > 0):
            raise LedgerError(f"Baris {i}: isi debit atau kredit (salah satu, lebih dari nol).")
        account = accounts[ln.account]
        if account.is_group:
            raise LedgerError(f"Baris {i}: akun {account.code} adalah akun induk dan tidak dapat diposting.")
        if account.closed:
            raise LedgerError(f"Baris {i}: akun {account.code} sudah ditutup.")
        total_debit += debit
        total_credit += credit
        rows.append((account, debit, credit, ln.memo[:255]))
    if total_debit != total_credit:
        raise UnbalancedEntry(f"Jurnal tidak seimbang: debit {total_debit} ≠ kredit {total_credit}.")
    _refuse_closed(closed, date)

    seq = next_number(cooperative, "journal", date.year)
    entry = JournalEntry(
        cooperative=cooperative,
        number=format_number(date.year, seq),
        date=date,
        memo=memo[:255],
        source_type=source_type,
        source_ref=source_ref[:80],
        reversal_of=reversal_of,
        total=total_debit,
        posted_by=actor if (actor is not None and actor.is_authenticated) else None,
        approved_by=approved_by,
    )
    if _orm_safe(JournalEntry, JournalLine):
        _insert_instance(connection, entry)
        _insert_lines(connection, cooperative.pk, entry.pk, date, rows)
    else:
        entry.save(force_insert=True)
        JournalLine.objects.bulk_create(
            JournalLine(cooperative=cooperative, entry=entry, account=a, date=date, debit=d, credit=c, memo=m)
            for a, d, c, m in rows
        )
    bump_month_balances(cooperative, date.year, date.month, rows)
    return entry


_LINE_FIELDS = [
    JournalLine._meta.get_field(n)
    for n in ("cooperative", "entry", "account", "date", "debit", "credit", "memo")
]


def _insert_lines(connection, cooperative_id, entry_id, date, rows) -> None:
    """The entry's lines in one multi-row INSERT (what ``bulk_create`` writes)."""
    f_coop, f_entry, f_account, f_date, f_debit, f_credit, f_memo = _LINE_FIELDS
    coop = f_coop.get_db_prep_save(cooperative_id, connection)
    eid = f_entry.get_db_prep_save(entry_id, connection)
    day = f_date.get_db_prep_save(date, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), _CHUNK):
            chunk = rows[start : start + _CHUNK]
            params = []
            for account, debit, credit, memo in chunk:
                params += (
                    coop,
                    eid,
                    f_account.get_db_prep_save(account.pk, connection),
                    day,
                    f_debit.get_db_prep_save(debit, connection),
                    f_credit.get_db_prep_save(credit, connection),
                    f_memo.get_db_prep_save(memo, connection),
                )
            cursor.execute(_insert_sql(connection, JournalLine, _LINE_FIELDS, len(chunk), False), params)


_AMB_FIELDS = [
    AccountMonthBalance._meta.get_field(n)
    for n in ("cooperative", "account", "year", "month", "debit", "credit")
]


def _amb_sql(connection, kind: str, nrows: int) -> str:
    """The month-cache statements for ``nrows`` accounts (built once per backend)."""
    key = ("amb", kind, connection.vendor, nrows)
    sql = _CACHE.get(key)
    if sql is not None:
        return sql
    qn = lambda n: _qn(connection, n)  # noqa: E731
    pg = connection.vendor == "postgresql"
    table = qn(AccountMonthBalance._meta.db_table)
    where = (
        f"{qn('cooperative_id')} = %s AND {qn('year')} = %s AND {qn('month')} = %s "
        f"AND {qn('account_id')} IN ({', '.join(['%s'] * nrows)})"
    )
    if kind == "select":
        # PostgreSQL locks the rows in account order (rows are locked after the sort).
        sql = (
            f"SELECT {qn('account_id')}, {qn('debit')}, {qn('credit')} FROM {table} WHERE {where} "
            f"ORDER BY {qn('account_id')}" + (" FOR UPDATE" if pg else "")
        )
    elif kind == "update":
        # PostgreSQL adds the entry's sums (exact numeric); SQLite stores the totals added in Python.
        cases = {
            c: "CASE {} {} END".format(qn("account_id"), " ".join(["WHEN %s THEN %s"] * nrows))
            for c in ("debit", "credit")
        }
        sets = ", ".join(
            f"{qn(c)} = {qn(c)} + {cases[c]}" if pg else f"{qn(c)} = {cases[c]}" for c in ("debit", "credit")
        )
        sql = f"UPDATE {table} SET {sets} WHERE {where}"
    else:  # insert the missing rows; PostgreSQL: a row created concurrently meanwhile is added to
        sql = _insert_sql(connection, AccountMonthBalance, _AMB_FIELDS, nrows, False)
        if pg:
            conflict = ", ".join(qn(c) for c in ("cooperative_id", "account_id", "year", "month"))
            sets = ", ".join(f"{qn(c)} = {table}.{qn(c)} + EXCLUDED.{qn(c)}" for c in ("debit", "credit"))
            sql += f" ON CONFLICT ({conflict}) DO UPDATE SET {sets}"
    _CACHE[key] = sql
    return sql


def bump_month_balances(cooperative, year: int, month: int, rows) -> None:
    """Add the lines' debits and credits to the month caches, in account order (no deadlocks).

    Per chunk of accounts (in account-id order): one SELECT of the existing month rows
    (PostgreSQL: ``FOR UPDATE``, locked in account order), one UPDATE of those rows, one INSERT
    of the missing ones. PostgreSQL adds in SQL (exact numeric; the INSERT adds to a row created
    concurrently with ``ON CONFLICT DO UPDATE``). SQLite adds decimals in floating point: the
    current totals are read, converted and quantized as the ORM does, added in Decimal and
    written. Safe because SQLite serialises writers (IMMEDIATE transactions): nobody changes
    the rows in between.
    """
    sums = defaultdict(lambda: [ZERO, ZERO])
    for account, debit, credit, *_ in rows:
        sums[account.pk][0] += debit
        sums[account.pk][1] += credit
    connection = transaction.get_connection()
    if connection.vendor not in ("postgresql", "sqlite") or not _orm_safe(AccountMonthBalance):
        return _bump_month_balances_orm(cooperative, year, month, sums)
    exact_in_python = connection.vendor == "sqlite"
    f_coop, f_account, f_year, f_month, f_debit, f_credit = _AMB_FIELDS
    coop = f_coop.get_db_prep_save(cooperative.pk, connection)
    convs = _converters(connection, AccountMonthBalance, ("account", "debit", "credit"))
    ids = sorted(sums)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), _CHUNK):
            chunk = [f_account.get_db_prep_save(a, connection) for a in ids[start : start + _CHUNK]]
            where = [coop, year, month, *chunk]
            cursor.execute(_amb_sql(connection, "select", len(chunk)), where)
            current = {r[0]: r for r in (_convert(connection, row, convs) for row in cursor.fetchall())}
            if current:
                debits, credits = [], []
                for account_id in current:
                    debit, credit = sums[account_id]
                    if exact_in_python:
                        debit, credit = current[account_id][1] + debit, current[account_id][2] + credit
                    debits += (account_id, f_debit.get_db_prep_save(debit, connection))
                    credits += (account_id, f_credit.get_db_prep_save(credit, connection))
                existing = list(current)
                cursor.execute(
                    _amb_sql(connection, "update", len(existing)),
                    debits + credits + [coop, year, month, *existing],
                )
            missing = [a for a in chunk if a not in current]
            if missing:
                params = []
                for account_id in missing:
                    debit, credit = sums[account_id]
                    params += (
                        coop,
                        account_id,
                        year,
                        month,
                        f_debit.get_db_prep_save(debit, connection),
                        f_credit.get_db_prep_save(credit, connection),
                    )
                cursor.execute(_amb_sql(connection, "insert", len(missing)), params)


def _bump_month_balances_orm(cooperative, year, month, sums) -> None:
    exact_in_python = transaction.get_connection().vendor == "sqlite"
    for account_id in sorted(sums):
        debit, credit = sums[account_id]
        rows = AccountMonthBalance.objects.filter(
            cooperative=cooperative, account_id=account_id, year=year, month=month
        )
        if exact_in_python:
            current = rows.values_list("pk", "debit", "credit").first()
            if current:
                AccountMonthBalance.objects.filter(pk=current[0]).update(
                    debit=current[1] + debit, credit=current[2] + credit
                )
                continue
        elif rows.update(debit=F("debit") + debit, credit=F("credit") + credit):
            continue
        try:
            with transaction.atomic():
                AccountMonthBalance.objects.create(
                    cooperative=cooperative,
                    account_id=account_id,
                    year=year,
                    month=month,
                    debit=debit,
                    credit=credit,
                )
        except IntegrityError:  # created concurrently: add to it
            AccountMonthBalance.objects.filter(
                cooperative=cooperative, account_id=account_id, year=year, month=month
            ).update(debit=F("debit") + debit, credit=F("credit") + credit)


def reverse(*, entry: JournalEntry, date: dt.date, actor=None, memo: str = "") -> JournalEntry:
    """Post the mirror image of ``entry`` (inside the caller's transaction)."""
    if JournalEntry.objects.filter(reversal_of=entry).exists():
        raise LedgerError(f"Jurnal {entry.number} sudah dibalik.")
    if entry.reversal_of_id:
        raise LedgerError(f"Jurnal {entry.number} adalah jurnal pembalik dan tidak dapat dibalik lagi.")
    lines = [
        Line(ln.account, debit=ln.credit, credit=ln.debit, memo=ln.memo)
        for ln in entry.lines.select_related("account")
    ]
    return post(
        cooperative=entry.cooperative,
        date=date,
        memo=memo or f"Pembalikan {entry.number}: {entry.memo}",
        lines=lines,
        actor=actor,
        source_type=entry.source_type,
        source_ref=entry.source_ref,
        reversal_of=entry,
    )
