"""Business-unit writes: catalogue, purchases and their payment, sales (POS), returns, payment of
credit sales (cash or from the member's sukarela), consignment in/out and payout, stock counts,
inquiries and the shop profile.

Every action: keyword-only arguments, ``action_atomic()``, ``require_role``, one audit row, and
every rupiah through ``kopdig.ledger.posting.post`` in the same transaction. Stock rows
(``Product``) are locked with ``select_for_update`` in id order before they are read, so two
cashiers selling the last item serialise and the second is refused (PostgreSQL; SQLite
serialises writers).

Member participation (domain §12) of a sale line: in a produsen or pemasaran cooperative it is
the origin of the goods (a product with a producer member: the member's delivery or consigned
goods), elsewhere (konsumen, serba usaha, …) the buyer (a member or not). Member lines post to
Penjualan kepada Anggota / Beban Pokok Partisipasi (and Komisi Konsinyasi Anggota), the others
to Penjualan kepada Non-Anggota / HPP Non-Anggota (and Komisi Konsinyasi Non-Anggota).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from kopdig import audit
from kopdig.ledger.posting import Line, check_open, post
from kopdig.lib.errors import DomainError
from kopdig.lib.money import ZERO, D, q
from kopdig.lib.transactions import action_atomic, batch
from kopdig.members.models import Member
from kopdig.savings import actions as savings_actions
from kopdig.savings import selectors as savings_selectors
from kopdig.tenancy.access import APPROVERS, BOARD, STAFF, require_role
from kopdig.tenancy.models import Cooperative
from kopdig.tenancy.numbering import format_number, next_number

from . import costing, rawsql
from .models import (
    Category,
    ConsignmentPayout,
    Inquiry,
    Payment,
    Product,
    ProductPhoto,
    Purchase,
    PurchaseLine,
    PurchasePayment,
    Sale,
    SaleLine,
    SalePayment,
    SaleReturn,
    SaleReturnLine,
    ShopProfile,
    StockCount,
    StockCountLine,
    StockMovement,
)

K = StockMovement.Kind
BY_ORIGIN = frozenset({Cooperative.Jenis.PRODUSEN, Cooperative.Jenis.PEMASARAN})
MAX_LINES = 200


class UsahaError(DomainError):
    pass


# --- small shared helpers ----------------------------------------------------------------------


def _number(cooperative, prefix: str, date: dt.date) -> str:
    return f"{prefix}-{format_number(date.year, next_number(cooperative, f'usaha_{prefix}', date.year))}"


def _qty(value, what="Jumlah barang") -> Decimal:
    try:
        qty = D(value).quantize(Decimal("0.001"))
    except (TypeError, ValueError, ArithmeticError):
        raise UsahaError(f"{what} tidak valid.") from None
    if qty <= 0:
        raise UsahaError(f"{what} harus lebih dari nol.")
    return qty


def _money(value, what="Harga") -> Decimal:
    try:
        amount = q(D(value if value not in (None, "") else 0))
    except (TypeError, ValueError, ArithmeticError):
        raise UsahaError(f"{what} tidak valid.") from None
    if amount < 0:
        raise UsahaError(f"{what} tidak boleh negatif.")
    return amount


def _member(cooperative, number) -> Member | None:
    if not number:
        return None
    if isinstance(number, Member):
        number = number.number
    member = Member.objects.filter(cooperative=cooperative, number=str(number).strip()).first()
    if member is None:
        raise UsahaError(f"Anggota {number} tidak ditemukan.")
    return member


def _date(date) -> dt.date:
    return date or timezone.localdate()


def _lock_products(cooperative, codes) -> dict[str, Product]:
    """Lock the products (the stock rows) in id order; an unknown code is refused."""
    codes = [str(c).strip() for c in codes]
    products = {
        p.code: p
        for p in Product.objects.select_for_update()
        .filter(cooperative=cooperative, code__in=set(codes))
        .order_by("id")
    }
    for code in codes:
        if code not in products:
            raise UsahaError(f"Produk '{code}' tidak ditemukan.")
    return products


def _movement(product: Product, date, kind, qty: Decimal, value: Decimal, ref="", reason="") -> StockMovement:
    """Apply a signed stock change to the (locked) product in memory; the movement row to save."""
    product.stock_qty += qty
    product.stock_value += value
    if product.stock_qty < 0 or product.stock_value < 0:
        raise costing.NegativeStock(f"Stok {product.name} tidak boleh negatif.")
    return StockMovement(
        cooperative_id=product.cooperative_id,
        product=product,
        date=date,
        kind=kind,
        qty=qty,
        value=value,
        balance_qty=product.stock_qty,
        balance_value=product.stock_value,
        ref=ref,
        reason=reason[:200],
    )


def _save_stock(products, movements) -> None:
    rawsql.update_stock(products)
    rawsql.insert(movements)


def _stock(product: Product) -> costing.Stock:
    return costing.Stock(product.stock_qty, product.stock_value)


def member_part(cooperative, product: Product, buyer: Member | None) -> bool:
    """Is this sale line member participation? By origin (produsen/pemasaran) or by buyer."""
    if cooperative.jenis in BY_ORIGIN:
        return product.producer_id is not None
    return buyer is not None


def _part(member: bool) -> str:
    return "anggota" if member else "non_anggota"


def _lines_from(amounts: dict) -> list[Line]:
    """Ledger lines from {(account key, "D"|"C"): amount}, zero amounts left out, debits first."""
    out = []
    for (key, side), amount in sorted(amounts.items(), key=lambda kv: (kv[0][1] != "D", kv[0][0])):
        if amount:
            out.append(Line(key, debit=amount) if side == "D" else Line(key, credit=amount))
    return out


# --- catalogue -----------------------------------------------------------------------------------

PRODUCT_FIELDS = (
    "name",
    "barcode",
    "description",
    "category",
    "unit",
    "producer_consent",
    "consignment",
    "commission_percent",
    "commission_fixed",
    "packaging",
    "weight_grams",
    "shelf_life_days",
    "pirt_number",
    "halal_number",
    "price_member",
    "price_non_member",
    "min_order",
    "published",
    "active",
)


def _clean_commission(out: dict) -> None:
    for key in ("commission_percent", "commission_fixed"):
        if key not in out:
            continue
        if out[key] in (None, ""):
            out[key] = None
            continue
        out[key] = _money(out[key], "Komisi") if key == "commission_fixed" else D(out[key])
        if out[key] < 0 or (key == "commission_percent" and out[key] > 100):
            raise UsahaError("Komisi harus antara 0 dan 100%.")


def _clean_product(cooperative, fields: dict) -> dict:
    out = {k: v for k, v in fields.items() if k in PRODUCT_FIELDS}
    unknown = set(fields) - set(PRODUCT_FIELDS) - {"producer"}
    if unknown:
        raise TypeError(f"unknown product fields: {sorted(unknown)}")
    for key in ("price_member", "price_non_member"):
        if key in out:
            out[key] = _money(out[key], "Harga")
    _clean_commission(out)
    if "min_order" in out:
        out["min_order"] = _qty(out["min_order"], "Pembelian minimum")
    if "category" in out and out["category"] not in Category.values:
        raise UsahaError("Kategori produk tidak dikenal.")
    if "name" in out and not str(out["name"]).strip():
        raise UsahaError("Nama produk wajib diisi.")
    if "producer" in fields:
        out["producer"] = _member(cooperative, fields["producer"])
    return out


def _check_consignment(product: Product) -> None:
    if product.consignment and product.producer_id is None:
        raise UsahaError("Produk titip jual harus mencatat anggota pemiliknya (anggota produsen).")


def product_create(
    *, actor, cooperative, code: str, name: str, price_member, price_non_member, **fields
) -> Product:
    """Add a product to the catalogue (no stock: stock comes from purchases, titipan or a stock count)."""
    require_role(actor, cooperative, APPROVERS, "mengubah katalog")
    code = str(code or "").strip().lower()
    if not code or not all(ch.isalnum() or ch in "-_" for ch in code):
        raise UsahaError("Kode produk hanya boleh huruf, angka, '-' dan '_'.")
    data = _clean_product(
        cooperative,
        {"name": name, "price_member": price_member, "price_non_member": price_non_member, **fields},
    )
    with action_atomic():
        if Product.objects.filter(cooperative=cooperative, code=code).exists():
            raise UsahaError(f"Kode produk '{code}' sudah dipakai.")
        product = Product(cooperative=cooperative, code=code, **data)
        _check_consignment(product)
        product.save()
        audit.record(
            actor, "product_create", cooperative=cooperative, obj=product, ref=code, summary=product.name
        )
    return product


def product_update(*, actor, cooperative, code: str, **fields) -> Product:
    require_role(actor, cooperative, APPROVERS, "mengubah katalog")
    data = _clean_product(cooperative, fields)
    with action_atomic():
        product = _lock_products(cooperative, [code])[code]
        if (
            "consignment" in data
            and data["consignment"] != product.consignment
            and (product.stock_qty or product.stock_value)
        ):
            raise UsahaError("Jenis titip jual hanya dapat diubah saat stok kosong.")
        before = audit.snapshot(product, list(data))
        for key, value in data.items():
            setattr(product, key, value)
        _check_consignment(product)
        product.save()
        b, a = audit.diff(before, audit.snapshot(product, list(data)))
        audit.record(
            actor,
            "product_update",
            cooperative=cooperative,
            obj=product,
            ref=code,
            summary=product.name,
            before=b,
            after=a,
        )
    return product


def product_photo_add(*, actor, cooperative, code: str, image) -> ProductPhoto:
    """Attach an already validated and resized image (``images.prepare``) to the product."""
    require_role(actor, cooperative, APPROVERS, "mengubah katalog")
    with action_atomic():
        product = _lock_products(cooperative, [code])[code]
        if product.photos.count() >= 6:
            raise UsahaError("Paling banyak 6 foto per produk.")
        photo = ProductPhoto(cooperative=cooperative, product=product, position=product.photos.count())
        photo.image.save(image.name, image, save=False)
        photo.save()
        audit.record(
            actor,
            "product_photo_add",
            cooperative=cooperative,
            obj=product,
            ref=code,
            summary=photo.image.name,
        )
    return photo


def product_photo_delete(*, actor, cooperative, code: str, photo_id: int) -> None:
    require_role(actor, cooperative, APPROVERS, "mengubah katalog")
    with action_atomic():
        photo = ProductPhoto.objects.filter(cooperative=cooperative, product__code=code, pk=photo_id).first()
        if photo is None:
            raise UsahaError("Foto tidak ditemukan.")
        name = photo.image.name
        photo.delete()
        audit.record(actor, "product_photo_delete", cooperative=cooperative, ref=code, summary=name)


class ImportRejected(UsahaError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("Impor dibatalkan, tidak ada yang disimpan: " + "; ".join(errors[:20]))


IMPORT_COLUMNS = (
    "kode",
    "nama",
    "kategori",
    "satuan",
    "harga_anggota",
    "harga_non_anggota",
    "anggota_produsen",
    "titip_jual",
    "komisi_persen",
    "kemasan",
    "berat_gram",
    "pirt",
    "halal",
    "minimum",
    "tampil",
)


def _whole_number(value, column: str) -> int | None:
    if value in (None, ""):
        return None
    text = str(value).strip()
    if text.endswith(".0"):  # a number cell read back from Excel
        text = text[:-2]
    if not text.isdigit():
        raise UsahaError(f"{column} harus bilangan bulat tidak negatif")
    return int(text)


def _import_row(row: dict) -> dict:
    def flag(v):
        return str(v or "").strip().lower() in ("1", "ya", "y", "true", "x")

    return {
        "name": str(row.get("nama") or "").strip(),
        "category": str(row.get("kategori") or "lainnya").strip(),
        "unit": str(row.get("satuan") or "pcs").strip(),
        "price_member": row.get("harga_anggota"),
        "price_non_member": row.get("harga_non_anggota"),
        "producer": str(row.get("anggota_produsen") or "").strip(),
        "consignment": flag(row.get("titip_jual")),
        "commission_percent": row.get("komisi_persen"),
        "packaging": str(row.get("kemasan") or ""),
        "weight_grams": _whole_number(row.get("berat_gram"), "berat_gram"),
        "pirt_number": str(row.get("pirt") or ""),
        "halal_number": str(row.get("halal") or ""),
        "min_order": row.get("minimum") or 1,
        "published": flag(row.get("tampil")),
    }


def product_import(*, actor, cooperative, rows) -> int:
    """Create or update products from spreadsheet rows [(row number, {column: value})]; every row is
    checked first and one bad row refuses the whole import (nothing written)."""
    require_role(actor, cooperative, APPROVERS, "mengimpor katalog")
    parsed, errors = [], []
    existing = set(Product.objects.filter(cooperative=cooperative).values_list("code", flat=True))
    for number, row in rows:
        code = str(row.get("kode") or "").strip().lower()
        try:
            data = _import_row(row)
            _clean_product(cooperative, data)
            if not code:
                raise UsahaError("kode wajib diisi")
            parsed.append((code, data))
        except (DomainError, ValueError, TypeError) as exc:
            errors.append(f"baris {number}: {exc}")
    if errors:
        raise ImportRejected(errors)
    try:
        with batch():
            for code, data in parsed:
                if code in existing:
                    product_update(actor=actor, cooperative=cooperative, code=code, **data)
                else:
                    product_create(actor=actor, cooperative=cooperative, code=code, **data)
                    existing.add(code)
    except DomainError as exc:
        raise ImportRejected([str(exc)]) from None
    return len(parsed)


# --- purchases -------------------------------------------------------------------------------------


def _purchase_lines(products, lines, consignment: bool, supplier: Member | None):
    out = []
    for ln in lines:
        product = products[str(ln["product"]).strip()]
        if product.consignment != consignment:
            raise UsahaError(
                f"{product.name}: "
                + (
                    "bukan barang titip jual."
                    if consignment
                    else "barang titip jual dicatat sebagai titipan masuk."
                )
            )
        if consignment and product.producer_id != getattr(supplier, "pk", None):
            raise UsahaError(f"{product.name}: titipan hanya dari anggota pemiliknya.")
        qty = _qty(ln["qty"])
        unit_cost = ZERO if consignment else _money(ln.get("unit_cost"), "Harga beli")
        out.append((product, qty, unit_cost, ZERO if consignment else q(qty * unit_cost)))
    return out


def purchase_record(
    *,
    actor,
    cooperative,
    lines,
    date: dt.date | None = None,
    supplier_member=None,
    supplier_name: str = "",
    payment: str = Payment.TUNAI,
    consignment: bool = False,
    trade_ref: str = "",
    memo: str = "",
) -> Purchase:
    """Goods in: bought (cash → Kas, credit → Utang Usaha; Dr Persediaan) from a supplier or a member,
    or consigned by their member owner (titipan: quantity only, nothing posted)."""
    require_role(actor, cooperative, STAFF, "mencatat pembelian")
    date = _date(date)
    if payment not in Payment.values:
        raise UsahaError("Cara bayar tidak dikenal.")
    if not lines or len(lines) > MAX_LINES:
        raise UsahaError("Pembelian harus memiliki 1 sampai 200 baris barang.")
    with action_atomic():
        check_open(cooperative, date)
        supplier = _member(cooperative, supplier_member)
        if supplier is None and not supplier_name.strip():
            raise UsahaError("Pemasok atau anggota penyetor wajib diisi.")
        products = _lock_products(cooperative, [ln["product"] for ln in lines])
        rows = _purchase_lines(products, lines, consignment, supplier)
        total = sum((r[3] for r in rows), ZERO)
        if not consignment and total <= 0:
            raise UsahaError("Jumlah pembelian harus lebih dari nol.")
        purchase = Purchase.objects.create(
            cooperative=cooperative,
            number=_number(cooperative, "PB", date),
            date=date,
            supplier_member=supplier,
            supplier_name=(supplier.name if supplier else supplier_name.strip())[:150],
            payment=payment,
            consignment=consignment,
            total=total,
            paid=total if payment == Payment.TUNAI else ZERO,
            trade_ref=trade_ref.strip()[:40],
            memo=memo[:200],
            created_by=actor if getattr(actor, "pk", None) else None,
        )
        kind = K.CONSIGNMENT_IN if consignment else K.PURCHASE
        movements = [_movement(p, date, kind, qty, cost, purchase.number) for p, qty, _u, cost in rows]
        PurchaseLine.objects.bulk_create(
            PurchaseLine(cooperative=cooperative, purchase=purchase, product=p, qty=qty, unit_cost=u, total=t)
            for p, qty, u, t in rows
        )
        _save_stock(products.values(), movements)
        if not consignment:
            credit = "kas" if payment == Payment.TUNAI else "utang_usaha"
            purchase.entry = post(
                cooperative=cooperative,
                date=date,
                actor=actor,
                source_type="usaha.purchase",
                source_ref=purchase.number,
                memo=f"Pembelian {purchase.number} {purchase.supplier_name}",
                lines=[Line("persediaan", debit=total), Line(credit, credit=total)],
            )
            purchase.save(update_fields=["entry"])
        audit.record(
            actor,
            "purchase_record",
            cooperative=cooperative,
            obj=purchase,
            ref=purchase.number,
            summary=f"{purchase.supplier_name} {total}",
            after={"total": total, "payment": payment, "consignment": consignment},
        )
    return purchase


def purchase_pay(*, actor, cooperative, number: str, amount, date: dt.date | None = None) -> PurchasePayment:
    """Pay (part of) a credit purchase: Dr Utang Usaha / Cr Kas."""
    require_role(actor, cooperative, STAFF, "membayar utang pembelian")
    date = _date(date)
    amount = _money(amount, "Jumlah bayar")
    if amount <= 0:
        raise UsahaError("Jumlah bayar harus lebih dari nol.")
    with action_atomic():
        purchase = Purchase.objects.select_for_update().filter(cooperative=cooperative, number=number).first()
        if purchase is None:
            raise UsahaError(f"Pembelian {number} tidak ditemukan.")
        if amount > purchase.outstanding:
            raise UsahaError(f"Sisa utang pembelian {number} hanya {purchase.outstanding}.")
        entry = post(
            cooperative=cooperative,
            date=date,
            actor=actor,
            source_type="usaha.purchase_payment",
            source_ref=number,
            memo=f"Pembayaran utang pembelian {number} {purchase.supplier_name}",
            lines=[Line("utang_usaha", debit=amount), Line("kas", credit=amount)],
        )
        payment = PurchasePayment.objects.create(
            cooperative=cooperative, purchase=purchase, date=date, amount=amount, entry=entry
        )
        purchase.paid += amount
        purchase.save(update_fields=["paid"])
        audit.record(
            actor, "purchase_pay", cooperative=cooperative, obj=purchase, ref=number, summary=str(amount)
        )
    return payment


# --- sales ----------------------------------------------------------------------------------------


def _sale_rows(cooperative, products, lines, buyer):
    """[(product, qty, price, gross)] with the buyer's price unless a price is given."""
    rows = []
    for ln in lines:
        product = products[str(ln["product"]).strip()]
        if not product.active:
            raise UsahaError(f"Produk {product.name} tidak aktif.")
        qty = _qty(ln["qty"])
        default = product.price_member if buyer is not None else product.price_non_member
        price = _money(ln.get("price") if ln.get("price") not in (None, "") else default, "Harga jual")
        rows.append((product, qty, price, q(qty * price)))
    return rows


def _sale_line(sale, row, net, *, buyer, amounts, movements) -> SaleLine:
    """Build one sale line: stock out, cost or consignment split, and its ledger amounts."""
    cooperative = sale.cooperative
    product, qty, price, gross = row
    m = member_part(cooperative, product, buyer)
    line = SaleLine(
        cooperative=cooperative,
        sale=sale,
        date=sale.date,
        product=product,
        qty=qty,
        price=price,
        gross=gross,
        net=net,
        member_part=m,
        consigned=product.consignment,
    )
    if product.consignment:
        line.consignor_id = product.producer_id
        line.commission, line.payable = costing.consignment_split(
            net, qty, percent=product.commission_percent, fixed_per_unit=product.commission_fixed
        )
        movements.append(_movement(product, sale.date, K.SALE, -qty, ZERO, sale.number))
        amounts[(f"komisi_konsinyasi_{_part(m)}", "C")] += line.commission
        amounts[("utang_konsinyasi", "C")] += line.payable
        return line
    if qty > product.stock_qty:
        raise costing.NegativeStock(
            f"Stok {product.name} tidak cukup: tersedia {product.stock_qty.normalize():f}, dijual {qty.normalize():f}."
        )
    line.cost = costing.issue_cost(_stock(product), qty)
    movements.append(_movement(product, sale.date, K.SALE, -qty, -line.cost, sale.number))
    amounts[(f"penjualan_{_part(m)}", "C")] += net
    amounts[(f"hpp_{_part(m)}", "D")] += line.cost
    amounts[("persediaan", "C")] += line.cost
    return line


def sale_record(
    *,
    actor,
    cooperative,
    lines,
    date: dt.date | None = None,
    buyer_member=None,
    buyer_name: str = "",
    payment: str = Payment.TUNAI,
    discount=0,
    trade_ref: str = "",
) -> Sale:
    """A sale at the till: stock out at moving average cost, revenue, HPP and the consignors' share
    posted in one entry (Dr Kas or Piutang Usaha). Credit only to members."""
    require_role(actor, cooperative, STAFF, "mencatat penjualan")
    date = _date(date)
    if payment not in Payment.values:
        raise UsahaError("Cara bayar tidak dikenal.")
    if not lines or len(lines) > MAX_LINES:
        raise UsahaError("Penjualan harus memiliki 1 sampai 200 baris barang.")
    discount = _money(discount, "Potongan harga")
    with action_atomic():
        check_open(cooperative, date)
        buyer = _member(cooperative, buyer_member)
        if payment == Payment.KREDIT and buyer is None:
            raise UsahaError("Penjualan kredit hanya untuk anggota.")
        products = _lock_products(cooperative, [ln["product"] for ln in lines])
        rows = _sale_rows(cooperative, products, lines, buyer)
        nets = costing.spread_discount([r[3] for r in rows], discount)
        gross = sum((r[3] for r in rows), ZERO)
        total = gross - discount
        if total <= 0:
            raise UsahaError("Jumlah penjualan harus lebih dari nol.")
        sale = Sale(
            cooperative=cooperative,
            number=_number(cooperative, "PJ", date),
            date=date,
            buyer_member=buyer,
            buyer_name=(buyer.name if buyer else buyer_name.strip())[:150],
            payment=payment,
            gross=gross,
            discount=discount,
            total=total,
            paid=total if payment == Payment.TUNAI else ZERO,
            trade_ref=trade_ref.strip()[:40],
            cashier=actor if getattr(actor, "pk", None) else None,
        )
        sale.save()
        amounts, movements = defaultdict(lambda: ZERO), []
        sale_lines = [
            _sale_line(sale, row, net, buyer=buyer, amounts=amounts, movements=movements)
            for row, net in zip(rows, nets, strict=True)
        ]
        amounts[("kas" if payment == Payment.TUNAI else "piutang_usaha", "D")] += total
        rawsql.insert(sale_lines)
        _save_stock(products.values(), movements)
        sale.entry = post(
            cooperative=cooperative,
            date=date,
            actor=actor,
            source_type="usaha.sale",
            source_ref=sale.number,
            memo=f"Penjualan {sale.number} {sale.buyer_name}".strip(),
            lines=_lines_from(amounts),
        )
        Sale.objects.filter(pk=sale.pk).update(entry=sale.entry)
        audit.record(
            actor,
            "sale_record",
            cooperative=cooperative,
            obj=sale,
            ref=sale.number,
            summary=f"{sale.buyer_name or 'Umum'} {total}",
            after={"total": total, "payment": payment},
        )
    return sale


def _lock_sale(cooperative, number) -> Sale:
    sale = Sale.objects.select_for_update().filter(cooperative=cooperative, number=number).first()
    if sale is None:
        raise UsahaError(f"Penjualan {number} tidak ditemukan.")
    return sale


def _return_line(line: SaleLine, qty, amounts, movements, ref, date) -> SaleReturnLine:
    left = line.qty - line.returned_qty
    if qty > left:
        raise UsahaError(f"{line.product.name}: paling banyak {left.normalize():f} dapat diretur.")
    net = costing.proportional(line.net - line.returned_net, qty, left)
    cost = costing.proportional(line.cost - line.returned_cost, qty, left)
    commission = (
        costing.proportional(line.commission - line.returned_commission, qty, left)
        if line.consigned
        else ZERO
    )
    payable = net - commission if line.consigned else ZERO
    part = _part(line.member_part)
    if line.consigned:
        amounts[(f"komisi_konsinyasi_{part}", "D")] += commission
        amounts[("utang_konsinyasi", "D")] += payable
    else:
        amounts[(f"retur_penjualan_{part}", "D")] += net
        amounts[("persediaan", "D")] += cost
        amounts[(f"hpp_{part}", "C")] += cost
    movements.append(_movement(line.product, date, K.RETURN, qty, cost, ref))
    line.returned_qty += qty
    line.returned_net += net
    line.returned_cost += cost
    line.returned_commission += commission
    return SaleReturnLine(
        cooperative_id=line.cooperative_id,
        line=line,
        date=date,
        qty=qty,
        net=net,
        cost=cost,
        commission=commission,
        payable=payable,
    )


def sale_return(
    *, actor, cooperative, number: str, lines, date: dt.date | None = None, reason: str = ""
) -> SaleReturn:
    """Goods back from a buyer: the returned share of each line's net, cost and commission reversed;
    refunded in cash, or credited to the receivable of a credit sale first."""
    require_role(actor, cooperative, STAFF, "mencatat retur penjualan")
    date = _date(date)
    with action_atomic():
        check_open(cooperative, date)
        sale = _lock_sale(cooperative, number)
        sale_lines = list(sale.lines.select_related("product").order_by("id"))
        products = _lock_products(cooperative, [ln.product.code for ln in sale_lines])
        for ln in sale_lines:
            ln.product = products[ln.product.code]
        ret = SaleReturn(
            cooperative=cooperative,
            number=_number(cooperative, "RJ", date),
            sale=sale,
            date=date,
            amount=ZERO,
            reason=reason[:200],
        )
        amounts, movements, rlines = defaultdict(lambda: ZERO), [], []
        for want in lines:
            qty = _qty(want["qty"])
            line = next(
                (
                    ln
                    for ln in sale_lines
                    if ln.product.code == str(want["product"]).strip() and ln.qty > ln.returned_qty
                ),
                None,
            )
            if line is None:
                raise UsahaError(f"Produk '{want['product']}' tidak ada (lagi) di penjualan {number}.")
            rlines.append(_return_line(line, qty, amounts, movements, ret.number, date))
        ret.amount = sum((r.net for r in rlines), ZERO)
        if ret.amount <= 0:
            raise UsahaError("Jumlah retur harus lebih dari nol.")
        to_receivable = min(ret.amount, max(sale.receivable, ZERO))
        amounts[("piutang_usaha", "C")] += to_receivable
        amounts[("kas", "C")] += ret.amount - to_receivable
        ret.entry = post(
            cooperative=cooperative,
            date=date,
            actor=actor,
            source_type="usaha.return",
            source_ref=ret.number,
            memo=f"Retur penjualan {number} ({ret.number})",
            lines=_lines_from(amounts),
        )
        ret.save()
        for r in rlines:
            r.sale_return = ret
        SaleReturnLine.objects.bulk_create(rlines)
        SaleLine.objects.bulk_update(
            sale_lines, ["returned_qty", "returned_net", "returned_cost", "returned_commission"]
        )
        _save_stock(products.values(), movements)
        sale.returned += ret.amount
        sale.save(update_fields=["returned"])
        audit.record(
            actor,
            "sale_return",
            cooperative=cooperative,
            obj=ret,
            ref=ret.number,
            summary=f"{number} {ret.amount}",
            after={"amount": ret.amount},
        )
    return ret


def _sukarela_account(cooperative, member):
    accounts = [
        a
        for a in savings_selectors.accounts_of_member(cooperative, member)
        if a.kind == "sukarela" and a.status == "aktif"
    ]
    if not accounts:
        raise UsahaError(f"Anggota {member.number} tidak memiliki rekening simpanan sukarela aktif.")
    return accounts[0]


def sale_payment_record(
    *,
    actor,
    cooperative,
    number: str,
    amount,
    date: dt.date | None = None,
    method: str = SalePayment.Method.TUNAI,
) -> SalePayment:
    """Payment of a credit sale: in cash (Dr Kas / Cr Piutang Usaha) or deducted from the member's
    simpanan sukarela through the savings withdrawal (Dr Simpanan Sukarela / Cr Piutang Usaha)."""
    require_role(actor, cooperative, STAFF, "mencatat pembayaran piutang")
    date = _date(date)
    amount = _money(amount, "Jumlah bayar")
    if amount <= 0:
        raise UsahaError("Jumlah bayar harus lebih dari nol.")
    if method not in SalePayment.Method.values:
        raise UsahaError("Cara bayar tidak dikenal.")
    with action_atomic(), batch():
        sale = _lock_sale(cooperative, number)
        if amount > sale.receivable:
            raise UsahaError(f"Sisa piutang penjualan {number} hanya {sale.receivable}.")
        memo = f"Pelunasan piutang penjualan {number} {sale.buyer_name}"
        if method == SalePayment.Method.SUKARELA:
            account = _sukarela_account(cooperative, sale.buyer_member)
            receipt = savings_actions.savings_withdraw(
                actor=actor,
                cooperative=cooperative,
                account=account.number,
                amount=amount,
                date=date,
                memo=memo,
                cash_account="piutang_usaha",
            )
            reference = receipt.number
        else:
            reference = post(
                cooperative=cooperative,
                date=date,
                actor=actor,
                source_type="usaha.sale_payment",
                source_ref=number,
                memo=memo,
                lines=[Line("kas", debit=amount), Line("piutang_usaha", credit=amount)],
            ).number
        payment = SalePayment.objects.create(
            cooperative=cooperative, sale=sale, date=date, amount=amount, method=method, reference=reference
        )
        sale.paid += amount
        sale.save(update_fields=["paid"])
        audit.record(
            actor,
            "sale_payment_record",
            cooperative=cooperative,
            obj=sale,
            ref=number,
            summary=f"{method} {amount}",
            after={"amount": amount, "method": method, "reference": reference},
        )
    return payment


# --- consignment -----------------------------------------------------------------------------------


def consignment_payable(cooperative, member) -> Decimal:
    """What the cooperative owes a consignor: sold shares − returned shares − payouts."""
    sold = (
        SaleLine.objects.filter(cooperative=cooperative, consignor=member).aggregate(s=Sum("payable"))["s"]
        or ZERO
    )
    back = (
        SaleReturnLine.objects.filter(cooperative=cooperative, line__consignor=member).aggregate(
            s=Sum("payable")
        )["s"]
        or ZERO
    )
    paid = (
        ConsignmentPayout.objects.filter(cooperative=cooperative, member=member).aggregate(s=Sum("amount"))[
            "s"
        ]
        or ZERO
    )
    return sold - back - paid


def consignment_payout(
    *, actor, cooperative, member_number: str, amount=None, date: dt.date | None = None
) -> ConsignmentPayout:
    """Pay a consignor their share of sold goods: Dr Utang Konsinyasi / Cr Kas (default: all owed)."""
    require_role(actor, cooperative, STAFF, "membayar hasil titip jual")
    date = _date(date)
    with action_atomic():
        member = (
            Member.objects.select_for_update().filter(cooperative=cooperative, number=member_number).first()
        )
        if member is None:
            raise UsahaError(f"Anggota {member_number} tidak ditemukan.")
        owed = consignment_payable(cooperative, member)
        amount = owed if amount in (None, "") else _money(amount, "Jumlah bayar")
        if amount <= 0 or amount > owed:
            raise UsahaError(f"Jumlah bayar harus lebih dari nol dan paling banyak {owed}.")
        number = _number(cooperative, "KS", date)
        entry = post(
            cooperative=cooperative,
            date=date,
            actor=actor,
            source_type="usaha.consignment_payout",
            source_ref=number,
            memo=f"Pembayaran titip jual {member.number} {member.name}",
            lines=[Line("utang_konsinyasi", debit=amount), Line("kas", credit=amount)],
        )
        payout = ConsignmentPayout.objects.create(
            cooperative=cooperative, number=number, member=member, date=date, amount=amount, entry=entry
        )
        audit.record(
            actor,
            "consignment_payout",
            cooperative=cooperative,
            obj=payout,
            ref=number,
            summary=f"{member.number} {amount}",
        )
    return payout


def consignment_return(
    *, actor, cooperative, code: str, qty, date: dt.date | None = None, reason: str = ""
) -> StockMovement:
    """Unsold consigned goods handed back to their owner (quantity only)."""
    require_role(actor, cooperative, STAFF, "mengembalikan barang titipan")
    date = _date(date)
    qty = _qty(qty)
    with action_atomic():
        product = _lock_products(cooperative, [code])[code]
        if not product.consignment:
            raise UsahaError(f"{product.name} bukan barang titip jual.")
        if qty > product.stock_qty:
            raise costing.NegativeStock(
                f"Stok titipan {product.name} hanya {product.stock_qty.normalize():f}."
            )
        move = _movement(
            product, date, K.CONSIGNMENT_OUT, -qty, ZERO, reason=reason or "Dikembalikan ke pemilik"
        )
        _save_stock([product], [move])
        audit.record(
            actor, "consignment_return", cooperative=cooperative, obj=product, ref=code, summary=str(qty)
        )
    return move


# --- stock count -------------------------------------------------------------------------------------


def _count_line(product: Product, counted: Decimal, date, ref, reason, amounts, movements) -> StockCountLine:
    diff = counted - product.stock_qty
    value = ZERO
    if diff < 0 and not product.consignment:
        value = -costing.issue_cost(_stock(product), -diff)
        amounts[("selisih_persediaan", "D")] += -value
        amounts[("persediaan", "C")] += -value
    elif diff > 0 and not product.consignment:
        value = q(diff * product.average_cost)
        amounts[("persediaan", "D")] += value
        amounts[("selisih_persediaan", "C")] += value
    line = StockCountLine(
        cooperative_id=product.cooperative_id,
        product=product,
        system_qty=product.stock_qty,
        counted_qty=counted,
        value=value,
    )
    if diff:
        movements.append(_movement(product, date, K.ADJUSTMENT, diff, value, ref, reason))
    return line


def stock_count_record(
    *, actor, cooperative, counts, date: dt.date | None = None, reason: str = ""
) -> StockCount:
    """Stock opname: the counted quantities replace the books'; shortages cost the moving average
    (Dr Selisih Persediaan / Cr Persediaan), surpluses are valued at it (the reverse)."""
    require_role(actor, cooperative, STAFF, "mencatat stok opname")
    date = _date(date)
    if not counts:
        raise UsahaError("Isi paling sedikit satu hasil hitung.")
    with action_atomic():
        check_open(cooperative, date)
        products = _lock_products(cooperative, [c["product"] for c in counts])
        count = StockCount(
            cooperative=cooperative, number=_number(cooperative, "SO", date), date=date, reason=reason[:200]
        )
        amounts, movements, lines = defaultdict(lambda: ZERO), [], []
        for c in counts:
            counted = D(c["counted"])
            if counted < 0:
                raise UsahaError("Hasil hitung tidak boleh negatif.")
            lines.append(
                _count_line(
                    products[str(c["product"]).strip()],
                    counted,
                    date,
                    count.number,
                    reason or "Stok opname",
                    amounts,
                    movements,
                )
            )
        count.difference_value = sum((ln.value for ln in lines), ZERO)
        posting = _lines_from(amounts)
        if posting:
            count.entry = post(
                cooperative=cooperative,
                date=date,
                actor=actor,
                source_type="usaha.stock_count",
                source_ref=count.number,
                memo=f"Selisih stok opname {count.number}",
                lines=posting,
            )
        count.save()
        for ln in lines:
            ln.count = count
        StockCountLine.objects.bulk_create(lines)
        _save_stock(products.values(), movements)
        audit.record(
            actor,
            "stock_count_record",
            cooperative=cooperative,
            obj=count,
            ref=count.number,
            summary=f"{len(lines)} produk, selisih {count.difference_value}",
        )
    return count


# --- inquiries and the shop profile ---------------------------------------------------------------------


def inquiry_submit(
    *, cooperative, name: str, phone: str, message: str = "", product_code: str = "", quantity=1
) -> Inquiry:
    """A visitor's order inquiry from the public market (no login: the public may call it; the page
    throttles it and keeps a honeypot)."""
    name, phone = str(name or "").strip()[:100], str(phone or "").strip()[:20]
    if not name or len(phone) < 8 or not all(ch.isdigit() or ch in "+- " for ch in phone):
        raise UsahaError("Nama dan nomor HP yang valid wajib diisi.")
    qty = _qty(quantity or 1)
    with action_atomic():
        product = None
        if product_code:
            product = Product.objects.filter(
                cooperative=cooperative, code=product_code, published=True, active=True
            ).first()
            if product is None:
                raise UsahaError("Produk tidak ditemukan.")
        inquiry = Inquiry.objects.create(
            cooperative=cooperative,
            product=product,
            name=name,
            phone=phone,
            quantity=qty,
            message=str(message or "")[:1000],
        )
        audit.record(
            None,
            "inquiry_submit",
            cooperative=cooperative,
            obj=inquiry,
            ref=inquiry.code,
            summary=f"{name} {product.name if product else ''}".strip(),
        )
    return inquiry


def inquiry_status_set(*, actor, cooperative, code: str, status: str) -> Inquiry:
    require_role(actor, cooperative, STAFF, "mengubah status pesanan")
    if status not in Inquiry.Status.values:
        raise UsahaError("Status tidak dikenal.")
    with action_atomic():
        inquiry = Inquiry.objects.select_for_update().filter(cooperative=cooperative, code=code).first()
        if inquiry is None:
            raise UsahaError("Pesanan tidak ditemukan.")
        before = inquiry.status
        inquiry.status = status
        inquiry.save(update_fields=["status"])
        audit.record(
            actor,
            "inquiry_status_set",
            cooperative=cooperative,
            obj=inquiry,
            ref=code,
            before={"status": before},
            after={"status": status},
        )
    return inquiry


PROFILE_FIELDS = ("published", "story", "whatsapp", "show_rat_date", "last_rat_date", "show_health")


def shop_profile_update(*, actor, cooperative, logo=None, photo=None, **fields) -> ShopProfile:
    """The cooperative's public profile; ``logo``/``photo`` are images already prepared by ``images.prepare``."""
    require_role(actor, cooperative, BOARD, "mengubah profil publik")
    unknown = set(fields) - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"unknown profile fields: {sorted(unknown)}")
    with action_atomic():
        profile, _created = ShopProfile.objects.select_for_update().get_or_create(cooperative=cooperative)
        for key, value in fields.items():
            setattr(profile, key, value)
        if logo is not None:
            profile.logo.save(logo.name, logo, save=False)
        if photo is not None:
            profile.photo.save(photo.name, photo, save=False)
        profile.save()
        audit.record(
            actor,
            "shop_profile_update",
            cooperative=cooperative,
            obj=profile,
            ref=cooperative.slug,
            summary=", ".join(
                str(ShopProfile._meta.get_field(f).verbose_name)
                for f in sorted([*fields, *(["logo"] if logo else []), *(["photo"] if photo else [])])
            ),
        )
    return profile
