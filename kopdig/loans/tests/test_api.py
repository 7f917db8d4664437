from decimal import Decimal

import pytest

from kopdig.loans.models import Loan, Repayment

from .conftest import assert_books, disbursed_loan, make_member, make_product

D = Decimal
pytestmark = pytest.mark.django_db


def test_schedule_preview_exact(world, api_client):
    c = api_client.as_user(world.anggota_a)
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/loans/schedule-preview",
        {
            "principal": "12000000",
            "rate_monthly_percent": "1.5",
            "months": 12,
            "method": "anuitas",
            "first_due_date": "2025-02-15",
        },
    )
    assert r.status_code == 200, r.content
    body = r.json()
    assert body["installments"][0] == {
        "number": 1,
        "date": "2025-02-15",
        "pokok": "920159.91",
        "jasa": "180000.00",
        "total": "1100159.91",
        "remaining": "11079840.09",
    }
    assert body["installments"][-1]["total"] == "1100159.96" and body["total_pokok"] == "12000000.00"
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/loans/schedule-preview",
        {"principal": "12000000", "rate_monthly_percent": "1.5", "months": 12, "method": "menurun"},
    )
    assert r.json()["total_jasa"] == "1170000.00"
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/loans/schedule-preview",
        {"principal": "1000", "rate_monthly_percent": "1", "months": 3, "method": "bunga"},
    )
    assert r.status_code == 422
    r = api_client.as_user(world.pengurus_b).post(
        "/api/v1/coops/ksu-sejahtera/loans/schedule-preview",
        {"principal": "1000", "rate_monthly_percent": "1", "months": 3, "method": "flat"},
    )
    assert r.status_code == 404


def test_api_workflow_with_idempotent_repayment(world, api_client):
    product = make_product(world.pengurus_a, world.coop_a)
    kasir = api_client.as_user(world.kasir_a)
    r = kasir.post(
        "/api/v1/coops/ksu-sejahtera/loans",
        {
            "member_number": world.member_a.number,
            "product": product.code,
            "principal": "12000000",
            "term": 12,
            "purpose": "Modal usaha",
            "applied_on": "2025-01-15",
            "collaterals": [{"kind": "BPKB", "description": "Honda", "value": "15000000"}],
        },
    )
    assert r.status_code == 201, r.content
    number = r.json()["number"]
    assert number == "PJ-2025-000001"
    # the one who entered it (kasir) may not approve; kasir is no approver anyway → 403
    assert kasir.post(f"/api/v1/coops/ksu-sejahtera/loans/{number}/approve", {}).status_code == 403
    from django.test import Client

    pengurus = Client()
    tok = pengurus.post(
        "/api/v1/auth/token",
        {"username": world.pengurus_a.username, "password": "rahasia-123"},
        content_type="application/json",
    ).json()["token"]
    h = {"Authorization": f"Bearer {tok}"}
    r = pengurus.post(
        f"/api/v1/coops/ksu-sejahtera/loans/{number}/approve",
        {"date": "2025-01-15"},
        content_type="application/json",
        headers=h,
    )
    assert r.status_code == 200 and r.json()["status"] == "disetujui"
    r = kasir.post(
        f"/api/v1/coops/ksu-sejahtera/loans/{number}/disburse",
        {"date": "2025-01-15", "first_due_date": "2025-02-15"},
    )
    assert r.status_code == 200 and r.json()["outstanding"] == "12000000.00"
    assert len(r.json()["installments"]) == 12
    body = {"amount": "1180000", "date": "2025-02-15"}
    r1 = kasir.post(
        f"/api/v1/coops/ksu-sejahtera/loans/{number}/repayments", body, headers={"Idempotency-Key": "k1"}
    )
    r2 = kasir.post(
        f"/api/v1/coops/ksu-sejahtera/loans/{number}/repayments", body, headers={"Idempotency-Key": "k1"}
    )
    assert r1.status_code == r2.status_code == 201
    assert r1.json() == r2.json()
    assert r1.json()["jasa"] == "180000.00" and r1.json()["loan_outstanding"] == "11000000.00"
    assert Repayment.objects.count() == 1
    r3 = kasir.post(
        f"/api/v1/coops/ksu-sejahtera/loans/{number}/repayments",
        {"amount": "5", "date": "2025-02-15"},
        headers={"Idempotency-Key": "k1"},
    )
    assert r3.status_code == 422
    r = kasir.post(
        f"/api/v1/coops/ksu-sejahtera/loans/{number}/repayments", {"amount": "99999999", "date": "2025-02-16"}
    )
    assert r.status_code == 422 and "melebihi" in r.json()["detail"]
    r = kasir.get("/api/v1/coops/ksu-sejahtera/loans")
    assert r.json()["count"] == 1 and r.json()["items"][0]["outstanding"] == "11000000.00"
    assert_books(world.coop_a)


def test_api_access(world, api_client):
    product = make_product(world.pengurus_a, world.coop_a)
    loan = disbursed_loan(world, product)
    other = make_member(world.coop_a)
    disbursed_loan(world, product, member=other)
    url = f"/api/v1/coops/ksu-sejahtera/loans/{loan.number}"
    assert api_client.as_user(world.dinas).get(url).status_code == 200
    assert api_client.as_user(world.dinas).post(url + "/repayments", {"amount": "1000"}).status_code == 403
    assert (
        api_client.as_user(world.pengawas_a).post(url + "/repayments", {"amount": "1000"}).status_code == 403
    )
    assert (
        api_client.as_user(world.anggota_a).post(url + "/repayments", {"amount": "1000"}).status_code == 403
    )
    assert api_client.as_user(world.pengurus_b).get(url).status_code == 404
    assert (
        api_client.as_user(world.pengurus_b)
        .get(f"/api/v1/coops/ksp-maju-jaya/loans/{loan.number}")
        .status_code
        == 404
    )
    assert api_client.as_user(world.dinas_other).get(url).status_code == 404
    mine = api_client.as_user(world.anggota_a).get("/api/v1/coops/ksu-sejahtera/loans").json()
    assert mine["count"] == 1 and mine["items"][0]["number"] == loan.number
    assert not Repayment.objects.exists()
    assert Loan.objects.get(pk=loan.pk).outstanding == D("12000000.00")
