"""Loan pages under /k/<slug>/pinjaman/. Views validate and call one action; they never save models."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kopdig.api.idempotency import run_once
from kopdig.lib.documents import pdf_response
from kopdig.lib.errors import DomainError
from kopdig.members.models import Member
from kopdig.tenancy.access import ALL_COOP, APPROVERS, BOARD, READERS, STAFF, coop_view

from . import actions, policy, schedule, selectors
from .actions import PRODUCT_FIELDS
from .arrears import required_reserve
from .forms import (
    ApplyForm,
    DateForm,
    DisburseForm,
    NotesForm,
    PreviewForm,
    ProductForm,
    ReasonForm,
    RecoverForm,
    RepayForm,
    ReverseForm,
    SettingsForm,
)
from .models import ArrearsRun, Kolektibilitas, Loan, LoanProduct, LoanSettings
from .tasks import arrears_run_task

MEMBER_READ = READERS | {"anggota"}


def _loan_or_404(request, number):
    loan = selectors.loan_get(request.coop, number)
    if loan is None:
        raise Http404
    if request.access.role == "anggota" and loan.member.user_id != request.user.pk:
        raise Http404
    return loan


def _detail_url(request, loan):
    return reverse("loans:detail", args=[request.coop.slug, loan.number])


# ---------------------------------------------------------------- lists and details


@coop_view(READERS, dinas_read=True)
def loan_list(request):
    status = request.GET.get("status", "")
    kol = request.GET.get("kolektibilitas", "")
    search = request.GET.get("q", "").strip()
    qs = selectors.loan_list(request.coop, status=status, kolektibilitas=kol, search=search)
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "loans/list.html",
        {
            "page": page,
            "statuses": Loan.Status.choices,
            "kols": Kolektibilitas.choices,
            "status": status,
            "kol": kol,
            "q": search,
            "can_apply": request.access.has(STAFF),
        },
    )


@coop_view(MEMBER_READ, dinas_read=True)
def loan_detail(request, number):
    loan = _loan_or_404(request, number)
    installments = selectors.installments_of(loan)
    ctx = {
        "loan": loan,
        "installments": installments,
        "repayments": selectors.repayments_of(loan),
        "totals": selectors.loan_totals(installments),
        "next": selectors.next_installment(installments),
        "guarantors": list(loan.guarantors.select_related("member")),
        "collaterals": list(loan.collaterals.all()),
        "staff": request.access.has(STAFF),
        "approver": request.access.has(APPROVERS),
        "board": request.access.has(BOARD),
        "today": timezone.localdate(),
    }
    if request.access.has(STAFF):
        ctx.update(
            repay_form=RepayForm(),
            disburse_form=DisburseForm(initial={"to": loan.product.disburse_to}),
            recover_form=RecoverForm(),
            reason_form=ReasonForm(),
            notes_form=NotesForm(initial={"notes": loan.analysis_notes}),
            date_form=DateForm(),
            reverse_form=ReverseForm(),
        )
    return render(request, "loans/detail.html", ctx)


@coop_view(MEMBER_READ, dinas_read=True)
def agreement_pdf(request, number):
    loan = _loan_or_404(request, number)
    installments, totals = selectors.agreement_schedule(loan)
    return pdf_response(
        "loans/pdf/agreement.html",
        {
            "loan": loan,
            "coop": request.coop,
            "installments": installments,
            "totals": totals,
            "guarantors": list(loan.guarantors.select_related("member")),
            "collaterals": list(loan.collaterals.all()),
        },
        f"perjanjian-{loan.number}.pdf",
        request,
    )


@coop_view(MEMBER_READ, dinas_read=True)
def loan_card_pdf(request, number):
    loan = _loan_or_404(request, number)
    installments = selectors.installments_of(loan)
    return pdf_response(
        "loans/pdf/card.html",
        {
            "loan": loan,
            "coop": request.coop,
            "installments": installments,
            "repayments": selectors.repayments_of(loan),
            "totals": selectors.loan_totals(installments),
        },
        f"kartu-{loan.number}.pdf",
        request,
    )


@coop_view(MEMBER_READ, dinas_read=True)
def receipt_pdf(request, number):
    rep = selectors.repayment_get(request.coop, number)
    if rep is None or (request.access.role == "anggota" and rep.loan.member.user_id != request.user.pk):
        raise Http404
    return pdf_response(
        "loans/pdf/receipt.html",
        {"rep": rep, "loan": rep.loan, "coop": request.coop},
        f"kuitansi-{rep.number}.pdf",
        request,
    )


# ---------------------------------------------------------------- preview and application


def _preview_rows(coop, data):
    return policy.quote(
        data["product"],
        principal=data["principal"],
        term=data["term"],
        grace_months=data.get("grace_months") or 0,
        first_due_date=data.get("first_due_date"),
        today=timezone.localdate(),
    )


@coop_view(ALL_COOP)
def preview(request):
    form = PreviewForm(request.GET or None, cooperative=request.coop)
    rows = totals = None
    if form.is_bound and form.is_valid():
        try:
            rows, totals = _preview_rows(request.coop, form.cleaned_data)
        except (DomainError, schedule.ScheduleError) as exc:
            form.add_error(None, str(exc))
    return render(
        request,
        "loans/preview.html",
        {
            "form": form,
            "rows": rows,
            "totals": totals,
            "products": selectors.products(request.coop, active_only=True),
        },
    )


@coop_view(STAFF)
def apply(request):
    form = ApplyForm(request.POST or None, cooperative=request.coop, initial=request.GET.dict() or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            member = Member.objects.get(cooperative=request.coop, number=d["member_number"].strip())
        except Member.DoesNotExist:
            form.add_error("member_number", _("Anggota tidak ditemukan."))
        else:
            numbers = [n.strip() for n in (d.get("guarantor_numbers") or "").split(",") if n.strip()]
            guarantors = list(Member.objects.filter(cooperative=request.coop, number__in=numbers))
            if len(guarantors) != len(set(numbers)):
                form.add_error("guarantor_numbers", _("Ada no. anggota penjamin yang tidak ditemukan."))
            else:
                collaterals = []
                if d.get("collateral_kind"):
                    collaterals.append(
                        (
                            d["collateral_kind"],
                            d.get("collateral_description", ""),
                            d.get("collateral_value") or 0,
                        )
                    )

                def go():
                    loan = actions.loan_apply(
                        actor=request.user,
                        cooperative=request.coop,
                        member=member,
                        product=d["product"],
                        principal=d["principal"],
                        term=d["term"],
                        purpose=d["purpose"],
                        applied_on=d["applied_on"],
                        grace_months=d.get("grace_months") or 0,
                        guarantors=guarantors,
                        collaterals=collaterals,
                        analysis_notes=d.get("analysis_notes", ""),
                    )
                    return 201, {"number": loan.number}

                try:
                    _s, payload = run_once(
                        user=request.user,
                        cooperative=request.coop,
                        endpoint="ui:loan_apply",
                        key=d.get("token"),
                        body=request.POST.dict(),
                        fn=go,
                    )
                except DomainError as exc:
                    form.add_error(None, str(exc))
                else:
                    messages.success(request, _("Pengajuan %(n)s tersimpan.") % {"n": payload["number"]})
                    return redirect("loans:detail", request.coop.slug, payload["number"])
    return render(request, "loans/apply.html", {"form": form})


# ---------------------------------------------------------------- workflow actions (POST)


def _run_once(request, name, d, go):
    return run_once(
        user=request.user,
        cooperative=request.coop,
        endpoint=f"ui:loan_{name}",
        key=d.get("token"),
        body=request.POST.dict(),
        fn=go,
    )


def _disburse(request, kw, d):
    def go():
        actions.loan_disburse(date=d["date"], first_due_date=d.get("first_due_date"), to=d["to"], **kw)
        return 200, {"number": kw["number"]}

    _run_once(request, "disburse", d, go)


def _receive(request, name, action, kw, d, **extra):
    """A payment (repay / recover): one receipt per Idempotency token; returns its number."""

    def go():
        rep = action(amount=d["amount"], date=d["date"], account=d["account"], **extra, **kw)
        return 201, {"receipt": rep.number}

    _s, payload = _run_once(request, name, d, go)
    return payload["receipt"]


def _reverse(request, kw, d):
    actions.repayment_reverse(
        actor=kw["actor"], cooperative=kw["cooperative"], number=d["receipt"], reason=d["reason"]
    )


# name in the URL -> (roles, form, the call of its one action; a str return is a receipt number)
LOAN_ACTIONS = {
    "analyze": (STAFF, NotesForm, lambda r, kw, d: actions.loan_analyze(notes=d["notes"], **kw)),
    "approve": (APPROVERS, DateForm, lambda r, kw, d: actions.loan_approve(date=d["date"], **kw)),
    "reject": (APPROVERS, ReasonForm, lambda r, kw, d: actions.loan_reject(reason=d["reason"], **kw)),
    "cancel": (STAFF, ReasonForm, lambda r, kw, d: actions.loan_cancel(reason=d["reason"], **kw)),
    "writeoff_request": (
        APPROVERS,
        ReasonForm,
        lambda r, kw, d: actions.loan_writeoff_request(reason=d["reason"], **kw),
    ),
    "writeoff_approve": (
        BOARD,
        DateForm,
        lambda r, kw, d: actions.loan_writeoff_approve(date=d["date"], **kw),
    ),
    "reverse": (APPROVERS, ReverseForm, _reverse),
    "disburse": (STAFF, DisburseForm, _disburse),
    "repay": (
        STAFF,
        RepayForm,
        lambda r, kw, d: _receive(r, "repay", actions.loan_repay, kw, d, payoff=d["payoff"]),
    ),
    "recover": (STAFF, RecoverForm, lambda r, kw, d: _receive(r, "recover", actions.loan_recover, kw, d)),
}


@coop_view(STAFF)
@require_POST
def loan_action(request, number, name):
    if name not in LOAN_ACTIONS:
        raise Http404
    roles, form_cls, call = LOAN_ACTIONS[name]
    if not request.access.has(roles):
        raise PermissionDenied
    loan = _loan_or_404(request, number)
    form = form_cls(request.POST)
    if not form.is_valid():
        messages.error(request, "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items()))
        return redirect(_detail_url(request, loan))
    kw = {"actor": request.user, "cooperative": request.coop, "number": loan.number}
    try:
        result = call(request, kw, form.cleaned_data)
    except DomainError as exc:
        messages.error(request, str(exc))
    else:
        if isinstance(result, str):
            messages.success(request, _("Pembayaran tercatat, kuitansi %(r)s.") % {"r": result})
        else:
            messages.success(request, _("Tersimpan."))
    return redirect(_detail_url(request, loan))


# ---------------------------------------------------------------- products and settings


@coop_view(READERS, dinas_read=True)
def product_list(request):
    return render(
        request,
        "loans/products.html",
        {
            "products": selectors.products(request.coop),
            "settings": selectors.loan_settings(request.coop),
            "board": request.access.has(BOARD),
        },
    )


def _product_values(form):
    return {k: form.cleaned_data[k] for k in PRODUCT_FIELDS if k in form.cleaned_data}


@coop_view(BOARD)
def product_edit(request, code=None):
    product = None
    if code:
        product = LoanProduct.objects.filter(cooperative=request.coop, code=code).first()
        if product is None:
            raise Http404
    form = ProductForm(request.POST or None, instance=product)
    if product:
        form.fields["code"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            actions.loan_product_save(
                actor=request.user,
                cooperative=request.coop,
                code=product.code if product else form.cleaned_data["code"],
                **_product_values(form),
            )
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Produk tersimpan."))
            return redirect("loans:products", request.coop.slug)
    return render(request, "loans/product_form.html", {"form": form, "product": product})


@coop_view(BOARD)
def settings_edit(request):
    current = LoanSettings.objects.filter(cooperative=request.coop).first()
    form = SettingsForm(request.POST or None, instance=current or LoanSettings(cooperative=request.coop))
    if request.method == "POST" and form.is_valid():
        try:
            actions.loan_settings_update(actor=request.user, cooperative=request.coop, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Pengaturan tersimpan."))
            return redirect("loans:products", request.coop.slug)
    return render(request, "loans/settings.html", {"form": form})


# ---------------------------------------------------------------- arrears and portfolio


@coop_view(READERS, dinas_read=True)
def arrears(request):
    if request.method == "POST":
        if not request.access.has(APPROVERS):
            raise PermissionDenied
        form = DateForm(request.POST)
        if form.is_valid():
            arrears_run_task.enqueue(
                request.coop.slug, form.cleaned_data["date"].isoformat(), request.user.pk
            )
            messages.success(request, _("Perhitungan tunggakan dijadwalkan; kemajuan tampil di bawah."))
            return redirect("loans:arrears", request.coop.slug)
    else:
        form = DateForm()
    return render(
        request,
        "loans/arrears.html",
        {
            "form": form,
            "runs": selectors.arrears_runs(request.coop),
            "can_run": request.access.has(APPROVERS),
            "Status": ArrearsRun.Status,
        },
    )


@coop_view(READERS, dinas_read=True)
def portfolio(request):
    today = timezone.localdate()
    data = selectors.portfolio(request.coop, date=today)
    return render(
        request,
        "loans/portfolio.html",
        {"p": data, "reserve": required_reserve(request.coop), "today": today},
    )
