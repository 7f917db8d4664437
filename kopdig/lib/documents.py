"""Document output: PDF (WeasyPrint) and Excel (openpyxl) responses."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from django.conf import settings
from django.http import HttpResponse
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Font

from .errors import DomainError

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


class UploadRefused(DomainError, ValueError):
    """An uploaded spreadsheet refused before any row is read or written (its message says why)."""


class TooManyRows(UploadRefused):
    """A spreadsheet with more data rows than allowed (reading stopped there)."""

    def __init__(self, limit: int):
        super().__init__(f"Berkas berisi lebih dari {limit} baris data; bagi menjadi beberapa berkas.")
        self.limit = limit


class TooLarge(UploadRefused):
    """An uploaded file larger than ``settings.KOPDIG_IMPORT_MAX_BYTES``."""

    def __init__(self, limit: int):
        super().__init__(f"Berkas terlalu besar: paling besar {filesizeformat(limit)}.")
        self.limit = limit


def check_upload_size(fileobj) -> None:
    """Refuse an upload above ``settings.KOPDIG_IMPORT_MAX_BYTES`` (an object without ``size``,
    such as an open file of our own storage, passes)."""
    limit = settings.KOPDIG_IMPORT_MAX_BYTES
    size = getattr(fileobj, "size", None)
    if size is not None and size > limit:
        raise TooLarge(limit)


def read_xlsx_rows(fileobj, *, max_rows: int | None = None) -> tuple[list[str], list[tuple[int, dict]]]:
    """Header and (row number, {header: value}) for every non-empty row of the first sheet,
    streamed (openpyxl read-only). Refused (``UploadRefused``, nothing read): a file above
    ``settings.KOPDIG_IMPORT_MAX_BYTES``; more than ``max_rows`` data rows (default
    ``settings.KOPDIG_IMPORT_MAX_ROWS``), as soon as the next one is read, or as many empty rows
    again (a sheet of styled but empty rows is not read to its end)."""
    max_rows = settings.KOPDIG_IMPORT_MAX_ROWS if max_rows is None else max_rows
    check_upload_size(fileobj)
    wb = load_workbook(fileobj, read_only=True, data_only=True)
    try:
        rows = wb.worksheets[0].iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, [])]
        out = []
        for number, values in enumerate(rows, start=2):
            if number > 2 * max_rows + 1:
                raise TooManyRows(max_rows)
            if values is None or all(v in (None, "") for v in values):
                continue
            if len(out) >= max_rows:
                raise TooManyRows(max_rows)
            out.append((number, dict(zip(header, values, strict=False))))
        return header, out
    finally:
        wb.close()


def read_csv_rows(fileobj, *, max_rows: int | None = None) -> list[tuple[int, dict]]:
    """(row number, {header: value}) for every non-empty row of a UTF-8 CSV (``;`` or ``,``),
    with the same refusals as ``read_xlsx_rows``."""
    max_rows = settings.KOPDIG_IMPORT_MAX_ROWS if max_rows is None else max_rows
    check_upload_size(fileobj)
    text = fileobj.read().decode("utf-8-sig")
    sample = text[:2048]
    reader = csv.DictReader(
        io.StringIO(text), delimiter=";" if sample.count(";") > sample.count(",") else ","
    )
    out = []
    for row in reader:
        number = reader.line_num  # the line in the file (a blank line is skipped, not counted)
        if not any((v or "").strip() for v in row.values() if isinstance(v, str)):
            continue
        if len(out) >= max_rows:
            raise TooManyRows(max_rows)
        out.append((number, row))
    return out


def shown_errors(errors: Sequence) -> tuple[list, int]:
    """The first ``settings.KOPDIG_IMPORT_MAX_ERRORS_SHOWN`` row errors and how many are left
    out (an import page stays small whatever the file holds)."""
    limit = settings.KOPDIG_IMPORT_MAX_ERRORS_SHOWN
    return list(errors[:limit]), max(0, len(errors) - limit)
