"""Business-unit pages (phone-first): catalogue with photos and Excel in/out, the POS cashier
screen and its nota PDF, purchases, stock card, stock count, consignment, reports (page, PDF,
Excel), inquiries inbox, public profile, and the Dinas turnover page. Each POST calls one action."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kopdig.lib import validation
from kopdig.lib.cells import cell_date
from kopdig.lib.documents import pdf_response, read_xlsx_rows, xlsx_response
from kopdig.lib.errors import DomainError
from kopdig.members.selectors import own_member
from kopdig.tenancy.access import ALL_COOP, APPROVERS, BOARD, READERS, STAFF, coop_view, dinas_view

from . import actions, images, selectors
from .models import Category, Inquiry, Payment

POS_ROWS = 5


def _query_date(request, key: str) -> dt.date | None:
    """A date from the query string; an unreadable or out-of-range one is ignored (the default)."""
    try:
        day = cell_date((request.GET.get(key) or "")[:20])
        return validation.query_date(day, key) if day else None
    except (ValueError, DomainError):
        return None


def _posted_date(value, label) -> dt.date | None:
    try:
        day = cell_date((value or "")[:20])
    except ValueError:
        raise validation.InvalidValue(str(label), _("tanggal tidak dapat dibaca.")) from None
    return validation.query_date(day, str(label)) if day else None


def _period(request) -> tuple[dt.date, dt.date]:
    today = timezone.localdate()
    start = _query_date(request, "start") or today.replace(day=1)
    end = _query_date(request, "end") or today
    return (start, end) if start <= end else (end, start)


def _fail(request, exc) -> None:
    messages.error(request, str(exc))


@coop_view(READERS, dinas_read=True)
def index(request):
    coop = request.coop
    start, end = _period(request)
    ctx = {
        "report": selectors.sales_report(coop, start, end, by="part"),
        "stock_value": selectors.stock_value(coop),
        "receivables": selectors.receivables(coop)[:10],
        "new_inquiries": selectors.inquiries(coop, "baru").count(),
        "start": start,
        "end": end,
    }
    return render(request, "usaha/index.html", ctx)


# --- catalogue ---------------------------------------------------------------------------


@coop_view(READERS, dinas_read=True)
def products(request):
    qs = selectors.product_list(
        request.coop, search=request.GET.get("q", "").strip(), category=request.GET.get("kategori", "")
    )
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "usaha/products.html", {"page": page, "categories": Category.choices})


def _product_fields(post) -> dict:
    fields = {
        k: post.get(k, "").strip()
        for k in (
            "name",
            "barcode",
            "description",
            "category",
            "unit",
            "packaging",
            "pirt_number",
            "halal_number",
            "price_member",
            "price_non_member",
            "min_order",
            "commission_percent",
            "commission_fixed",
        )
    }
    fields["producer"] = post.get("producer", "").strip()
    for flag in ("producer_consent", "consignment", "published", "active"):
        fields[flag] = post.get(flag) == "on"
    for num in ("weight_grams", "shelf_life_days"):
        value = post.get(num, "").strip()
        fields[num] = int(value) if value.isdigit() else None
    fields["min_order"] = fields["min_order"] or "1"
    return fields


@coop_view(APPROVERS)
def product_new(request):
    if request.method == "POST":
        try:
            product = actions.product_create(
                actor=request.user,
                cooperative=request.coop,
                code=request.POST.get("code", ""),
                **_product_fields(request.POST),
            )
            messages.success(request, _("Produk disimpan."))
            return redirect("usaha:product", request.coop.slug, product.code)
        except DomainError as exc:
            _fail(request, exc)
    return render(
        request,
        "usaha/product_form.html",
        {"product": None, "categories": Category.choices, "data": request.POST},
    )


@coop_view(APPROVERS)
def product_edit(request, code):
    product = selectors.product_get(request.coop, code) or _404()
    if request.method == "POST":
        try:
            actions.product_update(
                actor=request.user, cooperative=request.coop, code=code, **_product_fields(request.POST)
            )
            messages.success(request, _("Produk disimpan."))
            return redirect("usaha:product", request.coop.slug, code)
        except DomainError as exc:
            _fail(request, exc)
    return render(
        request,
        "usaha/product_form.html",
        {"product": product, "categories": Category.choices, "data": request.POST or None},
    )


def _404():
    raise Http404


@coop_view(READERS, dinas_read=True)
def product_detail(request, code):
    product = selectors.product_get(request.coop, code) or _404()
    return render(
        request,
        "usaha/product.html",
        {
            "product": product,
            "photos": list(product.photos.all()),
            "moves": selectors.stock_card(request.coop, product),
        },
    )


@coop_view(APPROVERS)
@require_POST
def product_photo(request, code):
    upload = request.FILES.get("photo")
    try:
        if upload is None:
            raise DomainError(_("Pilih foto terlebih dahulu."))
        actions.product_photo_add(
            actor=request.user, cooperative=request.coop, code=code, image=images.prepare(upload, code)
        )
        messages.success(request, _("Foto ditambahkan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("usaha:product", request.coop.slug, code)


@coop_view(READERS, dinas_read=True)
def products_export(request):
    rows = [
        (
            p.code,
            p.name,
            p.category,
            p.unit,
            p.price_member,
            p.price_non_member,
            p.producer.number if p.producer else "",
            "ya" if p.consignment else "",
            p.commission_percent or "",
            p.packaging,
            p.weight_grams or "",
            p.pirt_number,
            p.halal_number,
            p.min_order,
            "ya" if p.published else "",
            p.stock_qty,
            p.stock_value,
        )
        for p in selectors.product_list(request.coop)
    ]
    return xlsx_response(
        f"katalog-{request.coop.slug}.xlsx",
        [("Katalog", list(actions.IMPORT_COLUMNS) + ["stok", "nilai_stok"], rows)],
    )


@coop_view(APPROVERS)
@require_POST
def products_import(request):
    upload = request.FILES.get("file")
    try:
        if upload is None:
            raise DomainError(_("Pilih berkas Excel."))
        _header, rows = read_xlsx_rows(upload)
        n = actions.product_import(actor=request.user, cooperative=request.coop, rows=rows)
        messages.success(request, _("%(n)s produk diimpor.") % {"n": n})
    except DomainError as exc:
        _fail(request, exc)
    except (ValueError, KeyError, OSError):
        _fail(request, _("Berkas bukan Excel yang dapat dibaca."))
    return redirect("usaha:products", request.coop.slug)


# --- POS -----------------------------------------------------------------------------------


def _rows(post, qty_key="qty", extra=()):
    out = []
    for i in range(len(post.getlist("product"))):
        code = post.getlist("product")[i].split(" ", 1)[0].strip()
        qty = (post.getlist(qty_key)[i] if i < len(post.getlist(qty_key)) else "").strip().replace(",", ".")
        if not code and not qty:
            continue
        row = {"product": code, "qty": qty or "1"}
        for key in extra:
            values = post.getlist(key)
            row[key] = values[i].strip().replace(",", ".") if i < len(values) else ""
        out.append(row)
    return out


@coop_view(STAFF)
def pos(request):
    coop = request.coop
    if request.method == "POST":
        try:
            sale = actions.sale_record(
                actor=request.user,
                cooperative=coop,
                lines=_rows(request.POST),
                buyer_member=request.POST.get("member", "").strip() or None,
                buyer_name=request.POST.get("buyer_name", ""),
                payment=request.POST.get("payment", Payment.TUNAI),
                discount=request.POST.get("discount", "").replace(",", ".") or "0",
                trade_ref=request.POST.get("trade_ref", ""),
            )
            messages.success(request, _("Penjualan %(n)s tersimpan.") % {"n": sale.number})
            return redirect("usaha:sale", coop.slug, sale.number)
        except DomainError as exc:
            _fail(request, exc)
    return render(
        request,
        "usaha/pos.html",
        {
            "products": selectors.product_list(coop, active_only=True),
            "rows": range(POS_ROWS),
            "data": request.POST,
        },
    )


@coop_view(READERS, dinas_read=True)
def sales(request):
    start, end = _period(request)
    page = Paginator(
        selectors.sales_list(request.coop, start=start, end=end, search=request.GET.get("q", "")), 50
    ).get_page(request.GET.get("page"))
    return render(request, "usaha/sales.html", {"page": page, "start": start, "end": end})


@coop_view(READERS, dinas_read=True)
def sale_detail(request, number):
    sale = selectors.sale_get(request.coop, number) or _404()
    return render(
        request,
        "usaha/sale.html",
        {
            "sale": sale,
            "lines": selectors.sale_lines(sale),
            "returns": list(sale.returns.all()),
            "payments": list(sale.payments.all()),
        },
    )


@coop_view(READERS, dinas_read=True)
def sale_nota(request, number):
    sale = selectors.sale_get(request.coop, number) or _404()
    ctx = {
        "coop": request.coop,
        "sale": sale,
        "lines": selectors.sale_lines(sale),
        "signatures": [(_("Kasir"), sale.cashier.display_name if sale.cashier else "")],
    }
    return pdf_response("usaha/nota.html", ctx, f"nota-{number}.pdf", request)


@coop_view(STAFF)
@require_POST
def sale_return(request, number):
    try:
        ret = actions.sale_return(
            actor=request.user,
            cooperative=request.coop,
            number=number,
            lines=_rows(request.POST),
            reason=request.POST.get("reason", ""),
        )
        messages.success(request, _("Retur %(n)s tersimpan.") % {"n": ret.number})
    except DomainError as exc:
        _fail(request, exc)
    return redirect("usaha:sale", request.coop.slug, number)


@coop_view(STAFF)
@require_POST
def sale_pay(request, number):
    try:
        actions.sale_payment_record(
            actor=request.user,
            cooperative=request.coop,
            number=number,
            amount=request.POST.get("amount", "").replace(",", ".") or "0",
            method=request.POST.get("method", "tunai"),
        )
        messages.success(request, _("Pembayaran tersimpan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("usaha:sale", request.coop.slug, number)


# --- purchases, stock, consignment -------------------------------------------------------------


@coop_view(STAFF)
def purchases(request):
    coop = request.coop
    if request.method == "POST":
        try:
            p = actions.purchase_record(
                actor=request.user,
                cooperative=coop,
                lines=_rows(request.POST, extra=("unit_cost",)),
                supplier_member=request.POST.get("member", "").strip() or None,
                supplier_name=request.POST.get("supplier_name", ""),
                payment=request.POST.get("payment", "tunai"),
                consignment=request.POST.get("consignment") == "on",
                trade_ref=request.POST.get("trade_ref", ""),
            )
            messages.success(request, _("Pembelian %(n)s tersimpan.") % {"n": p.number})
            return redirect("usaha:purchases", coop.slug)
        except DomainError as exc:
            _fail(request, exc)
    page = Paginator(selectors.purchases_list(coop), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "usaha/purchases.html",
        {
            "page": page,
            "rows": range(4),
            "data": request.POST,
            "products": selectors.product_list(coop, active_only=True),
        },
    )


@coop_view(STAFF)
@require_POST
def purchase_pay(request, number):
    try:
        actions.purchase_pay(
            actor=request.user,
            cooperative=request.coop,
            number=number,
            amount=request.POST.get("amount", "").replace(",", ".") or "0",
        )
        messages.success(request, _("Pembayaran utang tersimpan."))
    except DomainError as exc:
        _fail(request, exc)
    return redirect("usaha:purchases", request.coop.slug)


@coop_view(STAFF)
def stock_count(request):
    coop = request.coop
    products = list(selectors.product_list(coop, active_only=True))
    if request.method == "POST":
        counts = [
            {"product": p.code, "counted": request.POST.get(f"c_{p.code}", "").replace(",", ".")}
            for p in products
            if request.POST.get(f"c_{p.code}", "").strip()
        ]
        try:
            c = actions.stock_count_record(
                actor=request.user, cooperative=coop, counts=counts, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Stok opname %(n)s tersimpan.") % {"n": c.number})
            return redirect("usaha:products", coop.slug)
        except (DomainError, ValueError) as exc:
            _fail(request, exc)
    return render(request, "usaha/stock_count.html", {"products": products})


@coop_view(STAFF)
def consignment(request):
    coop = request.coop
    if request.method == "POST":
        try:
            if request.POST.get("op") == "return":
                actions.consignment_return(
                    actor=request.user,
                    cooperative=coop,
                    code=request.POST.get("product", ""),
                    qty=request.POST.get("qty", "0").replace(",", "."),
                )
            else:
                actions.consignment_payout(
                    actor=request.user, cooperative=coop, member_number=request.POST.get("member", "")
                )
            messages.success(request, _("Tersimpan."))
            return redirect("usaha:consignment", coop.slug)
        except DomainError as exc:
            _fail(request, exc)
    return render(
        request,
        "usaha/consignment.html",
        {
            "rows": selectors.consignment_payables(coop),
            "products": [p for p in selectors.product_list(coop) if p.consignment],
        },
    )


# --- reports ---------------------------------------------------------------------------------

REPORT_BY = [
    ("product", gettext_lazy("Produk")),
    ("category", gettext_lazy("Kategori")),
    ("producer", gettext_lazy("Anggota produsen")),
    ("month", gettext_lazy("Bulan")),
    ("part", gettext_lazy("Anggota / non-anggota")),
]


def _report_ctx(request):
    start, end = _period(request)
    by = request.GET.get("by", "product")
    if by not in dict(REPORT_BY):
        by = "product"
    coop = request.coop
    return {
        "report": selectors.sales_report(coop, start, end, by=by),
        "by": by,
        "by_choices": REPORT_BY,
        "ledger": selectors.ledger_sales_figures(coop, start, end),
        "best": selectors.best_sellers(coop, start, end),
        "stock_value": selectors.stock_value(coop),
        "payables": selectors.consignment_payables(coop),
        "start": start,
        "end": end,
        "coop": coop,
    }


@coop_view(READERS, dinas_read=True)
def report(request):
    fmt = request.GET.get("format", "")
    ctx = _report_ctx(request)
    if fmt == "pdf":
        return pdf_response(
            "usaha/report_pdf.html", ctx, f"laporan-usaha-{ctx['start']}-{ctx['end']}.pdf", request
        )
    if fmt == "xlsx":
        rows = [(r.label, r.qty, r.omzet, r.hpp, r.commission, r.margin) for r in ctx["report"].rows]
        t = ctx["report"].total
        rows.append(("Jumlah", t.qty, t.omzet, t.hpp, t.commission, t.margin))
        return xlsx_response(
            f"laporan-usaha-{ctx['start']}-{ctx['end']}.xlsx",
            [("Laporan", ["kelompok", "jumlah", "omzet", "hpp", "komisi", "laba_kotor"], rows)],
        )
    return render(request, "usaha/report.html", ctx)


# --- inquiries, profile, member page -------------------------------------------------------------


@coop_view(STAFF)
def inquiries(request):
    if request.method == "POST":
        try:
            actions.inquiry_status_set(
                actor=request.user,
                cooperative=request.coop,
                code=request.POST.get("code", ""),
                status=request.POST.get("status", ""),
            )
        except DomainError as exc:
            _fail(request, exc)
        return redirect("usaha:inquiries", request.coop.slug)
    page = Paginator(selectors.inquiries(request.coop, request.GET.get("status", "")), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "usaha/inquiries.html", {"page": page, "statuses": Inquiry.Status.choices})


@coop_view(BOARD)
def profile(request):
    coop = request.coop
    if request.method == "POST":
        try:
            p = request.POST
            logo, photo = request.FILES.get("logo"), request.FILES.get("photo")
            actions.shop_profile_update(
                actor=request.user,
                cooperative=coop,
                published=p.get("published") == "on",
                story=p.get("story", ""),
                whatsapp=p.get("whatsapp", "").strip(),
                show_rat_date=p.get("show_rat_date") == "on",
                show_health=p.get("show_health") == "on",
                last_rat_date=_posted_date(p.get("last_rat_date"), _("Tanggal RAT terakhir")),
                logo=images.prepare(logo, "logo") if logo else None,
                photo=images.prepare(photo, "foto") if photo else None,
            )
            messages.success(request, _("Profil disimpan."))
            return redirect("usaha:profile", coop.slug)
        except DomainError as exc:
            _fail(request, exc)
    return render(request, "usaha/profile.html", {"profile": selectors.shop_profile(coop)})


@coop_view(ALL_COOP)
def my_sales(request):
    """A producer member's own page: every sale of their goods and their share."""
    member = own_member(request.coop, request.user)
    lines = selectors.member_consigned_sales(request.coop, member) if member else []
    return render(request, "usaha/my_sales.html", {"member": member, "lines": lines})


@dinas_view
def dinas_turnover(request):
    today = timezone.localdate()
    try:
        year = validation.year(int((request.GET.get("tahun") or "")[:4] or today.year))
    except (ValueError, DomainError):
        year = today.year
    kab = request.kabupaten_ids
    return render(
        request,
        "usaha/dinas_turnover.html",
        {
            "year": year,
            "t": selectors.dinas_turnover(kab, year),
            "selling": selectors.selling_cooperatives(kab),
        },
    )
