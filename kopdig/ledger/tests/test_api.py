import pytest

from kopdig.audit.models import AuditLog
from kopdig.ledger.models import JournalDraft, JournalEntry, LedgerSettings

pytestmark = pytest.mark.django_db
BASE = "/api/v1/coops/ksu-sejahtera"
BODY = {
    "date": "2025-02-03",
    "memo": "Beli ATK",
    "lines": [{"account": "5206", "debit": "125000.50"}, {"account": "1101", "credit": "125000.50"}],
}


def test_accounts_for_readers_and_dinas(world, api_client):
    for user in (world.pengawas_a, world.dinas):
        resp = api_client.as_user(user).get(f"{BASE}/accounts")
        assert resp.status_code == 200
        kas = next(a for a in resp.json()["items"] if a["code"] == "1101")
        assert kas["system_key"] == "kas" and kas["is_cash"]


def test_roles(world, api_client):
    assert api_client.as_user(world.anggota_a).get(f"{BASE}/accounts").status_code == 403
    assert api_client.as_user(world.pengurus_b).get(f"{BASE}/accounts").status_code == 404
    assert api_client.as_user(world.dinas_other).get(f"{BASE}/accounts").status_code == 404
    before = (JournalEntry.objects.count(), AuditLog.objects.count())
    for user in (world.dinas, world.anggota_a, world.pengawas_a):
        assert api_client.as_user(user).post(f"{BASE}/journal", BODY).status_code == 403
    assert api_client.as_user(world.pengurus_b).post(f"{BASE}/journal", BODY).status_code == 404
    assert (JournalEntry.objects.count(), AuditLog.objects.count()) == before


def test_post_with_idempotency_key(world, api_client):
    c = api_client.as_user(world.kasir_a)
    resp = c.post(f"{BASE}/journal", BODY, headers={"Idempotency-Key": "k-1"})
    assert resp.status_code == 201, resp.content
    data = resp.json()
    assert data["total"] == "125000.50"
    assert [(ln["account"], ln["debit"], ln["credit"]) for ln in data["lines"]] == [
        ("5206", "125000.50", "0.00"),
        ("1101", "0.00", "125000.50"),
    ]
    again = c.post(f"{BASE}/journal", BODY, headers={"Idempotency-Key": "k-1"})
    assert again.status_code == 201 and again.json()["number"] == data["number"]
    assert JournalEntry.objects.filter(cooperative=world.coop_a).count() == 1
    other = dict(BODY, memo="Beli ATK lain")
    conflict = c.post(f"{BASE}/journal", other, headers={"Idempotency-Key": "k-1"})
    assert conflict.status_code == 422
    assert JournalEntry.objects.filter(cooperative=world.coop_a).count() == 1


def test_refusals_write_nothing(world, api_client):
    c = api_client.as_user(world.pengurus_a)
    unbalanced = dict(BODY, lines=[{"account": "5206", "debit": "10"}, {"account": "1101", "credit": "9"}])
    resp = c.post(f"{BASE}/journal", unbalanced, headers={"Idempotency-Key": "k-2"})
    assert resp.status_code == 422 and "seimbang" in resp.json()["detail"]
    floats = dict(BODY, lines=[{"account": "5206", "debit": 10.5}, {"account": "1101", "credit": 10.5}])
    assert c.post(f"{BASE}/journal", floats).status_code == 422
    assert not JournalEntry.objects.exists()
    # After a refusal the same key may carry the corrected request.
    assert c.post(f"{BASE}/journal", BODY, headers={"Idempotency-Key": "k-2"}).status_code == 201


def test_above_threshold_becomes_a_draft(world, api_client):
    LedgerSettings.objects.filter(cooperative=world.coop_a).update(approval_threshold=100)
    resp = api_client.as_user(world.kasir_a).post(f"{BASE}/journal", BODY)
    assert resp.status_code == 202 and resp.json()["status"] == "pending_approval"
    assert JournalDraft.objects.filter(number=resp.json()["draft"]).exists()
    assert not JournalEntry.objects.exists()


def test_reverse(world, api_client):
    c = api_client.as_user(world.pengurus_a)
    number = c.post(f"{BASE}/journal", BODY).json()["number"]
    resp = c.post(
        f"{BASE}/journal/{number}/reverse", {"date": "2025-02-04"}, headers={"Idempotency-Key": "r"}
    )
    assert resp.status_code == 201 and resp.json()["reversal_of"] == number
    assert (
        c.post(
            f"{BASE}/journal/{number}/reverse", {"date": "2025-02-04"}, headers={"Idempotency-Key": "r"}
        ).json()["number"]
        == resp.json()["number"]
    )
    assert c.post(f"{BASE}/journal/{number}/reverse", {}).status_code == 422  # already reversed
    assert c.post(f"{BASE}/journal/2099-999999/reverse", {}).status_code == 404
    kasir = api_client.as_user(world.kasir_a)
    assert kasir.post(f"{BASE}/journal/{number}/reverse", {}).status_code == 403


def test_reports(scenario, api_client):
    c = api_client.as_user(scenario.dinas)
    tb = c.get(f"{BASE}/reports/trial-balance", {"date": "2025-01-31"}).json()
    assert tb["balanced"] and tb["totals"]["saldo_debit"] == "97895000.00"
    bs = c.get(f"{BASE}/reports/balance-sheet", {"date": "2025-01-31"}).json()
    assert bs["assets"]["total"] == "95136000.00" and bs["total_liabilities_equity"] == "95136000.00"
    kas = next(r for r in bs["assets"]["rows"] if r["code"] == "1101")
    assert kas == {
        "code": "1101",
        "name": "Kas",
        "kind": "account",
        "amount": "6100000.00",
        "previous": "0.00",
    }
    pl = c.get(f"{BASE}/reports/income-statement", {"start": "2025-01-01", "end": "2025-01-31"}).json()
    assert (pl["revenue_anggota"], pl["revenue_non_anggota"], pl["shu"]) == (
        "2350000.00",
        "545000.00",
        "1136000.00",
    )
    assert api_client.as_user(scenario.anggota_a).get(f"{BASE}/reports/balance-sheet").status_code == 403


def test_openapi_lists_the_ledger_paths(db, client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/coops/{slug}/journal" in schema["paths"]
    assert "/api/v1/coops/{slug}/reports/balance-sheet" in schema["paths"]
