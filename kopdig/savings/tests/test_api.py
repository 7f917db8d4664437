import datetime as dt
from decimal import Decimal

import pytest

from kopdig.savings.models import SavingsAccount

from .conftest import nik
from .helpers import assert_books_ok, counts

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def setup(world, admit, sukarela, api_client):
    m = admit()
    number = sukarela(m)
    return m, number


def test_api_key_double_submit_posts_once(world, setup, api_client):
    m, number = setup
    c = api_client.as_user(world.kasir_a)
    body = {"account": number, "type": "deposit", "amount": "150000", "date": "2025-02-01"}
    r1 = c.post("/api/v1/coops/ksu-sejahtera/savings/transactions", body, headers={"Idempotency-Key": "k-1"})
    r2 = c.post("/api/v1/coops/ksu-sejahtera/savings/transactions", body, headers={"Idempotency-Key": "k-1"})
    assert r1.status_code == 201 and r2.status_code == 201
    assert r1.json() == r2.json() and r1.json()["balance"] == "150000.00"
    assert SavingsAccount.objects.get(number=number).balance == D("150000.00")
    changed = c.post(
        "/api/v1/coops/ksu-sejahtera/savings/transactions",
        {**body, "amount": "1"},
        headers={"Idempotency-Key": "k-1"},
    )
    assert changed.status_code == 422
    over = c.post(
        "/api/v1/coops/ksu-sejahtera/savings/transactions",
        {"account": number, "type": "withdrawal", "amount": "150000"},
    )
    assert over.status_code == 422 and "Saldo tidak cukup" in over.json()["detail"]
    assert_books_ok(world.coop_a)


def test_api_member_create_list_detail(world, api_client):
    c = api_client.as_user(world.kasir_a)
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/members",
        {
            "nik": nik(9),
            "name": "Hasan Basri",
            "gender": "L",
            "joined_on": "2025-01-02",
            "kecamatan": "35.13.14",
            "phone": "0812 1111 2222",
        },
    )
    assert r.status_code == 201, r.content
    assert r.json()["number"] == "00002" and r.json()["kecamatan"] == "Kraksaan"
    bad = c.post("/api/v1/coops/ksu-sejahtera/members", {"nik": "123", "name": "X", "gender": "L"})
    assert bad.status_code == 422
    lst = c.get("/api/v1/coops/ksu-sejahtera/members", {"search": "hasan"}).json()
    assert lst["count"] == 1 and lst["items"][0]["name"] == "Hasan Basri"
    assert c.get("/api/v1/coops/ksu-sejahtera/members/00002").json()["phone"] == "+6281211112222"
    accs = c.get("/api/v1/coops/ksu-sejahtera/savings/accounts", {"member": "00002"}).json()
    assert {a["kind"]: a["balance"] for a in accs["items"]} == {"pokok": "100000.00", "wajib": "0.00"}


def test_api_other_cooperative_404(world, setup, api_client):
    m, number = setup
    c = api_client.as_user(world.pengurus_b)
    assert c.get("/api/v1/coops/ksu-sejahtera/members").status_code == 404
    assert c.get(f"/api/v1/coops/ksu-sejahtera/members/{m.number}").status_code == 404
    assert c.get(f"/api/v1/coops/ksu-sejahtera/savings/accounts/{number}/statement").status_code == 404
    # B's own path with A's account number: not found either.
    assert c.get(f"/api/v1/coops/ksp-maju-jaya/savings/accounts/{number}/statement").status_code == 404
    before = counts(world.coop_a)
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/savings/transactions",
        {"account": number, "type": "deposit", "amount": "5"},
    )
    assert r.status_code == 404
    assert counts(world.coop_a) == before


def test_api_dinas_cannot_write(world, setup, api_client):
    m, number = setup
    c = api_client.as_user(world.dinas)
    before = counts(world.coop_a)
    r = c.post("/api/v1/coops/ksu-sejahtera/members", {"nik": nik(8), "name": "X", "gender": "L"})
    assert r.status_code == 403
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/savings/transactions",
        {"account": number, "type": "deposit", "amount": "5"},
    )
    assert r.status_code == 403
    assert counts(world.coop_a) == before


def test_api_anggota_sees_only_own(world, setup, api_client):
    from kopdig.savings._postings import ensure_products
    from kopdig.savings.actions import savings_deposit

    m, number = setup
    ensure_products(world.coop_a)
    from kopdig.savings.actions import savings_account_open

    own = savings_account_open(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        member_number=world.member_a.number,
        product_code="sukarela",
        date=dt.date(2025, 1, 2),
    )
    savings_deposit(
        actor=world.kasir_a,
        cooperative=world.coop_a,
        account=own.number,
        amount="20000",
        date=dt.date(2025, 1, 3),
    )
    c = api_client.as_user(world.anggota_a)
    assert c.get("/api/v1/coops/ksu-sejahtera/members").status_code == 403
    assert c.get(f"/api/v1/coops/ksu-sejahtera/members/{world.member_a.number}").status_code == 200
    assert c.get(f"/api/v1/coops/ksu-sejahtera/members/{m.number}").status_code == 404
    accs = c.get("/api/v1/coops/ksu-sejahtera/savings/accounts").json()
    assert [a["number"] for a in accs["items"]] == [own.number]
    assert c.get("/api/v1/coops/ksu-sejahtera/savings/accounts", {"member": m.number}).status_code == 404
    st = c.get(f"/api/v1/coops/ksu-sejahtera/savings/accounts/{own.number}/statement").json()
    assert st["closing"] == "20000.00" and st["items"][0]["receipt"].startswith("KW-2025-")
    assert c.get(f"/api/v1/coops/ksu-sejahtera/savings/accounts/{number}/statement").status_code == 404
    r = c.post(
        "/api/v1/coops/ksu-sejahtera/savings/transactions",
        {"account": own.number, "type": "deposit", "amount": "5"},
    )
    assert r.status_code == 403
