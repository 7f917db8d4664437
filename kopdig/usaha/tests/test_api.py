import datetime as dt

import pytest
from django.test import Client

from .. import actions
from ..models import Sale

pytestmark = pytest.mark.django_db


def test_market_products_are_public_and_hide_unpublished(shop):
    data = Client().get("/api/v1/market/products").json()
    assert data["count"] == 1 and data["items"][0]["code"] == "keripik"


def test_sale_with_idempotency_key_posts_once(shop, api_client):
    actions.purchase_record(
        actor=shop.kasir_a,
        cooperative=shop.coop_a,
        date=dt.date(2025, 3, 3),
        supplier_name="UD",
        lines=[{"product": "beras", "qty": 5, "unit_cost": "50000"}],
    )
    api = api_client.as_user(shop.kasir_a)
    body = {"lines": [{"product": "beras", "qty": "2"}], "member": "00001", "date": "2025-03-04"}
    url = f"/api/v1/coops/{shop.coop_a.slug}/sales"
    first = api.post(url, body, headers={"Idempotency-Key": "k-1"})
    again = api.post(url, body, headers={"Idempotency-Key": "k-1"})
    assert first.status_code == 201 and again.status_code == 201
    assert first.json() == again.json() and first.json()["total"] == "120000.00"
    assert Sale.objects.count() == 1
    other = api.post(
        url, {**body, "lines": [{"product": "beras", "qty": "1"}]}, headers={"Idempotency-Key": "k-1"}
    )
    assert other.status_code == 422
    too_many = api.post(url, {"lines": [{"product": "beras", "qty": "9"}]})
    assert too_many.status_code == 422 and Sale.objects.count() == 1
    number = first.json()["number"]
    assert (
        api.get(f"/api/v1/coops/{shop.coop_a.slug}/sales/{number}").json()["lines"][0]["member_part"] is True
    )
    stock = api.get(f"/api/v1/coops/{shop.coop_a.slug}/products/beras/stock").json()
    assert stock["product"]["stock_qty"] == "3.000" and len(stock["movements"]) == 2


def test_product_write_needs_approver(shop, api_client):
    url = f"/api/v1/coops/{shop.coop_a.slug}/products"
    body = {"code": "teh", "name": "Teh", "price_member": "5000", "price_non_member": "6000"}
    assert api_client.as_user(shop.kasir_a).post(url, body).status_code == 403
    assert api_client.as_user(shop.pengurus_a).post(url, body).status_code == 201
    assert api_client.get(url).json()["count"] == 3
    assert api_client.as_user(shop.pengurus_b).get(url).status_code == 404


def test_usaha_operations_are_documented_with_their_schemas(client):
    schema = client.get("/api/v1/openapi.json").json()
    sale = schema["paths"]["/api/v1/coops/{slug}/sales"]["post"]
    assert {"201", "401", "403", "404", "409", "422"} <= set(sale["responses"])
    body = schema["components"]["schemas"]["SaleIn"]["properties"]
    assert body["payment"]["enum"] == ["tunai", "kredit"] and body["buyer_name"]["maxLength"] == 150
    line = schema["components"]["schemas"]["SaleLineIn"]["properties"]
    assert line["qty"]["anyOf"][0]["pattern"] == r"^[0-9]{1,11}(\.[0-9]{1,3})?$"
    listed = schema["components"]["schemas"]["InquiryList"]["properties"]
    assert set(listed) == {"items", "count"}


def test_bad_api_input_is_refused_in_indonesian_and_writes_nothing(shop, api_client):
    api = api_client.as_user(shop.pengurus_a)
    url = f"/api/v1/coops/{shop.coop_a.slug}/products"
    negative = api.post(url, {"code": "teh", "name": "Teh", "price_member": "-1", "price_non_member": "6000"})
    assert negative.status_code == 422 and "tidak negatif" in str(negative.json()["detail"])
    floaty = api.post(url, {"code": "teh", "name": "Teh", "price_member": 1.5, "price_non_member": "6000"})
    assert floaty.status_code == 422
    sales = f"/api/v1/coops/{shop.coop_a.slug}/sales"
    unknown = api.post(sales, {"lines": [{"product": "tidak-ada", "qty": "1"}]})
    assert unknown.status_code == 422
    bad_pay = api.post(sales, {"lines": [{"product": "beras", "qty": "1"}], "payment": "bon"})
    assert bad_pay.status_code == 422
    assert api.get(url).json()["count"] == 2 and Sale.objects.count() == 0


def test_inquiries_list_is_staff_only(shop, api_client):
    actions.inquiry_submit(
        cooperative=shop.coop_a, product_code="keripik", name="Ani", phone="081234567890", message="<b>hi</b>"
    )
    url = f"/api/v1/coops/{shop.coop_a.slug}/inquiries"
    data = api_client.as_user(shop.kasir_a).get(url, {"status": "baru"}).json()
    assert data["count"] == 1 and data["items"][0]["message"] == "<b>hi</b>"
    assert data["items"][0]["product"] == "keripik"
    assert api_client.as_user(shop.kasir_a).get(url, {"status": "entah"}).status_code == 422
