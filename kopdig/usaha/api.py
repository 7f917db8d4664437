"""Business-unit API: the public market's products (no token), the cooperative's products
(read: readers; write: pengurus/manajer), stock card, sales (Idempotency-Key) and inquiries."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError
from pydantic import BeforeValidator, ValidationInfo, WithJsonSchema

from kopdig.api.common import (
    Choice,
    EventDate,
    Limit,
    Money,
    Offset,
    Rate,
    Text,
    api_coop,
    event_dates,
    page,
    responses,
)
from kopdig.api.idempotency import run_once
from kopdig.lib import validation
from kopdig.tenancy.access import APPROVERS, READERS, STAFF

from . import actions, selectors
from .models import QTY_FIELD, Category, Inquiry, Payment, StockMovement

router = Router(tags=["usaha"])

_QTY_WHOLE = QTY_FIELD["max_digits"] - QTY_FIELD["decimal_places"]


def _qty(value, info: ValidationInfo) -> Decimal:
    return validation.amount(value, info.field_name or "jumlah", **QTY_FIELD)


# A quantity: a decimal string (up to 3 decimals) or an integer, >= 0.
Qty = Annotated[
    Decimal,
    BeforeValidator(_qty),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": rf"^[0-9]{{1,{_QTY_WHOLE}}}(\.[0-9]{{1,3}})?$"},
                {"type": "integer", "minimum": 0, "maximum": 10**_QTY_WHOLE - 1},
            ],
            "description": 'Jumlah barang: teks desimal ("2.5") atau bilangan bulat.',
        }
    ),
]


# --- public market -------------------------------------------------------------------------


class MarketQuery(Schema):
    q: Text(80) = ""
    category: Text(20) = ""
    kecamatan: Text(20) = ""
    coop: Text(60) = ""
    limit: Limit = 50
    offset: Offset = 0


class MarketProductOut(Schema):
    coop: str
    coop_name: str
    code: str
    name: str
    category: Choice(Category.values)
    unit: str
    price: str
    min_order: str
    url: str


class MarketProductList(Schema):
    items: list[MarketProductOut]
    count: int


def market_out(p) -> dict:
    return {
        "coop": p.cooperative.slug,
        "coop_name": p.cooperative.name,
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "unit": p.unit,
        "price": str(p.price_non_member),
        "min_order": str(p.min_order),
        "url": f"/pasar/{p.cooperative.slug}/{p.code}/",
    }


@router.get("/market/products", response=responses(MarketProductList), auth=None)
def market_products(request, params: Query[MarketQuery]):
    """Published products of the market (public: no token)."""
    qs = selectors.market_products(
        search=params.q, category=params.category, kecamatan=params.kecamatan, coop=params.coop
    )
    return page(qs, params.limit, params.offset, market_out)


# --- the cooperative's catalogue -------------------------------------------------------------


class ProductsQuery(Schema):
    q: Text(80) = ""
    category: Text(20) = ""
    limit: Limit = 50
    offset: Offset = 0


class UsahaProductOut(Schema):
    code: str
    name: str
    category: Choice(Category.values)
    unit: str
    barcode: str
    producer: str | None
    consignment: bool
    price_member: str
    price_non_member: str
    published: bool
    active: bool
    stock_qty: str
    stock_value: str


class UsahaProductList(Schema):
    items: list[UsahaProductOut]
    count: int


def product_out(p) -> dict:
    return {
        "code": p.code,
        "name": p.name,
        "category": p.category,
        "unit": p.unit,
        "barcode": p.barcode,
        "producer": p.producer.number if p.producer else None,
        "consignment": p.consignment,
        "price_member": str(p.price_member),
        "price_non_member": str(p.price_non_member),
        "published": p.published,
        "active": p.active,
        "stock_qty": str(p.stock_qty),
        "stock_value": str(p.stock_value),
    }


@router.get("/coops/{slug}/products", response=responses(UsahaProductList))
def products(request, slug: str, params: Query[ProductsQuery]):
    """The cooperative's catalogue (published or not) with stock on hand."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    return page(
        selectors.product_list(access.cooperative, search=params.q, category=params.category),
        params.limit,
        params.offset,
        product_out,
    )


class UsahaProductIn(Schema):
    code: Text(40, min_length=1, pattern=r"[A-Za-z0-9_-]+")
    name: Text(150, min_length=1)
    price_member: Money
    price_non_member: Money
    category: Choice(Category.values) = Category.LAINNYA
    unit: Text(20, min_length=1) = "pcs"
    producer: Text(20) = ""
    consignment: bool = False
    commission_percent: Rate | None = None
    published: bool = False


@router.post("/coops/{slug}/products", response=responses({201: UsahaProductOut}))
def product_create(request, slug: str, data: UsahaProductIn):
    """Add a product to the catalogue (pengurus/manajer); stock comes from purchases or titipan."""
    access = api_coop(request, slug, APPROVERS)
    fields = data.dict()
    p = actions.product_create(actor=request.user, cooperative=access.cooperative, **fields)
    return Status(201, product_out(p))


class StockMovementOut(Schema):
    date: str
    kind: Choice(StockMovement.Kind.values)
    qty: str
    value: str
    ref: str
    balance_qty: str
    balance_value: str


class StockCardOut(Schema):
    product: UsahaProductOut
    movements: list[StockMovementOut]


@router.get("/coops/{slug}/products/{code}/stock", response=responses(StockCardOut))
def stock(request, slug: str, code: str):
    """The product's stock and its stock card (latest movements first)."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    p = selectors.product_get(access.cooperative, code[:40])
    if p is None:
        raise HttpError(404, "Tidak ditemukan.")
    moves = selectors.stock_card(access.cooperative, p)
    return {
        "product": product_out(p),
        "movements": [
            {
                "date": m.date.isoformat(),
                "kind": m.kind,
                "qty": str(m.qty),
                "value": str(m.value),
                "ref": m.ref,
                "balance_qty": str(m.balance_qty),
                "balance_value": str(m.balance_value),
            }
            for m in moves
        ],
    }


# --- sales -----------------------------------------------------------------------------------


class SaleLineIn(Schema):
    product: Text(40, min_length=1)
    qty: Qty
    price: Money | None = None


class SaleIn(Schema):
    lines: list[SaleLineIn]
    date: EventDate | None = None
    member: Text(20) = ""
    buyer_name: Text(150) = ""
    payment: Choice(Payment.values) = Payment.TUNAI
    discount: Money = Decimal(0)
    trade_ref: Text(40) = ""


class SaleLineOut(Schema):
    product: str
    qty: str
    price: str
    net: str
    member_part: bool


class SaleOut(Schema):
    number: str
    date: str
    member: str | None
    buyer_name: str
    payment: Choice(Payment.values)
    gross: str
    discount: str
    total: str
    receivable: str
    lines: list[SaleLineOut]


def sale_out(sale) -> dict:
    return {
        "number": sale.number,
        "date": sale.date.isoformat(),
        "member": sale.buyer_member.number if sale.buyer_member else None,
        "buyer_name": sale.buyer_name,
        "payment": sale.payment,
        "gross": str(sale.gross),
        "discount": str(sale.discount),
        "total": str(sale.total),
        "receivable": str(sale.receivable),
        "lines": [
            {
                "product": ln.product.code,
                "qty": str(ln.qty),
                "price": str(ln.price),
                "net": str(ln.net),
                "member_part": ln.member_part,
            }
            for ln in selectors.sale_lines(sale)
        ],
    }


@router.post("/coops/{slug}/sales", response=responses({201: SaleOut}, 409))
def sale_create(request, slug: str, data: SaleIn):
    """A POS sale. Send an ``Idempotency-Key`` header: a retry with the same key and body answers
    the first response and sells nothing more."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
    event_dates(coop, date=data.date)
    body = data.dict()

    def fn():
        sale = actions.sale_record(
            actor=request.user,
            cooperative=coop,
            date=data.date,
            buyer_member=data.member or None,
            buyer_name=data.buyer_name,
            payment=data.payment,
            discount=data.discount,
            trade_ref=data.trade_ref,
            lines=[{"product": ln.product, "qty": ln.qty, "price": ln.price} for ln in data.lines],
        )
        return 201, sale_out(selectors.sale_get(coop, sale.number))

    return Status(
        *run_once(
            user=request.user,
            cooperative=coop,
            endpoint="usaha.sales",
            key=request.headers.get("Idempotency-Key"),
            body=body,
            fn=fn,
        )
    )


@router.get("/coops/{slug}/sales/{number}", response=responses(SaleOut))
def sale_get(request, slug: str, number: str):
    """One sale with its lines."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    sale = selectors.sale_get(access.cooperative, number[:30])
    if sale is None:
        raise HttpError(404, "Tidak ditemukan.")
    return sale_out(sale)


# --- inquiries -------------------------------------------------------------------------------


class InquiriesQuery(Schema):
    status: Choice(["", *Inquiry.Status.values]) = ""
    limit: Limit = 50
    offset: Offset = 0


class InquiryOut(Schema):
    code: str
    product: str | None
    name: str
    phone: str
    quantity: str
    message: str
    status: Choice(Inquiry.Status.values)
    created_at: str


class InquiryList(Schema):
    items: list[InquiryOut]
    count: int


def inquiry_out(i) -> dict:
    return {
        "code": i.code,
        "product": i.product.code if i.product else None,
        "name": i.name,
        "phone": i.phone,
        "quantity": str(i.quantity),
        "message": i.message,
        "status": i.status,
        "created_at": i.created_at.isoformat(),
    }


@router.get("/coops/{slug}/inquiries", response=responses(InquiryList))
def inquiries(request, slug: str, params: Query[InquiriesQuery]):
    """Order inquiries from the public market, newest first (staff)."""
    access = api_coop(request, slug, STAFF)
    return page(
        selectors.inquiries(access.cooperative, params.status), params.limit, params.offset, inquiry_out
    )
