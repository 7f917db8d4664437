"""Business-unit API: the public market's products (no token), the cooperative's products
(read: readers; write: pengurus/manajer), stock card, sales (Idempotency-Key) and inquiries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ninja import Query, Router, Schema, Status
from ninja.errors import HttpError

from kopdig.api.common import api_coop, page
from kopdig.api.idempotency import run_once
from kopdig.tenancy.access import APPROVERS, READERS, STAFF

from . import actions, selectors

router = Router(tags=["usaha"])


class Paging(Schema):
    limit: int = 50
    offset: int = 0


class MarketQuery(Paging):
    q: str = ""
    category: str = ""
    kecamatan: str = ""
    coop: str = ""


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


@router.get("/market/products", auth=None)
def market_products(request, params: Query[MarketQuery]):
    """Published products of the market (public: no token)."""
    qs = selectors.market_products(
        search=params.q[:80], category=params.category, kecamatan=params.kecamatan, coop=params.coop
    )
    return page(qs, params.limit, params.offset, market_out)


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


@router.get("/coops/{slug}/products")
def products(request, slug: str, params: Query[MarketQuery]):
    access = api_coop(request, slug, READERS, dinas_read=True)
    return page(
        selectors.product_list(access.cooperative, search=params.q, category=params.category),
        params.limit,
        params.offset,
        product_out,
    )


class ProductIn(Schema):
    code: str
    name: str
    price_member: Decimal
    price_non_member: Decimal
    category: str = "lainnya"
    unit: str = "pcs"
    producer: str = ""
    consignment: bool = False
    commission_percent: Decimal | None = None
    published: bool = False


@router.post("/coops/{slug}/products", response={201: dict})
def product_create(request, slug: str, data: ProductIn):
    access = api_coop(request, slug, APPROVERS)
    fields = data.dict()
    p = actions.product_create(actor=request.user, cooperative=access.cooperative, **fields)
    return Status(201, product_out(p))


@router.get("/coops/{slug}/products/{code}/stock")
def stock(request, slug: str, code: str):
    """The product's stock and its stock card (latest movements first)."""
    access = api_coop(request, slug, READERS, dinas_read=True)
    p = selectors.product_get(access.cooperative, code)
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


class SaleLineIn(Schema):
    product: str
    qty: Decimal
    price: Decimal | None = None


class SaleIn(Schema):
    lines: list[SaleLineIn]
    date: dt.date | None = None
    member: str = ""
    buyer_name: str = ""
    payment: str = "tunai"
    discount: Decimal = Decimal(0)
    trade_ref: str = ""


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


@router.post("/coops/{slug}/sales", response={201: dict})
def sale_create(request, slug: str, data: SaleIn):
    """A POS sale. Send an ``Idempotency-Key`` header: a retry with the same key and body answers
    the first response and sells nothing more."""
    access = api_coop(request, slug, STAFF)
    coop = access.cooperative
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

    status, payload = run_once(
        user=request.user,
        cooperative=coop,
        endpoint="usaha.sales",
        key=request.headers.get("Idempotency-Key"),
        body=body,
        fn=fn,
    )
    return Status(status, payload)


@router.get("/coops/{slug}/sales/{number}")
def sale_get(request, slug: str, number: str):
    access = api_coop(request, slug, READERS, dinas_read=True)
    sale = selectors.sale_get(access.cooperative, number)
    if sale is None:
        raise HttpError(404, "Tidak ditemukan.")
    return sale_out(sale)


@router.get("/coops/{slug}/inquiries")
def inquiries(request, slug: str, params: Query[Paging], status: str = ""):
    access = api_coop(request, slug, STAFF)
    return page(
        selectors.inquiries(access.cooperative, status),
        params.limit,
        params.offset,
        lambda i: {
            "code": i.code,
            "product": i.product.code if i.product else None,
            "name": i.name,
            "phone": i.phone,
            "quantity": str(i.quantity),
            "message": i.message,
            "status": i.status,
            "created_at": i.created_at.isoformat(),
        },
    )
