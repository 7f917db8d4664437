"""Ledger pages under /k/<slug>/buku/: chart of accounts, journal, manual entry with
maker-checker, reports (page, PDF, Excel), periods, opening balances, import and export.

Readers (pengurus, manajer, kasir, pengawas) and the Dinas (read-only) see the books; staff
post; pengurus/manajer approve, close periods and edit the chart; only pengurus reopen.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kopdig.api.idempotency import run_once
from kopdig.audit.models import AuditLog
from kopdig.lib import validation
from kopdig.lib.cells import cell_amount
from kopdig.lib.dates import month_end
from kopdig.lib.documents import UploadRefused, pdf_response, read_csv_rows, read_xlsx_rows
from kopdig.lib.errors import DomainError
from kopdig.lib.formats import tanggal
from kopdig.lib.money import ZERO
from kopdig.lib.tokens import form_token
from kopdig.tenancy.access import APPROVERS, BOARD, READERS, STAFF, check, coop_view

from . import actions, periods, reports, statements
from . import export as exp
from .forms import (
    AccountForm,
    DateForm,
    EntryHeaderForm,
    EntryLineFormSet,
    ImportForm,
    PeriodForm,
    RejectForm,
    ReopenForm,
    ThresholdForm,
    account_choices,
)
from .models import Account, AccountMonthBalance, JournalDraft, JournalEntry, LedgerSettings
from .posting import Line


def _today():
    return timezone.localdate()


def _url(name, request, *args):
    return reverse(f"ledger:{name}", args=[request.coop.slug, *args])


# --------------------------------------------------------------------------- chart of accounts


@coop_view(READERS, dinas_read=True)
def accounts(request):
    coop = request.coop
    form = None
    if request.access.has(APPROVERS):
        form = AccountForm(request.POST or None, cooperative=coop)
    if request.method == "POST":
        check(request.access, APPROVERS)
        op, code = request.POST.get("op"), request.POST.get("code", "")
        try:
            if op == "close":
                actions.account_close(actor=request.user, cooperative=coop, code=code)
                messages.success(request, _("Akun %(code)s ditutup.") % {"code": code})
                return redirect(_url("accounts", request))
            if op == "delete":
                actions.account_delete(actor=request.user, cooperative=coop, code=code)
                messages.success(request, _("Akun %(code)s dihapus.") % {"code": code})
                return redirect(_url("accounts", request))
            if form.is_valid():
                acc = actions.account_create(actor=request.user, cooperative=coop, **form.cleaned_data)
                messages.success(request, _("Akun %(code)s ditambahkan.") % {"code": acc.code})
                return redirect(_url("accounts", request))
        except DomainError as exc:
            messages.error(request, str(exc))
    rows = Account.objects.filter(cooperative=coop).order_by("code")
    balances = statements.net_movements(coop, end=_today())
    # An account has postings iff it has a month cache row (no scan of the lines).
    used = set(
        AccountMonthBalance.objects.filter(cooperative=coop).values_list("account_id", flat=True).distinct()
    )
    items = []
    for a in rows:
        d, c = balances.get(a.pk, (ZERO, ZERO))
        items.append(
            {
                "account": a,
                "balance": (d - c) * a.sign if not a.is_group else None,
                "used": a.pk in used,
                "depth": max(len(a.code) - 1, 0) if len(a.code) <= 2 else 2,
            }
        )
    return render(
        request,
        "ledger/accounts.html",
        {"items": items, "form": form, "can_edit": request.access.has(APPROVERS)},
    )


# --------------------------------------------------------------------------- journal


@coop_view(READERS, dinas_read=True)
def journal(request):
    coop = request.coop
    g = request.GET
    start = _parse_date(g.get("start"))
    end = _parse_date(g.get("end"))
    page = statements.entries_page(
        coop,
        start=start,
        end=end,
        search=g.get("q", "").strip(),
        source_type=g.get("source", ""),
        page=g.get("page"),
    )
    sources = (
        JournalEntry.objects.filter(cooperative=coop)
        .order_by("source_type")
        .values_list("source_type", flat=True)
        .distinct()
    )
    pending = JournalDraft.objects.filter(cooperative=coop, status=JournalDraft.Status.PENDING).count()
    return render(
        request,
        "ledger/journal.html",
        {
            "page": page,
            "sources": list(sources),
            "pending": pending,
            "can_post": request.access.has(STAFF),
            "filters": {
                "start": g.get("start", ""),
                "end": g.get("end", ""),
                "q": g.get("q", ""),
                "source": g.get("source", ""),
            },
        },
    )


@coop_view(READERS, dinas_read=True)
def entry_detail(request, number):
    coop = request.coop
    entry = (
        JournalEntry.objects.filter(cooperative=coop, number=number)
        .select_related("posted_by", "approved_by", "reversal_of")
        .first()
    )
    if entry is None:
        raise Http404
    if request.method == "POST":
        check(request.access, APPROVERS)
        try:
            rev = actions.journal_entry_reverse(
                actor=request.user,
                cooperative=coop,
                number=number,
                date=_parse_date(request.POST.get("date")) or _today(),
            )
            messages.success(
                request, _("Jurnal %(n)s dibalik dengan jurnal %(r)s.") % {"n": number, "r": rev.number}
            )
            return redirect(_url("entry", request, rev.number))
        except DomainError as exc:
            messages.error(request, str(exc))
    reversed_by = JournalEntry.objects.filter(reversal_of=entry).first()
    return render(
        request,
        "ledger/entry.html",
        {
            "entry": entry,
            "lines": entry.lines.select_related("account").order_by("id"),
            "reversed_by": reversed_by,
            "can_reverse": request.access.has(APPROVERS) and not reversed_by and not entry.reversal_of_id,
            "today": _today(),
        },
    )


@coop_view(STAFF)
def entry_new(request):
    coop = request.coop
    choices = account_choices(coop)
    n_rows = (
        min(max(int(request.GET.get("rows", 4) or 4), 2), 30) if request.GET.get("rows", "").isdigit() else 4
    )
    if request.method == "POST":
        header = EntryHeaderForm(request.POST)
        lines = EntryLineFormSet(request.POST, form_kwargs={"choices": choices})
        if header.is_valid() and lines.is_valid():
            filled = [f.cleaned_data for f in lines.forms if not f.is_blank()]
            line_objs = [
                Line(
                    d["account"],
                    debit=d.get("debit") or ZERO,
                    credit=d.get("credit") or ZERO,
                    memo=d.get("memo") or "",
                )
                for d in filled
            ]
            data = header.cleaned_data

            def do():
                result = actions.journal_manual_submit(
                    actor=request.user,
                    cooperative=coop,
                    date=data["date"],
                    memo=data["memo"],
                    lines=line_objs,
                )
                kind = "draft" if isinstance(result, JournalDraft) else "entry"
                return 201, {"kind": kind, "number": result.number}

            body = {
                "date": data["date"].isoformat(),
                "memo": data["memo"],
                "lines": [
                    [d["account"], str(d.get("debit") or 0), str(d.get("credit") or 0)] for d in filled
                ],
            }
            try:
                _status, payload = run_once(
                    user=request.user,
                    cooperative=coop,
                    endpoint="ui:ledger_entry_new",
                    key=data["token"],
                    body=body,
                    fn=do,
                )
            except DomainError as exc:
                messages.error(request, str(exc))
            else:
                if payload["kind"] == "draft":
                    messages.warning(
                        request,
                        _(
                            "Jumlah melebihi batas persetujuan: usulan %(n)s menunggu persetujuan "
                            "pengurus/manajer lain."
                        )
                        % {"n": payload["number"]},
                    )
                    return redirect(_url("draft", request, payload["number"]))
                messages.success(request, _("Jurnal %(n)s diposting.") % {"n": payload["number"]})
                return redirect(_url("entry", request, payload["number"]))
    else:
        header = EntryHeaderForm(initial={"date": _today(), "token": form_token()})
        lines = EntryLineFormSet(initial=[{} for _i in range(n_rows)], form_kwargs={"choices": choices})
    threshold = (
        LedgerSettings.objects.filter(cooperative=coop).values_list("approval_threshold", flat=True).first()
    )
    return render(
        request,
        "ledger/entry_new.html",
        {"header": header, "lines": lines, "threshold": threshold, "more_rows": len(lines.forms) + 2},
    )


@coop_view(READERS, dinas_read=True)
def drafts(request):
    qs = JournalDraft.objects.filter(cooperative=request.coop).select_related(
        "created_by", "decided_by", "entry"
    )
    return render(request, "ledger/drafts.html", {"drafts": qs[:200]})


@coop_view(READERS, dinas_read=True)
def draft_detail(request, number):
    coop = request.coop
    draft = (
        JournalDraft.objects.filter(cooperative=coop, number=number)
        .select_related("created_by", "decided_by", "entry")
        .first()
    )
    if draft is None:
        raise Http404
    reject_form = RejectForm(request.POST if request.POST.get("op") == "reject" else None)
    if request.method == "POST":
        check(request.access, APPROVERS)
        try:
            if request.POST.get("op") == "approve":
                entry = actions.journal_draft_approve(actor=request.user, cooperative=coop, number=number)
                messages.success(
                    request, _("Disetujui dan diposting sebagai jurnal %(n)s.") % {"n": entry.number}
                )
                return redirect(_url("entry", request, entry.number))
            if reject_form.is_valid():
                actions.journal_draft_reject(
                    actor=request.user,
                    cooperative=coop,
                    number=number,
                    reason=reject_form.cleaned_data["reason"],
                )
                messages.success(request, _("Usulan ditolak."))
                return redirect(_url("draft", request, number))
        except DomainError as exc:
            messages.error(request, str(exc))
    can_decide = (
        request.access.has(APPROVERS)
        and draft.status == JournalDraft.Status.PENDING
        and draft.created_by_id != request.user.pk
    )
    return render(
        request,
        "ledger/draft.html",
        {
            "draft": draft,
            "lines": draft.lines.select_related("account"),
            "can_decide": can_decide,
            "reject_form": reject_form,
        },
    )


# --------------------------------------------------------------------------- reports


def _parse_date(value):
    """A date from the query string, or None when it is missing, malformed or outside
    lib.validation's query range (1900-01-01 .. 2100-12-31)."""
    if not value:
        return None
    try:
        return validation.query_date(dt.date.fromisoformat(str(value)), "tanggal")
    except ValueError:
        return None


def _report_response(request, table, extra=None):
    fmt = request.GET.get("format", "")
    coop = request.coop
    filename = f"{coop.slug}-{table.key}"
    if fmt == "pdf":
        return pdf_response(
            "ledger/report_pdf.html",
            {
                "table": table,
                "coop": coop,
                "identity": reports.identity_lines(coop),
                "printed_at": timezone.localtime(),
            },
            f"{filename}.pdf",
            request,
        )
    if fmt == "xlsx":
        resp = HttpResponse(
            reports.table_xlsx(coop, table),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        resp["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
        return resp
    ctx = {"table": table, "identity": reports.identity_lines(coop)}
    ctx.update(extra or {})
    return render(request, "ledger/report.html", ctx)


REPORT_TITLES = {
    "neraca-saldo": gettext_lazy("Neraca Saldo"),
    "posisi-keuangan": gettext_lazy("Laporan Posisi Keuangan"),
    "hasil-usaha": gettext_lazy("Laporan Perhitungan Hasil Usaha"),
    "perubahan-ekuitas": gettext_lazy("Laporan Perubahan Ekuitas"),
    "arus-kas": gettext_lazy("Laporan Arus Kas (metode langsung)"),
}


@coop_view(READERS, dinas_read=True)
def reports_index(request):
    links = [(_url("report", request, key), title) for key, title in REPORT_TITLES.items()]
    links += [(_url("general_ledger", request), _("Buku Besar")), (_url("cash_book", request), _("Buku Kas"))]
    return render(request, "ledger/reports_index.html", {"links": links})


@coop_view(READERS, dinas_read=True)
def report(request, key):
    if key not in reports.REPORTS:
        raise Http404
    fn, kind = reports.REPORTS[key]
    today = _today()
    if kind == "date":
        form = DateForm(request.GET or None, initial={"date": today})
        date = form.cleaned_data["date"] if form.is_valid() else today
        table = fn(request.coop, date)
    else:
        book_start = statements.year_start(today, request.coop)
        form = PeriodForm(request.GET or None, initial={"start": book_start, "end": today})
        if form.is_valid():
            start, end = form.cleaned_data["start"], form.cleaned_data["end"]
        else:
            start, end = book_start, today
        table = fn(request.coop, start, end)
    return _report_response(request, table, {"form": form, "report_key": key})


def _ledger_period(request):
    today = _today()
    form = PeriodForm(
        request.GET if "start" in request.GET else None,
        initial={"start": dt.date(today.year, today.month, 1), "end": today},
    )
    if form.is_valid():
        return form, form.cleaned_data["start"], form.cleaned_data["end"]
    return form, dt.date(today.year, today.month, 1), today


PDF_MAX_ROWS = 5_000
XLSX_MAX_ROWS = 500_000


def _export_rows(request):
    return PDF_MAX_ROWS if request.GET.get("format") == "pdf" else XLSX_MAX_ROWS


def _too_long_for_pdf(request):
    """A ledger too long for one document: ask for a shorter period (nothing is cut silently)."""
    messages.error(request, _("Terlalu banyak baris untuk satu dokumen. Pilih periode yang lebih pendek."))
    params = request.GET.copy()
    params.pop("format", None)
    return redirect(f"{request.path}?{params.urlencode()}")


@coop_view(READERS, dinas_read=True)
def general_ledger(request):
    coop = request.coop
    form, start, end = _ledger_period(request)
    accounts_ = Account.objects.filter(cooperative=coop, is_group=False).order_by("code")
    code = request.GET.get("account") or (accounts_.first().code if accounts_.exists() else None)
    account = accounts_.filter(code=code).first()
    if account is None:
        raise Http404
    export = request.GET.get("format") in ("pdf", "xlsx")
    data = statements.general_ledger(
        coop,
        account,
        start,
        end,
        page=1 if export else request.GET.get("page"),
        per_page=_export_rows(request) if export else 50,
    )
    if export and data["page"].has_next():
        return _too_long_for_pdf(request)
    table = reports.ledger_table(
        coop,
        data,
        _("Buku Besar %(code)s %(name)s") % {"code": account.code, "name": account.name},
        f"buku-besar-{account.code}",
    )
    return _report_response(
        request,
        table,
        {
            "form": form,
            "page": data["page"],
            "accounts": accounts_,
            "account": account,
            "ledger_view": "general_ledger",
        },
    )


@coop_view(READERS, dinas_read=True)
def cash_book(request):
    coop = request.coop
    form, start, end = _ledger_period(request)
    cash_accounts = Account.objects.filter(cooperative=coop, is_cash=True, is_group=False).order_by("code")
    account = (
        cash_accounts.filter(code=request.GET.get("account")).first() if request.GET.get("account") else None
    )
    export = request.GET.get("format") in ("pdf", "xlsx")
    data = statements.cash_book(
        coop,
        start,
        end,
        account=account,
        page=1 if export else request.GET.get("page"),
        per_page=_export_rows(request) if export else 50,
    )
    if export and data["page"].has_next():
        return _too_long_for_pdf(request)
    title = _("Buku Kas") + (f" {account.code} {account.name}" if account else "")
    table = reports.ledger_table(coop, data, title, "buku-kas")
    return _report_response(
        request,
        table,
        {
            "form": form,
            "page": data["page"],
            "accounts": cash_accounts,
            "account": account,
            "all_cash": True,
            "ledger_view": "cash_book",
        },
    )


# --------------------------------------------------------------------------- periods


@coop_view(READERS, dinas_read=True)
def period_list(request):
    coop = request.coop
    closed = periods.closed_through(coop)
    reopen_form = ReopenForm(request.POST if request.POST.get("op") == "reopen" else None)
    threshold_form = ThresholdForm(
        request.POST if request.POST.get("op") == "threshold" else None,
        initial={
            "approval_threshold": LedgerSettings.objects.filter(cooperative=coop)
            .values_list("approval_threshold", flat=True)
            .first()
        },
    )
    if request.method == "POST":
        try:
            if request.POST.get("op") == "threshold":
                check(request.access, BOARD)
                if threshold_form.is_valid():
                    actions.ledger_settings_update(
                        actor=request.user,
                        cooperative=coop,
                        approval_threshold=threshold_form.cleaned_data["approval_threshold"],
                    )
                    messages.success(request, _("Pengaturan disimpan."))
                    return redirect(_url("periods", request))
                raise ValueError
            if request.POST.get("op") == "close":
                check(request.access, APPROVERS)
                year, month = (int(x) for x in request.POST.get("month", "0-0").split("-"))
                end = actions.period_close_month(actor=request.user, cooperative=coop, year=year, month=month)
                messages.success(request, _("Buku ditutup sampai %(d)s.") % {"d": tanggal(end)})
                return redirect(_url("periods", request))
            check(request.access, BOARD)
            if reopen_form.is_valid():
                year, month = (int(x) for x in reopen_form.cleaned_data["month"].split("-"))
                actions.period_reopen(
                    actor=request.user,
                    cooperative=coop,
                    year=year,
                    month=month,
                    reason=reopen_form.cleaned_data["reason"],
                )
                messages.success(request, _("Periode dibuka kembali."))
                return redirect(_url("periods", request))
        except (ValueError, TypeError):
            messages.error(request, _("Bulan tidak valid."))
        except DomainError as exc:
            messages.error(request, str(exc))
    if closed:
        nxt = closed + dt.timedelta(days=1)
    else:
        first = (
            JournalEntry.objects.filter(cooperative=coop)
            .order_by("date")
            .values_list("date", flat=True)
            .first()
        )
        nxt = first or _today()
    next_month = f"{nxt.year}-{nxt.month:02d}"
    can_close = month_end(nxt) < _today()

    history = (
        AuditLog.objects.filter(
            cooperative=coop, action__in=["period_close", "period_reopen", "ledger_settings_update"]
        )
        .select_related("actor")
        .order_by("-id")[:30]
    )
    return render(
        request,
        "ledger/periods.html",
        {
            "closed": closed,
            "next_month": next_month,
            "next_date": nxt,
            "can_close": can_close,
            "may_close": request.access.has(APPROVERS),
            "may_reopen": request.access.has(BOARD) and closed,
            "reopen_form": reopen_form,
            "history": history,
            "threshold_form": threshold_form,
            "may_configure": request.access.has(BOARD),
        },
    )


# --------------------------------------------------------------------------- opening balances and import


@coop_view(APPROVERS)
def opening(request):
    coop = request.coop
    accs = list(Account.objects.filter(cooperative=coop, is_group=False, closed=False).order_by("code"))
    errors = {}
    values = {}
    date = _parse_date(request.POST.get("date")) if request.method == "POST" else None
    if request.method == "POST":
        amounts = {}
        for acc in accs:
            raw = (request.POST.get(f"a-{acc.code}") or "").strip()
            values[acc.code] = raw
            if not raw:
                continue
            try:
                amount = cell_amount(raw)
            except ValueError:
                errors[acc.code] = _("bukan angka")
                continue
            if amount == 0:
                continue
            # Amounts are entered on the account's normal side; a negative amount goes to the other side.
            debit_side = (amount > 0) == (acc.normal_side == Account.Side.DEBIT)
            amounts[acc.code] = (abs(amount), ZERO) if debit_side else (ZERO, abs(amount))
        if date is None:
            messages.error(request, _("Tanggal saldo awal wajib diisi."))
        elif not errors:
            try:
                entry = actions.opening_balance_post(
                    actor=request.user, cooperative=coop, date=date, amounts=amounts
                )
                messages.success(
                    request, _("Saldo awal diposting sebagai jurnal %(n)s.") % {"n": entry.number}
                )
                return redirect(_url("entry", request, entry.number))
            except DomainError as exc:
                messages.error(request, str(exc))
    existing = JournalEntry.objects.filter(cooperative=coop, source_type="opening").order_by("-id").first()
    rows = [{"account": a, "value": values.get(a.code, ""), "error": errors.get(a.code)} for a in accs]
    return render(
        request,
        "ledger/opening.html",
        {"rows": rows, "existing": existing, "date": date or dt.date(_today().year, 1, 1)},
    )


def _read_upload(upload):
    if (upload.name or "").lower().endswith(".csv"):
        return read_csv_rows(upload)
    _header, rows = read_xlsx_rows(upload)
    return rows


@coop_view(APPROVERS)
def journal_import(request):
    coop = request.coop
    form = ImportForm(request.POST or None, request.FILES or None, initial={"token": form_token()})
    row_errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        digest = hashlib.sha256(upload.read()).hexdigest()
        upload.seek(0)
        try:
            rows = _read_upload(upload)
        except UploadRefused as exc:
            messages.error(request, str(exc))
        except Exception:
            messages.error(
                request, _("Berkas tidak dapat dibaca. Gunakan .xlsx atau .csv dengan kolom yang diminta.")
            )
        else:

            def do():
                entries = actions.journal_import(actor=request.user, cooperative=coop, rows=rows)
                return 201, {"count": len(entries)}

            try:
                # The one-time form token makes a double submit import the file once.
                _status, payload = run_once(
                    user=request.user,
                    cooperative=coop,
                    endpoint="ui:ledger_import",
                    key=form.cleaned_data["token"],
                    body={"sha256": digest},
                    fn=do,
                )
                messages.success(request, _("%(n)s jurnal diimpor dan diposting.") % {"n": payload["count"]})
                return redirect(_url("journal", request))
            except actions.ImportRejected as exc:
                row_errors = exc.errors
                messages.error(request, str(exc))
            except DomainError as exc:
                messages.error(request, str(exc))
    return render(
        request,
        "ledger/import.html",
        {"form": form, "row_errors": row_errors, "columns": actions.IMPORT_COLUMNS},
    )


# --------------------------------------------------------------------------- export


@coop_view(READERS, dinas_read=True)
def export(request):
    fmt = request.GET.get("format")
    coop = request.coop
    if fmt in exp.FORMATS:
        content_type, ext, fn = exp.FORMATS[fmt]
        resp = StreamingHttpResponse(fn(coop), content_type=content_type)
        resp["Content-Disposition"] = f'attachment; filename="{coop.slug}-jurnal.{ext}"'
        return resp
    return render(request, "ledger/export.html", {"formats": exp.FORMATS})
