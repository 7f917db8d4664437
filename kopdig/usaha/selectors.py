"""Business-unit reads: catalogue, stock card, receivables, consignment payables, reports (omzet,
HPP, margin by product/category/producer/month, best sellers, member vs non-member, stock value),
the SHU "usaha" basis, the public market's catalogue and the Dinas turnover. Aggregates in SQL.

Report identity (tested): for a period, Σ net sales − Σ returns (own goods) equals the ledger's
Penjualan − Retur accounts, Σ cost − Σ returned cost equals the HPP accounts, and Σ commission
− Σ returned commission equals the Komisi Konsinyasi accounts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.cache import cache
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth

from kopdig.ledger.models import Account, AccountMonthBalance, JournalLine
from kopdig.ledger.selectors import net_movements
from kopdig.ledger.statements import CLOSING_SOURCE_TYPES
from kopdig.lib.money import ZERO, q
from kopdig.members.models import Member
from kopdig.tenancy.models import Cooperative

from . import costing
from .models import (
    Category,
    ConsignmentPayout,
    Inquiry,
    Product,
    Purchase,
    PurchaseLine,
    Sale,
    SaleLine,
    SaleReturnLine,
    ShopProfile,
    StockMovement,
)

SALES_KEYS = (
    "penjualan_anggota",
    "penjualan_non_anggota",
    "retur_penjualan_anggota",
    "retur_penjualan_non_anggota",
)
COMMISSION_KEYS = ("komisi_konsinyasi_anggota", "komisi_konsinyasi_non_anggota")
HPP_KEYS = ("hpp_anggota", "hpp_non_anggota")


def _z(value) -> Decimal:
    return value if value is not None else ZERO


# --- catalogue and stock --------------------------------------------------------------------


def _search_text(value) -> str:
    """What a search box sent, as a safe filter: no NUL (PostgreSQL text cannot hold it), trimmed,
    at most 80 characters."""
    return str(value or "").replace("\x00", "").strip()[:80]


def product_list(cooperative, *, search: str = "", category: str = "", active_only: bool = False):
    search, category = _search_text(search), _search_text(category)
    qs = Product.objects.filter(cooperative=cooperative).select_related("producer")
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(code__icontains=search) | Q(barcode=search))
    if category:
        qs = qs.filter(category=category)
    if active_only:
        qs = qs.filter(active=True)
    return qs.order_by("name")


def product_get(cooperative, code: str) -> Product | None:
    return Product.objects.filter(cooperative=cooperative, code=code).select_related("producer").first()


def stock_card(cooperative, product: Product, limit: int = 200):
    return list(
        StockMovement.objects.filter(cooperative=cooperative, product=product).order_by("-id")[:limit]
    )


def stock_verify(cooperative) -> list[str]:
    """Prove the stock caches: each product's cache equals its movements, and the own goods'
    value equals Persediaan in the ledger."""
    problems = []
    sums = {
        r["product_id"]: r
        for r in StockMovement.objects.filter(cooperative=cooperative)
        .values("product_id")
        .annotate(q=Sum("qty"), v=Sum("value"))
    }
    for p in Product.objects.filter(cooperative=cooperative):
        row = sums.get(p.pk, {"q": 0, "v": ZERO})
        qty, val = Decimal(str(row["q"] or 0)).quantize(Decimal("0.001")), q(_z(row["v"]))
        if qty != p.stock_qty or val != p.stock_value:
            problems.append(
                f"{cooperative.slug}: stok {p.code} cache {p.stock_qty}/{p.stock_value} ≠ mutasi {qty}/{val}"
            )
    value = q(_z(Product.objects.filter(cooperative=cooperative).aggregate(v=Sum("stock_value"))["v"]))
    acc = Account.objects.filter(cooperative=cooperative, system_key="persediaan").first()
    if acc is not None:
        d, c = net_movements(cooperative, end=dt.date(9999, 12, 31), account_ids=[acc.pk]).get(
            acc.pk, (ZERO, ZERO)
        )
        if d - c != value:
            problems.append(f"{cooperative.slug}: nilai stok {value} ≠ saldo Persediaan {d - c}")
    return problems


def stock_value(cooperative) -> Decimal:
    return _z(Product.objects.filter(cooperative=cooperative).aggregate(v=Sum("stock_value"))["v"])


# --- documents --------------------------------------------------------------------------------


def sale_get(cooperative, number: str) -> Sale | None:
    return (
        Sale.objects.filter(cooperative=cooperative, number=number)
        .select_related("buyer_member", "cashier")
        .first()
    )


def sale_lines(sale: Sale):
    return list(sale.lines.select_related("product").order_by("id"))


def sales_list(cooperative, *, start=None, end=None, search=""):
    search = _search_text(search)
    qs = Sale.objects.filter(cooperative=cooperative).select_related("buyer_member")
    if start:
        qs = qs.filter(date__gte=start)
    if end:
        qs = qs.filter(date__lte=end)
    if search:
        qs = qs.filter(Q(number__icontains=search) | Q(buyer_name__icontains=search))
    return qs.order_by("-date", "-id")


def receivables(cooperative):
    """Open credit sales (what members still owe)."""
    return [
        s
        for s in Sale.objects.filter(cooperative=cooperative, payment="kredit")
        .exclude(paid=F("total") - F("returned"))
        .select_related("buyer_member")
        .order_by("date", "id")
    ]


def purchases_list(cooperative):
    return Purchase.objects.filter(cooperative=cooperative).order_by("-date", "-id")


def consignment_payables(cooperative) -> list[dict]:
    """Per consignor member: sold share, returned share, paid out, still owed."""
    sold = dict(
        SaleLine.objects.filter(cooperative=cooperative, consigned=True)
        .values("consignor_id")
        .annotate(s=Sum("payable"))
        .values_list("consignor_id", "s")
    )
    back = dict(
        SaleReturnLine.objects.filter(cooperative=cooperative, line__consigned=True)
        .values("line__consignor_id")
        .annotate(s=Sum("payable"))
        .values_list("line__consignor_id", "s")
    )
    paid = dict(
        ConsignmentPayout.objects.filter(cooperative=cooperative)
        .values("member_id")
        .annotate(s=Sum("amount"))
        .values_list("member_id", "s")
    )
    from_members = {m.pk: m for m in _members(cooperative, set(sold) | set(paid))}
    rows = []
    for mid, member in sorted(from_members.items(), key=lambda kv: kv[1].number):
        s, b, p = _z(sold.get(mid)), _z(back.get(mid)), _z(paid.get(mid))
        rows.append({"member": member, "sold": s, "returned": b, "paid": p, "owed": s - b - p})
    return rows


def _members(cooperative, ids):
    return Member.objects.filter(cooperative=cooperative, pk__in=[i for i in ids if i])


def inquiries(cooperative, status: str = ""):
    status = _search_text(status)
    qs = Inquiry.objects.filter(cooperative=cooperative).select_related("product")
    return qs.filter(status=status) if status else qs


def shop_profile(cooperative) -> ShopProfile:
    return ShopProfile.objects.filter(cooperative=cooperative).first() or ShopProfile(cooperative=cooperative)


# --- reports -------------------------------------------------------------------------------------


@dataclass
class ReportRow:
    key: str
    label: str
    qty: Decimal = Decimal(0)
    omzet: Decimal = ZERO
    hpp: Decimal = ZERO
    commission: Decimal = ZERO

    @property
    def margin(self) -> Decimal:
        """Gross margin: own goods' sales − HPP, plus consignment commission."""
        return self.omzet - self.hpp + self.commission


@dataclass
class Report:
    start: dt.date
    end: dt.date
    rows: list = field(default_factory=list)
    total: ReportRow = None


def _line_groups(cooperative, start, end, group: str):
    """Aggregates of sale lines and of return lines in [start, end], grouped by ``group``
    (a field path of SaleLine, or "month"): ({g: sums}, {g: sums})."""

    def grouped(qs, path, consigned):
        g = TruncMonth("date") if group == "month" else F(path + group)
        return {
            r["g"]: r
            for r in qs.annotate(g=g)
            .values("g")
            .annotate(
                q=Sum("qty"),
                own=Sum("net", filter=Q(**{consigned: False})),
                hpp=Sum("cost"),
                kom=Sum("commission"),
            )
        }

    sales = grouped(
        SaleLine.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end), "", "consigned"
    )
    rets = grouped(
        SaleReturnLine.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end),
        "line__",
        "line__consigned",
    )
    return sales, rets


def sales_report(cooperative, start: dt.date, end: dt.date, by: str = "product") -> Report:
    """Omzet (own goods, net of discounts and returns), HPP, consignment commission and gross
    margin in [start, end], by product, category, producer, month or member part."""
    group = {
        "product": "product__name",
        "category": "product__category",
        "producer": "product__producer__name",
        "month": "month",
        "part": "member_part",
    }[by]
    sales, rets = _line_groups(cooperative, start, end, group)
    report = Report(start, end)
    total = ReportRow("", "Jumlah")
    for key in sales.keys() | rets.keys():
        s, r = sales.get(key, {}), rets.get(key, {})
        row = ReportRow(
            str(key),
            _label(by, key),
            (s.get("q") or 0) - (r.get("q") or 0),
            _z(s.get("own")) - _z(r.get("own")),
            _z(s.get("hpp")) - _z(r.get("hpp")),
            _z(s.get("kom")) - _z(r.get("kom")),
        )
        report.rows.append(row)
        for attr in ("qty", "omzet", "hpp", "commission"):
            setattr(total, attr, getattr(total, attr) + getattr(row, attr))
    if by == "month":
        report.rows.sort(key=lambda r: r.key)
    else:
        report.rows.sort(key=lambda r: -(r.omzet + r.commission))
    report.total = total
    return report


def _label(by, key) -> str:
    if by == "category":
        return str(Category(key).label) if key in Category.values else str(key)
    if by == "part":
        return "Anggota" if key else "Non-anggota"
    if by == "month":
        return key.strftime("%Y-%m") if key else ""
    return str(key or "—")


def best_sellers(cooperative, start, end, limit: int = 10):
    return list(
        SaleLine.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end)
        .values("product__code", "product__name")
        .annotate(q=Sum("qty"), omzet=Sum("net"))
        .order_by("-q")[:limit]
    )


def ledger_sales_figures(cooperative, start, end) -> dict:
    """The same figures from the ledger: {"omzet", "hpp", "commission"} for [start, end]."""
    accounts = {
        a.pk: a.system_key
        for a in Account.objects.filter(
            cooperative=cooperative, system_key__in=SALES_KEYS + COMMISSION_KEYS + HPP_KEYS
        )
    }
    out = {"omzet": ZERO, "hpp": ZERO, "commission": ZERO}
    moves = net_movements(cooperative, start=start, end=end, account_ids=list(accounts))
    closing = (
        JournalLine.objects.filter(
            cooperative=cooperative,
            account_id__in=list(accounts),
            date__gte=start,
            date__lte=end,
            entry__source_type__in=CLOSING_SOURCE_TYPES,
        )
        .values("account_id")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    for row in closing:  # the year-end close moves revenue/expense out; the period's trade stays
        d, c = moves.get(row["account_id"], (ZERO, ZERO))
        moves[row["account_id"]] = (d - _z(row["d"]), c - _z(row["c"]))
    for pk, (d, c) in moves.items():
        key = accounts[pk]
        if key in SALES_KEYS:
            out["omzet"] += c - d
        elif key in COMMISSION_KEYS:
            out["commission"] += c - d
        else:
            out["hpp"] += d - c
    return out


# --- SHU basis -------------------------------------------------------------------------------------


def member_transaksi(cooperative, year: int) -> dict[int, Decimal]:
    """{member_id: transaksi} for the SHU "usaha" basis (domain §12): in a produsen or pemasaran
    cooperative the value of the member's deliveries (purchases from the member + the member's
    share of consigned goods sold, net of returns); elsewhere the member's purchases net of returns."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    out: dict[int, Decimal] = {}

    def add(rows):
        for mid, amount in rows:
            if mid is not None and amount:
                out[mid] = out.get(mid, ZERO) + amount

    if cooperative.jenis in (Cooperative.Jenis.PRODUSEN, Cooperative.Jenis.PEMASARAN):
        add(
            Purchase.objects.filter(
                cooperative=cooperative, date__gte=start, date__lte=end, consignment=False
            )
            .values("supplier_member_id")
            .annotate(s=Sum("total"))
            .values_list("supplier_member_id", "s")
        )
        add(
            SaleLine.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end, consigned=True)
            .values("consignor_id")
            .annotate(s=Sum("payable"))
            .values_list("consignor_id", "s")
        )
        add(
            (mid, -a)
            for mid, a in SaleReturnLine.objects.filter(
                cooperative=cooperative, date__gte=start, date__lte=end, line__consigned=True
            )
            .values("line__consignor_id")
            .annotate(s=Sum("payable"))
            .values_list("line__consignor_id", "s")
        )
    else:
        add(
            SaleLine.objects.filter(cooperative=cooperative, date__gte=start, date__lte=end)
            .values("sale__buyer_member_id")
            .annotate(s=Sum("net"))
            .values_list("sale__buyer_member_id", "s")
        )
        add(
            (mid, -a)
            for mid, a in SaleReturnLine.objects.filter(
                cooperative=cooperative, date__gte=start, date__lte=end
            )
            .values("line__sale__buyer_member_id")
            .annotate(s=Sum("net"))
            .values_list("line__sale__buyer_member_id", "s")
        )
    return {k: v for k, v in out.items() if v}


def member_consigned_sales(cooperative, member, limit: int = 50):
    """A producer member's own page: each sale of their consigned goods, price and their share."""
    return list(
        SaleLine.objects.filter(cooperative=cooperative, consignor=member)
        .select_related("product")
        .order_by("-date", "-id")[:limit]
    )


# --- public market and Dinas ---------------------------------------------------------------------------


def market_products(*, search: str = "", category: str = "", kecamatan: str = "", coop: str = ""):
    """Published, active products of the cooperatives keeping their books on Kopdig."""
    search, category, kecamatan, coop = map(_search_text, (search, category, kecamatan, coop))
    qs = (
        Product.objects.filter(published=True, active=True, cooperative__on_kopdig=True)
        .select_related("cooperative", "cooperative__kecamatan")
        .prefetch_related("photos")
    )
    if search:
        qs = qs.filter(Q(name__icontains=search) | Q(description__icontains=search))
    if category:
        qs = qs.filter(category=category)
    if kecamatan:
        qs = qs.filter(cooperative__kecamatan__code=kecamatan)
    if coop:
        qs = qs.filter(cooperative__slug=coop)
    return qs.order_by("-id")  # newest first, read backwards along usaha_product_market


def market_product(slug: str, code: str) -> Product | None:
    return (
        Product.objects.filter(
            cooperative__slug=slug, code=code, published=True, active=True, cooperative__on_kopdig=True
        )
        .select_related("cooperative", "cooperative__kecamatan", "cooperative__kabupaten", "producer")
        .prefetch_related("photos")
        .first()
    )


def selling_cooperatives(kabupaten_ids=None):
    """Cooperatives with published products: [(cooperative, n products)] (the public list is cached 5 minutes)."""
    if kabupaten_ids is None:
        return cache.get_or_set("usaha-selling-cooperatives", lambda: _selling(None), 300)
    return _selling(kabupaten_ids)


def _selling(kabupaten_ids):
    qs = Product.objects.filter(published=True, active=True, cooperative__on_kopdig=True)
    if kabupaten_ids is not None:
        qs = qs.filter(cooperative__kabupaten_id__in=kabupaten_ids)
    rows = qs.values("cooperative_id").annotate(n=Count("id"))
    counts = {r["cooperative_id"]: r["n"] for r in rows}
    coops = Cooperative.objects.filter(pk__in=counts).select_related("kecamatan").order_by("name")
    return [(c, counts[c.pk]) for c in coops]


def dinas_turnover(kabupaten_ids, year: int) -> dict:
    """Turnover (net sales + commission) of business units from the books, by kecamatan, jenis, month."""
    keys = (
        "penjualan_anggota",
        "penjualan_non_anggota",
        "retur_penjualan_anggota",
        "retur_penjualan_non_anggota",
        "komisi_konsinyasi_anggota",
        "komisi_konsinyasi_non_anggota",
    )
    rows = (
        AccountMonthBalance.objects.filter(
            cooperative__kabupaten_id__in=kabupaten_ids, year=year, account__system_key__in=keys
        )
        .values("cooperative__kecamatan__name", "cooperative__jenis", "month")
        .annotate(c=Sum("credit"), d=Sum("debit"))
    )
    by_kec, by_jenis, by_month = {}, {}, {m: ZERO for m in range(1, 13)}
    for r in rows:
        amount = _z(r["c"]) - _z(r["d"])
        kec = r["cooperative__kecamatan__name"] or "—"
        by_kec[kec] = by_kec.get(kec, ZERO) + amount
        by_jenis[r["cooperative__jenis"]] = by_jenis.get(r["cooperative__jenis"], ZERO) + amount
        by_month[r["month"]] += amount
    return {
        "by_kecamatan": sorted(by_kec.items()),
        "by_jenis": sorted(by_jenis.items()),
        "by_month": sorted(by_month.items()),
        "total": sum(by_month.values(), ZERO),
    }


def producer_share(product: Product) -> dict | None:
    """What the producer member receives of the public price: the consignor's share after the
    commission, or the cooperative's last purchase price from the member; None for the coop's own goods."""
    price = product.price_non_member
    if product.producer_id is None or not price:
        return None
    if product.consignment:
        _commission, amount = costing.consignment_split(
            price, 1, percent=product.commission_percent, fixed_per_unit=product.commission_fixed
        )
    else:
        amount = (
            PurchaseLine.objects.filter(
                cooperative_id=product.cooperative_id,
                product=product,
                purchase__supplier_member_id=product.producer_id,
            )
            .order_by("-id")
            .values_list("unit_cost", flat=True)
            .first()
        )
        if amount is None:
            return None
    return {"amount": amount, "percent": (amount * 100 / price).quantize(Decimal("0.1")), "price": price}


def market_coop(slug: str):
    """(cooperative, profile) of a cooperative whose public profile is shown; None otherwise."""
    coop = (
        Cooperative.objects.filter(slug=slug, on_kopdig=True)
        .select_related("kecamatan", "desa", "kabupaten")
        .first()
    )
    if coop is None:
        return None
    profile = shop_profile(coop)
    if profile.pk is not None and not profile.published:
        return None
    return coop, profile


def market_sitemap(limit: int = 50000):
    return list(
        Product.objects.filter(published=True, active=True, cooperative__on_kopdig=True)
        .values_list("cooperative__slug", "code", "updated_at")
        .order_by("id")[:limit]
    )


def trade_totals(cooperative, trade_ref: str, *, side: str = "sale") -> dict:
    """{first day of month: (quantity, value)} of the cooperative's sales (``side="sale"``, value
    net of discounts) or purchases carrying ``trade_ref`` (the business network's agreement code)."""
    if side == "sale":
        qs = SaleLine.objects.filter(cooperative=cooperative, sale__trade_ref=trade_ref).annotate(
            m=TruncMonth("date")
        )
        rows = qs.values("m").annotate(q=Sum("qty"), v=Sum("net")).values_list("m", "q", "v")
    else:
        qs = PurchaseLine.objects.filter(cooperative=cooperative, purchase__trade_ref=trade_ref).annotate(
            m=TruncMonth("purchase__date")
        )
        rows = qs.values("m").annotate(q=Sum("qty"), v=Sum("total")).values_list("m", "q", "v")
    return {(m.date() if isinstance(m, dt.datetime) else m): (_z(qty), _z(v)) for m, qty, v in rows}
