"""Savings pages under /k/<slug>/simpanan/ and the member's own pages under /k/<slug>/saya/simpanan/."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.api.idempotency import run_once
from kopdig.lib.documents import UploadRefused, pdf_response, read_xlsx_rows, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.lib.tokens import form_token
from kopdig.members import selectors as member_selectors
from kopdig.tenancy.access import APPROVERS, READERS, STAFF, coop_view

from . import actions, runs, selectors
from .forms import DateForm, PayrollForm, ProductForm, RunForm, TellerForm, TimeDepositForm
from .models import Receipt, Run, SavingsProduct
from .tasks import savings_run_task

MEMBER_READ = READERS | {"anggota"}


# --- teller -------------------------------------------------------------------------------


@coop_view(STAFF)
def teller(request):
    """Find the member (HTMX search as you type), then pick the account on the member's page."""
    return render(request, "savings/teller.html", {"q": request.GET.get("q", "")})


def _post_teller(request, member, d):
    coop, user = request.coop, request.user
    body = {k: str(v) for k, v in d.items()}

    def go():
        kw = {"actor": user, "cooperative": coop, "amount": d["amount"], "date": d["date"], "memo": d["memo"]}
        if d["type"] == "deposit":
            receipt = actions.savings_deposit(account=d["account"], **kw)
        elif d["type"] == "withdrawal":
            receipt = actions.savings_withdraw(account=d["account"], **kw)
        else:
            receipt = actions.savings_transfer(source=d["account"], target=d["target"], **kw)
        return 201, {"receipt": receipt.number}

    _s, payload = run_once(
        user=user, cooperative=coop, endpoint="ui:savings-tx", key=d["token"], body=body, fn=go
    )
    return payload["receipt"]


@coop_view(STAFF)
def teller_member(request, number):
    """Choose account, type and amount; a confirmation step; then post once (one-time token)."""
    member = member_selectors.member_get(request.coop, number)
    if member is None:
        raise Http404
    accounts = [a for a in selectors.accounts_of_member(request.coop, member) if a.status == "aktif"]
    form = TellerForm(
        request.POST or None,
        accounts=accounts,
        initial={
            "date": timezone.localdate(),
            "token": form_token(),
            "type": "deposit",
            "account": selectors.teller_default_account(request.coop, member, accounts),
        },
    )
    confirm = None
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        if request.POST.get("confirm") == "1":
            try:
                receipt = _post_teller(request, member, d)
                messages.success(request, _("Transaksi tercatat: %(n)s") % {"n": receipt})
                return redirect("savings:receipt", request.coop.slug, receipt)
            except DomainError as exc:
                form.add_error(None, str(exc))
        else:
            by_number = {a.number: a for a in accounts}
            confirm = {
                "account": by_number.get(d["account"]),
                "target": by_number.get(d.get("target")),
                "type": dict(TellerForm.TYPES)[d["type"]],
                "amount": d["amount"],
                "date": d["date"],
                "memo": d["memo"],
            }
    td_form = None
    if request.coop.savings_products.filter(kind="berjangka", active=True).exists():
        td_form = TimeDepositForm(
            cooperative=request.coop, initial={"date": timezone.localdate(), "token": form_token()}
        )
    return render(
        request,
        "savings/teller_member.html",
        {
            "m": member,
            "accounts": accounts,
            "form": form,
            "confirm": confirm,
            "td_form": td_form,
            "summary": selectors.member_summary(request.coop, member),
            "can_open": not any(a.kind == "sukarela" for a in accounts)
            and member.status in ("aktif", "calon"),
        },
    )


@coop_view(STAFF)
@require_POST
def open_sukarela(request, number):
    member = member_selectors.member_get(request.coop, number)
    if member is None:
        raise Http404
    product = request.coop.savings_products.filter(kind="sukarela", active=True).order_by("code").first()
    try:
        if product is None:
            raise actions.SavingsError(_("Belum ada produk simpanan sukarela."))
        acc = actions.savings_account_open(
            actor=request.user,
            cooperative=request.coop,
            member_number=member.number,
            product_code=product.code,
        )
        messages.success(request, _("Rekening %(n)s dibuka.") % {"n": acc.number})
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("savings:teller_member", request.coop.slug, member.number)


@coop_view(STAFF)
@require_POST
def time_deposit_open(request, number):
    member = member_selectors.member_get(request.coop, number)
    if member is None:
        raise Http404
    form = TimeDepositForm(request.POST, cooperative=request.coop)
    if form.is_valid():
        d = form.cleaned_data

        def go():
            r = actions.savings_time_deposit_open(
                actor=request.user,
                cooperative=request.coop,
                member_number=member.number,
                product_code=d["product"].code,
                amount=d["amount"],
                date=d["date"],
            )
            return 201, {"receipt": r.number}

        try:
            _s, payload = run_once(
                user=request.user,
                cooperative=request.coop,
                endpoint="ui:savings-td",
                key=d["token"],
                body=request.POST.dict(),
                fn=go,
            )
            return redirect("savings:receipt", request.coop.slug, payload["receipt"])
        except DomainError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Isian simpanan berjangka tidak lengkap."))
    return redirect("savings:teller_member", request.coop.slug, member.number)


@coop_view(APPROVERS)
@require_POST
def time_deposit_break(request, number):
    """Early withdrawal of a simpanan berjangka (penalty per the product)."""
    acc = _account_or_404(request, number)
    try:
        r = actions.savings_time_deposit_break(
            actor=request.user, cooperative=request.coop, account=acc.number
        )
        return redirect("savings:receipt", request.coop.slug, r.number)
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("savings:passbook", request.coop.slug, acc.number)


# --- receipts and passbooks -----------------------------------------------------------------


def _receipt_or_404(request, number) -> Receipt:
    r = (
        Receipt.objects.select_related("member", "cashier", "entry")
        .filter(cooperative=request.coop, number=number)
        .first()
    )
    if r is None or (
        request.access.role == "anggota" and (r.member is None or r.member.user_id != request.user.pk)
    ):
        raise Http404
    return r


@coop_view(MEMBER_READ, dinas_read=True)
def receipt(request, number):
    r = _receipt_or_404(request, number)
    txs = r.transactions.select_related("account__product").order_by("id")
    ctx = {"r": r, "txs": txs, "coop": request.coop, "lines": selectors.receipt_lines(request.coop, r)}
    if request.GET.get("pdf"):
        return pdf_response("savings/receipt_pdf.html", ctx, f"{r.number}.pdf", request)
    return render(request, "savings/receipt.html", ctx)


def _account_or_404(request, number):
    acc = selectors.account_get(request.coop, number)
    if acc is None or (request.access.role == "anggota" and acc.member.user_id != request.user.pk):
        raise Http404
    return acc


def _dates(request):
    form = DateForm({"date": request.GET.get("start")}) if request.GET.get("start") else None
    start = form.cleaned_data["date"] if form and form.is_valid() else None
    form = DateForm({"date": request.GET.get("end")}) if request.GET.get("end") else None
    end = form.cleaned_data["date"] if form and form.is_valid() else None
    return start, end


@coop_view(MEMBER_READ, dinas_read=True)
def passbook(request, number):
    """Buku simpanan: every movement with the running balance (page and PDF)."""
    acc = _account_or_404(request, number)
    start, end = _dates(request)
    opening, rows = selectors.passbook(acc, start=start, end=end)
    ctx = {
        "a": acc,
        "opening": opening,
        "rows": rows,
        "start": start,
        "end": end,
        "coop": request.coop,
        "closing": rows[-1].running if rows else opening,
        "can_break": acc.kind == "berjangka" and acc.status == "aktif" and request.access.has(APPROVERS),
    }
    if request.GET.get("pdf"):
        return pdf_response("savings/passbook_pdf.html", ctx, f"buku-simpanan-{acc.number}.pdf", request)
    return render(request, "savings/passbook.html", ctx)


@coop_view({"anggota"})
def my_savings(request):
    """The member's own balances, accounts, arrears and receipts."""
    member = member_selectors.own_member(request.coop, request.user)
    if member is None:
        raise Http404
    return render(
        request,
        "savings/my.html",
        {
            "m": member,
            "summary": selectors.member_summary(request.coop, member),
            "accounts": selectors.accounts_of_member(request.coop, member),
            "dues": selectors.open_dues(request.coop, member),
        },
    )


# --- products -------------------------------------------------------------------------------


@coop_view(READERS, dinas_read=True)
def products(request):
    return render(
        request,
        "savings/products.html",
        {"products": selectors.products(request.coop), "can_edit": request.access.has(APPROVERS)},
    )


@coop_view(APPROVERS)
@require_POST
def products_setup(request):
    try:
        actions.savings_products_setup(actor=request.user, cooperative=request.coop)
        messages.success(request, _("Produk simpanan bawaan sudah tersedia."))
    except DomainError as exc:
        messages.error(request, str(exc))
    return redirect("savings:products", request.coop.slug)


@coop_view(APPROVERS)
def product_edit(request, code):
    product = SavingsProduct.objects.filter(cooperative=request.coop, code=code).first()
    if product is None:
        raise Http404
    form = ProductForm(request.POST or None, instance=SavingsProduct.objects.get(pk=product.pk))
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "class_amounts_text"}
        if "class_amounts_text" in form.cleaned_data:
            fields["class_amounts"] = form.cleaned_data["class_amounts_text"]
        try:
            actions.savings_product_update(actor=request.user, cooperative=request.coop, code=code, **fields)
            messages.success(request, _("Produk disimpan."))
            return redirect("savings:products", request.coop.slug)
        except DomainError as exc:
            form.add_error(None, str(exc))
    return render(request, "savings/product_form.html", {"form": form, "p": product})


# --- monthly runs -----------------------------------------------------------------------------


@coop_view(READERS, dinas_read=True)
def run_list(request):
    form = None
    if request.method == "POST" and not request.access.has(APPROVERS):
        raise PermissionDenied
    if request.access.has(APPROVERS):
        last = timezone.localdate().replace(day=1) - dt.timedelta(days=1)
        form = RunForm(request.POST or None, initial={"period": f"{last:%Y-%m}", "kind": "billing"})
        if request.method == "POST" and form.is_valid():
            try:
                period = runs.parse_period(form.cleaned_data["period"])
                run = actions.savings_run_claim(
                    actor=request.user,
                    cooperative=request.coop,
                    kind=form.cleaned_data["kind"],
                    period=period,
                )
                if run.status == Run.Status.DONE:
                    messages.info(request, _("Proses bulan ini sudah selesai; tidak ada yang diubah."))
                else:
                    savings_run_task.enqueue(run.pk, request.user.pk)
                    messages.success(request, _("Proses dijalankan di latar belakang."))
                return redirect("savings:runs", request.coop.slug)
            except DomainError as exc:
                form.add_error(None, str(exc))
    ctx = {"runs": selectors.runs(request.coop), "form": form}
    if request.htmx:
        return render(request, "savings/_run_rows.html", ctx)
    return render(request, "savings/runs.html", ctx)


@coop_view(STAFF)
def payroll(request):
    form = PayrollForm(
        request.POST or None,
        request.FILES or None,
        initial={"date": timezone.localdate(), "token": form_token()},
    )
    errors = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            _h, rows = read_xlsx_rows(d["file"])
        except UploadRefused as exc:
            rows = None
            form.add_error("file", str(exc))
        except Exception:  # not a workbook: openpyxl raises several kinds
            rows = None
            form.add_error("file", _("Berkas bukan file Excel (.xlsx) yang valid."))
        if rows is not None:

            def go():
                r = actions.savings_payroll_import(
                    actor=request.user,
                    cooperative=request.coop,
                    rows=rows,
                    date=d["date"],
                    employer=d["employer"],
                    cash_account=d["cash_account"],
                )
                return 201, {"receipt": r.number}

            try:
                _s, payload = run_once(
                    user=request.user,
                    cooperative=request.coop,
                    endpoint="ui:savings-payroll",
                    key=d["token"],
                    body={"token": d["token"]},
                    fn=go,
                )
                messages.success(request, _("Potong gaji tercatat."))
                return redirect("savings:receipt", request.coop.slug, payload["receipt"])
            except actions.PayrollRowError as exc:
                errors = exc.errors
                form.add_error(None, str(exc))
            except DomainError as exc:
                form.add_error(None, str(exc))
    if request.GET.get("template"):
        return xlsx_response(
            "template-potong-gaji.xlsx", [("Potong gaji", ["no_anggota", "jumlah"], [["00001", 25000]])]
        )
    return render(request, "savings/payroll.html", {"form": form, "errors": errors})


# --- reports --------------------------------------------------------------------------------


@coop_view(READERS, dinas_read=True)
def reports(request):
    """Balances per product and per member at a date, arrears list, the cashier's daily cash report."""
    tab = request.GET.get("tab", "produk")
    form = DateForm(request.GET or None)
    date = (form.cleaned_data.get("date") if form.is_valid() else None) or timezone.localdate()
    ctx = {"tab": tab, "date": date, "form": form}
    xlsx = request.GET.get("format") == "xlsx"
    if tab == "produk":
        rows = selectors.balances_by_product(request.coop, date=date)
        if xlsx:
            return xlsx_response(
                f"saldo-simpanan-{date}.xlsx",
                [("Saldo per produk", ["Produk", "Rekening", "Saldo"], [(p.name, n, s) for p, n, s in rows])],
            )
        ctx.update(rows=rows, total=sum((s for _p, _n, s in rows), start=0))
    elif tab == "anggota":
        qs = selectors.balances_by_member(request.coop, date=date, search=request.GET.get("q", ""))
        if xlsx:
            return xlsx_response(
                f"saldo-anggota-{date}.xlsx",
                [
                    (
                        "Saldo per anggota",
                        ["No. anggota", "Nama", "Pokok", "Wajib", "Sukarela", "Berjangka"],
                        (
                            (m.number, m.name, m.pokok or 0, m.wajib or 0, m.sukarela or 0, m.berjangka or 0)
                            for m in qs
                        ),
                    )
                ],
            )
        ctx["page"] = Paginator(qs, 50).get_page(request.GET.get("page"))
    elif tab == "tunggakan":
        qs = selectors.arrears_list(request.coop)
        if xlsx:
            return xlsx_response(
                "tunggakan-wajib.xlsx",
                [
                    (
                        "Tunggakan",
                        ["No. anggota", "Nama", "Bulan", "Jumlah"],
                        ((m.number, m.name, m.months, m.amount) for m in qs),
                    )
                ],
            )
        ctx["page"] = Paginator(qs, 50).get_page(request.GET.get("page"))
    else:
        ctx["tab"] = "kas"
        ctx["cash"] = selectors.daily_cash(
            request.coop, date=date, cashier=request.user if request.GET.get("mine") else None
        )
    return render(request, "savings/reports.html", ctx)


# --- widgets --------------------------------------------------------------------------------


def coop_widget(cooperative, access):
    if access.dinas or access.role == "anggota":
        return None
    return {
        "title": _("Anggota dan simpanan"),
        "template": "savings/widget_coop.html",
        "context": selectors.totals(cooperative),
    }


def member_widget(cooperative, user):
    member = member_selectors.own_member(cooperative, user)
    if member is None:
        return None
    return {
        "title": _("Simpanan saya"),
        "template": "savings/widget_member.html",
        "context": {"m": member, **selectors.member_summary(cooperative, member)},
    }
