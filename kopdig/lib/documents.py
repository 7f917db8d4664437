"""Document output: PDF (WeasyPrint) and Excel (openpyxl) responses."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.http import HttpResponse
from django.template.loader import render_to_string
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A CSV cell starting with one of these is read as a formula by spreadsheet programs.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value):
    """A CSV value that a spreadsheet program shows as text: user text starting with
    ``= + - @``, a tab or a carriage return gets a leading apostrophe (formula injection)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def xlsx_append(ws, values: Sequence) -> None:
    """Append a row; every str is written as a text cell (never a formula, whatever it starts
    with); Decimals stay exact numbers."""
    ws.append(list(values))
    for cell, value in zip(ws[ws.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = TYPE_STRING


def render_pdf(template_name: str, context: dict, request=None) -> bytes:
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    html = render_to_string(template_name, context, request=request)
    base_url = request.build_absolute_uri("/") if request else None
    return HTML(string=html, base_url=base_url).write_pdf()


def pdf_response(template_name: str, context: dict, filename: str, request=None) -> HttpResponse:
    response = HttpResponse(render_pdf(template_name, context, request), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def xlsx_bytes(sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence]]]) -> bytes:
    """Workbook from (title, header, rows). Decimals become numbers with a rupiah format; text
    stays text (``xlsx_append``)."""
    wb = Workbook()
    wb.remove(wb.active)
    for title, header, rows in sheets:
        ws = wb.create_sheet(title[:31])
        xlsx_append(ws, list(header))
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for row in rows:
            xlsx_append(ws, row)
            for cell, v in zip(ws[ws.max_row], row, strict=False):
                if isinstance(v, Decimal):
                    cell.number_format = "#,##0.00"
        for col in ws.columns:
            width = max(len(str(c.value or "")) for c in col)
            ws.column_dimensions[col[0].column_letter].width = min(max(10, width + 2), 60)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def xlsx_response(filename: str, sheets) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def read_xlsx_rows(fileobj) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (row number, {header: value}) for every non-empty row of the first sheet."""
    wb = load_workbook(fileobj, read_only=True, data_only=True)
    ws = wb.worksheets[0]
    rows = ws.iter_rows(values_only=True)
    header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
    out = []
    for number, values in enumerate(rows, start=2):
        if values is None or all(v in (None, "") for v in values):
            continue
        out.append((number, dict(zip(header, values, strict=False))))
    return header, out
