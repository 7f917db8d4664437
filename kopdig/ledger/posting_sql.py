"""The raw SQL of ``posting.post``: the one module of the ledger that writes without the ORM.

Why raw SQL (``bench/ledger``, posting through ``journal_entry_post``): every money-moving action
posts through ``post``, and building the statements with the ORM cost more than running them.
Measured on SQLite (5 x 200 entries interleaved, same run, before the day balances): the ORM
path (``save()``, ``bulk_create`` and the ORM month-cache updates, deleted since no test ran it)
posted at 0.67x the rate of the cached raw statements (raw: 1.5x the ORM). The running-balance
statements below have no ORM form at all (UPDATE of later rows from a VALUES list, INSERT of
the prior total, data-modifying CTEs in one round trip on PostgreSQL). The statements are built
once per backend and cached; values go through the fields' own ``get_db_prep_save`` /
``pre_save`` and read converters, so the rows written and the values read are the ORM's. Only SQLite and PostgreSQL are supported
(``settings.DATABASES``).

The caches (``AccountDayBalance`` running totals in sen, ``AccountMonthBalance`` sums) are
written in the posting transaction: on PostgreSQL in ONE statement (data-modifying CTEs: one
round trip for both caches), on SQLite in three (no round trips there). Postings of one
cooperative are serialised by the cooperative's balance advisory lock (PostgreSQL, taken with
the period lock in the first statement; SQLite serialises writers): the running totals of the
rows after the entry's date are added to without a race. Different cooperatives never wait for
each other.
"""

from __future__ import annotations

import datetime as dt
import re

from .models import Account, AccountDayBalance, AccountMonthBalance, JournalLine, LedgerSettings
from .periods import BALANCE_LOCK, PERIOD_LOCK

_CACHE: dict = {}
CHUNK = 100  # rows per multi-row statement (well below SQLite's bound-parameter limit)


def qn(connection, name: str) -> str:
    return connection.ops.quote_name(name)


def _table(model) -> str:
    return model._meta.db_table


def _insert_sql(connection, model, fields, nrows: int, returning: bool) -> str:
    key = ("insert", connection.vendor, model._meta.label, tuple(f.attname for f in fields), nrows, returning)
    sql = _CACHE.get(key)
    if sql is None:
        row = "(" + ", ".join(["%s"] * len(fields)) + ")"
        sql = "INSERT INTO {} ({}) VALUES {}".format(
            qn(connection, _table(model)),
            ", ".join(qn(connection, f.column) for f in fields),
            ", ".join([row] * nrows),
        )
        if returning:
            sql += " RETURNING " + qn(connection, model._meta.pk.column)
        _CACHE[key] = sql
    return sql


def insert_instance(connection, obj) -> None:
    """INSERT a new model instance like ``obj.save(force_insert=True)`` (no signals: the house
    rules allow no receivers on ledger models), with ``RETURNING`` its id."""
    model = type(obj)
    opts = model._meta
    fields = [f for f in opts.local_concrete_fields if f is not opts.pk]
    params = [f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(_insert_sql(connection, model, fields, 1, True), params)
        obj.pk = cursor.fetchone()[0]
    obj._state.adding = False
    obj._state.db = connection.alias


def _converters(connection, model, names: tuple) -> list:
    """[(index, column expression, converters)] for reading ``names`` of ``model`` with a raw cursor."""
    key = ("conv", connection.vendor, model._meta.label, names)
    convs = _CACHE.get(key)
    if convs is None:
        convs = []
        for i, name in enumerate(names):
            col = model._meta.get_field(name).get_col(_table(model))
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


def _locks(connection) -> str:
    """The locks a posting holds until it commits (PostgreSQL), appended to the WHERE of its read
    of ``closed_through``: the cooperative's period advisory lock in shared mode (a close takes
    it exclusively, ``periods.PERIOD_LOCK``: it waits for the postings in flight, and postings
    that arrive meanwhile queue behind it instead of starving it), the cooperative's balance
    lock exclusively (``periods.BALANCE_LOCK``: the running day balances of one cooperative are
    written by one posting at a time), and the row FOR SHARE, so a posting that waited on a close
    re-reads the row and sees the new ``closed_through``. SQLite serialises writers (IMMEDIATE
    transactions): nothing to add."""
    if connection.vendor != "postgresql":
        return ""
    coop = qn(connection, "cooperative_id") + "::int"
    return (
        f" AND pg_advisory_xact_lock_shared({PERIOD_LOCK}, {coop}) IS NOT NULL"
        f" AND pg_advisory_xact_lock({BALANCE_LOCK}, {coop}) IS NOT NULL FOR SHARE"
    )


def _closed_sql(connection) -> str:
    return "SELECT {} FROM {} WHERE {} = %s{}".format(
        qn(connection, "closed_through"),
        qn(connection, _table(LedgerSettings)),
        qn(connection, "cooperative_id"),
        _locks(connection),
    )


def closed_through(connection, cooperative_id):
    """The cooperative's ``closed_through``, taking the posting's locks (PostgreSQL)."""
    key = ("closed", connection.vendor)
    sql = _CACHE.get(key) or _CACHE.setdefault(key, _closed_sql(connection))
    with connection.cursor() as cursor:
        cursor.execute(sql, [cooperative_id])
        row = cursor.fetchone()
    if row is None:
        return None
    return _convert(connection, row, _converters(connection, LedgerSettings, ("closed_through",)))[0]


def _accounts_sql(connection, n: int, with_closed: bool) -> str:
    key = ("accounts", connection.vendor, n, with_closed)
    sql = _CACHE.get(key)
    if sql is None:
        marks = ", ".join(["%s"] * n)
        cols = ", ".join(qn(connection, f.column) for f in Account._meta.concrete_fields)
        extra = f", ({_closed_sql(connection)})" if with_closed else ""
        coop, key_col, code = (qn(connection, c) for c in ("cooperative_id", "system_key", "code"))
        sql = _CACHE[key] = (
            f"SELECT {cols}{extra} FROM {qn(connection, _table(Account))} WHERE {coop} = %s "
            f"AND ({key_col} IN ({marks}) OR {code} IN ({marks})) ORDER BY {code}"
        )
    return sql


def accounts_by_name(connection, cooperative_id, names: list, with_closed: bool):
    """({system key or code: Account}, rows read, closed_through): the named accounts and, with
    ``with_closed``, the period row with the posting's locks, in one query."""
    params = ([cooperative_id] if with_closed else []) + [cooperative_id] + names + names
    with connection.cursor() as cursor:
        cursor.execute(_accounts_sql(connection, len(names), with_closed), params)
        rows = cursor.fetchall()
    n = len(_ACCOUNT_ATTRS)
    convs = _converters(connection, Account, _ACCOUNT_NAMES)
    found = {}
    for row in rows:
        acc = Account.from_db(connection.alias, _ACCOUNT_ATTRS, _convert(connection, row[:n], convs))
        if acc.system_key in names:
            found[acc.system_key] = acc
        if acc.code in names:
            found[acc.code] = acc
    closed = None
    if with_closed and rows:
        closed = _convert(
            connection, rows[0][n:], _converters(connection, LedgerSettings, ("closed_through",))
        )[0]
    return found, bool(rows), closed


_LINE_FIELDS = [
    JournalLine._meta.get_field(n)
    for n in ("cooperative", "entry", "account", "date", "debit", "credit", "memo")
]


def insert_lines(connection, cooperative_id, entry_id, date, rows) -> None:
    """The entry's lines ``[(account, debit, credit, memo)]`` in one multi-row INSERT (what
    ``bulk_create`` writes)."""
    f_coop, f_entry, f_account, f_date, f_debit, f_credit, f_memo = _LINE_FIELDS
    fixed = (
        f_coop.get_db_prep_save(cooperative_id, connection),
        f_entry.get_db_prep_save(entry_id, connection),
    )
    day = f_date.get_db_prep_save(date, connection)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            chunk = rows[start : start + CHUNK]
            params = []
            for account, debit, credit, memo in chunk:
                params += (
                    *fixed,
                    f_account.get_db_prep_save(account.pk, connection),
                    day,
                    f_debit.get_db_prep_save(debit, connection),
                    f_credit.get_db_prep_save(credit, connection),
                    f_memo.get_db_prep_save(memo, connection),
                )
            cursor.execute(_insert_sql(connection, JournalLine, _LINE_FIELDS, len(chunk), False), params)


# --- the balance caches ------------------------------------------------------------------------
# Each statement starts with ``WITH v(a, d, c) AS (VALUES …)``: the entry's accounts with their
# debits and credits in sen; ``%(name)s`` marks the other parameters (positional once cached).


def _n(connection) -> dict:
    """Quoted names used by the cache statements."""
    q = lambda c: qn(connection, c)  # noqa: E731
    cols = ("cooperative_id", "account_id", "date", "debit_to_date", "credit_to_date", "year", "month")
    return {
        "day_t": q(_table(AccountDayBalance)),
        "month_t": q(_table(AccountMonthBalance)),
        **{c: q(c) for c in (*cols, "debit", "credit")},
    }


def _values(connection, nrows: int) -> str:
    row = "(%s, %s, %s)" if connection.vendor == "sqlite" else "(%s::bigint, %s::bigint, %s::bigint)"
    return "v(a, d, c) AS (VALUES " + ", ".join([row] * nrows) + ")"


def _total_at(n, column: str, op: str, date: str) -> str:
    """The account's running ``column`` at its latest day row ``op`` the date (0 when none)."""
    return (
        f"COALESCE((SELECT b.{n[column]} FROM {n['day_t']} b WHERE b.{n['cooperative_id']} = %(coop)s "
        f"AND b.{n['account_id']} = v.a AND b.{n['date']} {op} %({date})s ORDER BY b.{n['date']} DESC LIMIT 1), 0)"
    )


def _day_update(n, op: str) -> str:
    """Add the entry to the day rows of its accounts ``op`` the date."""
    t = n["day_t"]
    sets = ", ".join(
        f"{n[col]} = {n[col]} + (SELECT v.{v} FROM v WHERE v.a = {t}.{n['account_id']})"
        for col, v in (("debit_to_date", "d"), ("credit_to_date", "c"))
    )
    return (
        f"UPDATE {t} SET {sets} WHERE {n['cooperative_id']} = %(coop)s AND {n['date']} {op} %(day)s "
        f"AND {n['account_id']} IN (SELECT v.a FROM v)"
    )


def _day_insert(n) -> str:
    """The day row of each account that has none at the date: the latest earlier totals plus the entry."""
    t = n["day_t"]
    cols = ", ".join(
        n[c] for c in ("cooperative_id", "account_id", "date", "debit_to_date", "credit_to_date")
    )
    return (
        f"INSERT INTO {t} ({cols}) SELECT %(coop)s, v.a, %(day)s, "
        f"{_total_at(n, 'debit_to_date', '<', 'day')} + v.d, {_total_at(n, 'credit_to_date', '<', 'day')} + v.c "
        f"FROM v WHERE NOT EXISTS (SELECT 1 FROM {t} x WHERE x.{n['cooperative_id']} = %(coop)s "
        f"AND x.{n['account_id']} = v.a AND x.{n['date']} = %(day)s)"
    )


def _month_upsert(n, sqlite: bool) -> str:
    """The month sums. PostgreSQL adds the entry's amounts (exact numeric). SQLite stores the
    month's sum computed from the running totals (exact integers; run after the day rows are
    written), because adding to a stored decimal would add in floating point."""
    t = n["month_t"]
    cols = ", ".join(n[c] for c in ("cooperative_id", "account_id", "year", "month", "debit", "credit"))
    key = ", ".join(n[c] for c in ("cooperative_id", "account_id", "year", "month"))
    if sqlite:
        amounts = ", ".join(
            f"({_total_at(n, c, '<=', 'month_end')} - {_total_at(n, c, '<', 'month_start')}) / 100.0"
            for c in ("debit_to_date", "credit_to_date")
        )
        sets = f"{n['debit']} = excluded.{n['debit']}, {n['credit']} = excluded.{n['credit']}"
    else:
        amounts = "v.d / 100.0, v.c / 100.0"
        sets = ", ".join(f"{n[c]} = {t}.{n[c]} + excluded.{n[c]}" for c in ("debit", "credit"))
    # WHERE true: SQLite's parser needs it between an upsert's SELECT and ON CONFLICT.
    return (
        f"INSERT INTO {t} ({cols}) SELECT %(coop)s, v.a, %(year)s, %(month)s, {amounts} FROM v WHERE true "
        f"ON CONFLICT ({key}) DO UPDATE SET {sets}"
    )


def _cache_statements(connection, nrows: int) -> list[tuple[str, list]]:
    """[(sql with %s, parameter names in order)] for an entry of ``nrows`` accounts."""
    key = ("caches", connection.vendor, nrows)
    statements = _CACHE.get(key)
    if statements is None:
        n = _n(connection)
        head = "WITH " + _values(connection, nrows)
        if connection.vendor == "sqlite":
            # The update first (rows on and after the date), then the missing day rows (they
            # read the totals before the date, untouched), then the month from the day rows.
            texts = [
                f"{head} {_day_update(n, '>=')}",
                f"{head} {_day_insert(n)}",
                f"{head} {_month_upsert(n, sqlite=True)}",
            ]
        else:
            # One statement. Its CTEs share one snapshot: the update adds to the rows that exist
            # on or after the date, the insert creates the date's row only where none exists.
            texts = [
                f"{head}, up AS ({_day_update(n, '>=')}), ins AS ({_day_insert(n)}) {_month_upsert(n, False)}"
            ]
        statements = _CACHE[key] = [_positional(text, nrows) for text in texts]
    return statements


def _positional(text: str, nrows: int) -> tuple[str, list]:
    names = ["*"] * (3 * nrows)  # the VALUES rows come first
    names += re.findall(r"%\((\w+)\)s", text)
    return re.sub(r"%\((\w+)\)s", "%s", text), names


def bump_caches(connection, cooperative_id: int, date: dt.date, sums: dict) -> None:
    """Add ``{account_id: (debit sen, credit sen)}`` of one date to the day and month caches, in
    chunks of accounts in id order."""
    ops = connection.ops
    month_start = date.replace(day=1)
    month_end = (month_start + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    named = {
        "coop": cooperative_id,
        "day": ops.adapt_datefield_value(date),
        "year": date.year,
        "month": date.month,
        "month_start": ops.adapt_datefield_value(month_start),
        "month_end": ops.adapt_datefield_value(month_end),
    }
    ids = sorted(sums)
    with connection.cursor() as cursor:
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            values = [x for a in chunk for x in (a, *sums[a])]
            for sql, names in _cache_statements(connection, len(chunk)):
                rows = iter(values)
                cursor.execute(sql, [next(rows) if name == "*" else named[name] for name in names])
