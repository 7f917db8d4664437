"""Journal export: CSV (the import's columns plus more), beancount and hledger.

Account names are safe for both tools: ``<Root>:<code>-<Name-With-Dashes>`` with the root
from the account type (Assets, Liabilities, Equity, Income, Expenses), e.g.
``Assets:1101-Kas``; amounts in ``IDR`` with two decimals. Each function yields text chunks
(streamed: a million lines never sit in memory at once).
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterator

from kopdig.lib.documents import csv_cell

from .models import Account, JournalLine

ROOTS = {
    Account.Type.ASET: "Assets",
    Account.Type.KEWAJIBAN: "Liabilities",
    Account.Type.EKUITAS: "Equity",
    Account.Type.PENDAPATAN: "Income",
    Account.Type.BEBAN: "Expenses",
}
HLEDGER_TYPES = {"Assets": "A", "Liabilities": "L", "Equity": "E", "Income": "R", "Expenses": "X"}
CHUNK = 5000


def account_name(account: Account) -> str:
    ascii_name = unicodedata.normalize("NFKD", account.name).encode("ascii", "ignore").decode()
    words = re.sub(r"[^A-Za-z0-9]+", "-", ascii_name).strip("-")
    code = re.sub(r"[^A-Za-z0-9]+", "-", account.code).strip("-")
    return f"{ROOTS[account.type]}:{code}-{words}" if words else f"{ROOTS[account.type]}:{code}"


def _names(cooperative) -> dict[int, str]:
    return {a.pk: account_name(a) for a in Account.objects.filter(cooperative=cooperative, is_group=False)}


def _lines(cooperative, end=None):
    qs = JournalLine.objects.filter(cooperative=cooperative)
    if end is not None:
        qs = qs.filter(date__lte=end)
    return (
        qs.order_by("date", "entry_id", "id")
        .values_list(
            "entry_id",
            "entry__number",
            "date",
            "entry__memo",
            "account_id",
            "debit",
            "credit",
            "memo",
            "entry__source_type",
            "entry__source_ref",
        )
        .iterator(chunk_size=CHUNK)
    )


def _entries(cooperative, end=None):
    """(number, date, memo, [(account_id, signed amount, line memo)], source_type, source_ref) per entry."""
    current, buf = None, []
    head = None
    for entry_id, number, date, memo, acc, d, c, lmemo, stype, sref in _lines(cooperative, end):
        if entry_id != current:
            if buf:
                yield (*head, buf)
            current, buf = entry_id, []
            head = (number, date, memo, stype, sref)
        buf.append((acc, d - c, lmemo))
    if buf:
        yield (*head, buf)


def _quote(text: str) -> str:
    return (text or "").replace("\\", "/").replace('"', "'").replace("\n", " ")


def iter_beancount(cooperative, end=None) -> Iterator[str]:
    names = _names(cooperative)
    out = [
        f'option "title" "{_quote(cooperative.name)}"\n',
        'option "operating_currency" "IDR"\n\n',
        "1970-01-01 commodity IDR\n",
    ]
    out += [f"1970-01-01 open {name} IDR\n" for _pk, name in sorted(names.items(), key=lambda kv: kv[1])]
    yield "".join(out) + "\n"
    buf = []
    for number, date, memo, _stype, _sref, lines in _entries(cooperative, end):
        buf.append(f'{date.isoformat()} * "{_quote(memo)}"\n  number: "{number}"\n')
        for acc, amount, _lm in lines:
            buf.append(f"  {names[acc]}  {amount:.2f} IDR\n")
        buf.append("\n")
        if len(buf) >= CHUNK:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


def iter_hledger(cooperative, end=None) -> Iterator[str]:
    names = _names(cooperative)
    head = [f"; {cooperative.name} — Kopdig journal export\n", "commodity 1000.00 IDR\n\n"]
    for _pk, name in sorted(names.items(), key=lambda kv: kv[1]):
        head.append(f"account {name}  ; type: {HLEDGER_TYPES[name.split(':', 1)[0]]}\n")
    yield "".join(head) + "\n"
    buf = []
    for number, date, memo, _stype, _sref, lines in _entries(cooperative, end):
        text = (memo or "").replace("\n", " ").replace(";", ",")
        buf.append(f"{date.isoformat()} ({number}) {text}\n")
        for acc, amount, _lm in lines:
            buf.append(f"    {names[acc]}  {amount:.2f} IDR\n")
        buf.append("\n")
        if len(buf) >= CHUNK:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


CSV_COLUMNS = [
    "tanggal",
    "no_bukti",
    "akun",
    "nama_akun",
    "keterangan",
    "debit",
    "kredit",
    "sumber",
    "referensi",
]


def iter_csv(cooperative, end=None) -> Iterator[str]:
    codes = dict(Account.objects.filter(cooperative=cooperative).values_list("pk", "code"))
    acc_names = dict(Account.objects.filter(cooperative=cooperative).values_list("pk", "name"))
    sio = io.StringIO()
    writer = csv.writer(sio)
    writer.writerow(CSV_COLUMNS)
    n = 0
    for _eid, number, date, memo, acc, d, c, lmemo, stype, sref in _lines(cooperative, end):
        writer.writerow(
            [
                date.isoformat(),
                number,
                csv_cell(codes[acc]),
                csv_cell(acc_names[acc]),
                csv_cell(lmemo or memo),
                f"{d:.2f}" if d else "",
                f"{c:.2f}" if c else "",
                stype,
                csv_cell(sref),
            ]
        )
        n += 1
        if n % CHUNK == 0:
            yield sio.getvalue()
            sio.seek(0)
            sio.truncate()
    yield sio.getvalue()


def text(iterator) -> str:
    return "".join(iterator)


FORMATS = {
    "csv": ("text/csv; charset=utf-8", "csv", iter_csv),
    "beancount": ("text/plain; charset=utf-8", "beancount", iter_beancount),
    "hledger": ("text/plain; charset=utf-8", "journal", iter_hledger),
}
