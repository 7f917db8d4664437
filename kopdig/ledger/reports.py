"""Statements as printable tables: one shape for the web page, the PDF and the Excel file.

A ``Table`` has a title, a subtitle (date or period), column headings and rows; each row is a
kind (head, group, account, subtotal, total, blank) and cells. Money cells keep their Decimal
for Excel and are formatted ``Rp 1.234.567,00`` (negatives in parentheses) for the page/PDF.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from kopdig.lib.documents import xlsx_append
from kopdig.lib.formats import rupiah, tanggal

from . import statements


@dataclass
class Cell:
    value: object
    num: bool = False

    @property
    def text(self) -> str:
        if isinstance(self.value, Decimal):
            return rupiah(self.value, parens=True)
        if isinstance(self.value, dt.date):
            return tanggal(self.value, "dd/MM/y")
        return "" if self.value is None else str(self.value)


@dataclass
class TableRow:
    kind: str
    cells: list[Cell]


@dataclass
class Table:
    key: str
    title: str
    subtitle: str
    columns: list[str]
    num_columns: set[int] = field(default_factory=set)
    rows: list[TableRow] = field(default_factory=list)
    note: str = ""

    def add(self, kind: str, *values):
        self.rows.append(TableRow(kind, [Cell(v, num=i in self.num_columns) for i, v in enumerate(values)]))


def _period(start, end):
    return f"{tanggal(start)} – {tanggal(end)}"


def _compared(start, end, statement):
    return _("%(period)s, dibandingkan dengan periode yang sama tahun lalu (%(prev)s)") % {
        "period": _period(start, end),
        "prev": _period(statement["prev_start"], statement["prev_end"]),
    }


def _column_period(start, end):
    """A comparative column's period, short enough for a column head: '1 Jan – 4 Des 2026'."""
    if start.year == end.year:
        return f"{tanggal(start, 'd MMM')} – {tanggal(end, 'd MMM y')}"
    return f"{tanggal(start, 'd MMM y')} – {tanggal(end, 'd MMM y')}"


def trial_balance_table(coop, date) -> Table:
    tb = statements.trial_balance(coop, date)
    t = Table(
        "neraca-saldo",
        _("Neraca Saldo"),
        _("Per %(date)s") % {"date": tanggal(date)},
        [
            _("Kode"),
            _("Nama akun"),
            _("Mutasi debit"),
            _("Mutasi kredit"),
            _("Saldo debit"),
            _("Saldo kredit"),
            _("Saldo debit %(y)s") % {"y": tanggal(tb["prev_date"])},
            _("Saldo kredit %(y)s") % {"y": tanggal(tb["prev_date"])},
        ],
        num_columns={2, 3, 4, 5, 6, 7},
    )
    for r in tb["rows"]:
        t.add(
            "account",
            r["code"],
            r["name"],
            r["debit"],
            r["credit"],
            r["saldo_debit"],
            r["saldo_kredit"],
            r["prev_saldo_debit"],
            r["prev_saldo_kredit"],
        )
    tot = tb["totals"]
    t.add(
        "total",
        "",
        _("Jumlah"),
        *(
            tot.get(k, Decimal("0.00"))
            for k in (
                "debit",
                "credit",
                "saldo_debit",
                "saldo_kredit",
                "prev_saldo_debit",
                "prev_saldo_kredit",
            )
        ),
    )
    return t


def _section_rows(t: Table, section, total_label):
    t.add("head", "", section.title, None, None)
    for r in section.rows:
        if r.kind == "group":
            t.add("group", r.code, r.name, None, None)
        else:
            t.add(r.kind, r.code, r.name, r.amount, r.prev)
    t.add("total", "", total_label, section.total, section.prev_total)


def balance_sheet_table(coop, date) -> Table:
    bs = statements.balance_sheet(coop, date)
    t = Table(
        "posisi-keuangan",
        _("Laporan Posisi Keuangan"),
        _("Per %(date)s, dibandingkan dengan akhir tahun buku lalu %(prev)s")
        % {"date": tanggal(date), "prev": tanggal(bs["prev_date"])},
        [_("Kode"), _("Uraian"), tanggal(date), tanggal(bs["prev_date"])],
        num_columns={2, 3},
    )
    _section_rows(t, bs["assets"], _("JUMLAH ASET"))
    _section_rows(t, bs["liabilities"], _("JUMLAH KEWAJIBAN"))
    _section_rows(t, bs["equity"], _("JUMLAH EKUITAS"))
    t.add(
        "total",
        "",
        _("JUMLAH KEWAJIBAN DAN EKUITAS"),
        bs["total_liabilities_equity"],
        bs["prev_total_liabilities_equity"],
    )
    return t


def income_statement_table(coop, start, end) -> Table:
    pl = statements.income_statement(coop, start, end)
    t = Table(
        "hasil-usaha",
        _("Laporan Perhitungan Hasil Usaha"),
        _compared(start, end, pl),
        [
            _("Kode"),
            _("Uraian"),
            _column_period(start, end),
            _column_period(pl["prev_start"], pl["prev_end"]),
        ],
        num_columns={2, 3},
    )
    t.add("head", "", _("PENDAPATAN"), None, None)
    for sec in pl["revenue_sections"]:
        t.add("group", "", sec.title, None, None)
        for r in sec.rows:
            t.add("account", r.code, r.name, r.amount, r.prev)
        t.add("subtotal", "", _("Jumlah %(name)s") % {"name": sec.title.lower()}, sec.total, sec.prev_total)
    t.add("total", "", _("JUMLAH PENDAPATAN"), pl["revenue"], pl["prev_revenue"])
    t.add("head", "", _("BEBAN"), None, None)
    for r in pl["expenses"].rows:
        if r.kind == "group":
            t.add("group", r.code, r.name, None, None)
        else:
            t.add(r.kind, r.code, r.name, r.amount, r.prev)
    t.add("total", "", _("JUMLAH BEBAN"), pl["expenses"].total, pl["expenses"].prev_total)
    t.add("total", "", _("SHU SEBELUM PAJAK"), pl["shu_before_tax"], pl["prev_shu_before_tax"])
    for r in pl["tax"].rows:
        t.add("account", r.code, r.name, r.amount, r.prev)
    t.add("total", "", _("SISA HASIL USAHA (SHU)"), pl["shu"], pl["prev_shu"])
    return t


def equity_changes_table(coop, start, end) -> Table:
    ec = statements.equity_changes(coop, start, end)
    t = Table(
        "perubahan-ekuitas",
        _("Laporan Perubahan Ekuitas"),
        _compared(start, end, ec),
        [
            _("Kode"),
            _("Komponen ekuitas"),
            _("Saldo awal"),
            _("Penambahan"),
            _("Pengurangan"),
            _("Saldo akhir"),
        ],
        num_columns={2, 3, 4, 5},
    )
    for label, rows, totals in (
        (_period(start, end), ec["rows"], ec["totals"]),
        (_period(ec["prev_start"], ec["prev_end"]), ec["prev_rows"], ec["prev_totals"]),
    ):
        t.add("head", "", label, None, None, None, None)
        for r in rows:
            t.add("account", r["code"], r["name"], r["opening"], r["increase"], r["decrease"], r["closing"])
        t.add(
            "total",
            "",
            _("Jumlah ekuitas"),
            totals["opening"],
            totals["increase"],
            totals["decrease"],
            totals["closing"],
        )
    return t


def cash_flow_table(coop, start, end) -> Table:
    cf = statements.cash_flow(coop, start, end)
    t = Table(
        "arus-kas",
        _("Laporan Arus Kas (metode langsung)"),
        _compared(start, end, cf),
        [
            _("Kode"),
            _("Uraian"),
            _column_period(start, end),
            _column_period(cf["prev_start"], cf["prev_end"]),
        ],
        num_columns={2, 3},
    )
    for sec in cf["sections"]:
        t.add("head", "", sec.title, None, None)
        for r in sec.rows:
            t.add("account", r.code, r.name, r.amount, r.prev)
        t.add("subtotal", "", _("Arus kas bersih"), sec.total, sec.prev_total)
    t.add("total", "", _("KENAIKAN (PENURUNAN) BERSIH KAS"), cf["net"], cf["prev_net"])
    t.add("account", "", _("Kas dan setara kas awal periode"), cf["opening"], cf["prev_opening"])
    t.add("total", "", _("KAS DAN SETARA KAS AKHIR PERIODE"), cf["closing"], cf["prev_closing"])
    return t


def ledger_table(coop, data, title, key) -> Table:
    sub = _period(data["start"], data["end"])
    t = Table(
        key,
        title,
        sub,
        [_("Tanggal"), _("No. jurnal"), _("Akun"), _("Keterangan"), _("Debit"), _("Kredit"), _("Saldo")],
        num_columns={4, 5, 6},
    )
    t.add("group", None, "", "", _("Saldo awal"), None, None, data["carried"])
    for r in data["rows"]:
        t.add(
            "account",
            r["date"],
            r["number"],
            f"{r['account_code']} {r['account_name']}",
            r["memo"],
            r["debit"],
            r["credit"],
            r["balance"],
        )
    if not data["page"].has_next():
        t.add(
            "total",
            None,
            "",
            "",
            _("Jumlah mutasi / saldo akhir"),
            data["total_debit"],
            data["total_credit"],
            data["closing"],
        )
    return t


REPORTS = {
    # key: (title, kind) kind "date" takes ?date=, "period" takes ?start=&end=
    "neraca-saldo": (trial_balance_table, "date"),
    "posisi-keuangan": (balance_sheet_table, "date"),
    "hasil-usaha": (income_statement_table, "period"),
    "perubahan-ekuitas": (equity_changes_table, "period"),
    "arus-kas": (cash_flow_table, "period"),
}


def identity_lines(coop) -> list[str]:
    lines = [coop.name]
    if coop.badan_hukum_number:
        lines.append(_("Badan hukum: %(n)s") % {"n": coop.badan_hukum_number})
    place = ", ".join(str(p) for p in (coop.address, coop.kecamatan, coop.kabupaten) if p)
    if place:
        lines.append(place)
    if coop.npwp:
        lines.append(f"NPWP {coop.npwp}")
    return lines


def table_xlsx(coop, table: Table) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = table.title[:31]
    for i, line in enumerate(identity_lines(coop)):
        xlsx_append(ws, [line])  # the cooperative's name and address are user text
        if i == 0:
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True, size=13)
    xlsx_append(ws, [table.title])
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
    xlsx_append(ws, [table.subtitle])
    xlsx_append(ws, [])
    xlsx_append(ws, table.columns)
    for cell in ws[ws.max_row]:
        cell.font = Font(bold=True)
    for row in table.rows:
        xlsx_append(ws, [c.value for c in row.cells])
        for cell, c in zip(ws[ws.max_row], row.cells, strict=False):
            if isinstance(c.value, Decimal):
                cell.number_format = '"Rp" #,##0.00;("Rp" #,##0.00)'
            elif isinstance(c.value, dt.date):
                cell.number_format = "dd-mm-yyyy"
            if row.kind in ("total", "head", "group"):
                cell.font = Font(bold=True)
    widths = {0: 12, 1: 44}
    for idx, col in enumerate(ws.iter_cols(min_row=ws.max_row - len(table.rows), max_row=ws.max_row)):
        ws.column_dimensions[col[0].column_letter].width = widths.get(idx, 20)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
