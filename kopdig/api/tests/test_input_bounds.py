"""Issue 12 reproductions: every bad input answers a JSON 4xx (never 500), nothing is written,
and the refusal names the field and its range."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from kopdig.audit.models import AuditLog
from kopdig.ledger.models import JournalEntry
from kopdig.members.models import Member

pytestmark = pytest.mark.django_db
A = "/api/v1/coops/ksu-sejahtera"


def _snapshot():
    return JournalEntry.objects.count(), AuditLog.objects.count(), Member.objects.count()


def _refused(resp, *fragments):
    assert resp.status_code == 422, resp.content
    assert resp["Content-Type"].startswith("application/json")
    text = json.dumps(resp.json()["detail"], ensure_ascii=False)
    for fragment in fragments:
        assert fragment in text, text


@pytest.mark.parametrize(
    "path",
    [
        "/dinas/rat-compliance/0",
        "/dinas/rat-compliance/99999",
        "/dinas/coops/ksu-sejahtera/annual/99999",
        "/dinas/coops/ksu-sejahtera/annual/0",
    ],
)
def test_dinas_years_out_of_range_are_422(world, api_client, path):
    _refused(api_client.as_user(world.dinas).get("/api/v1" + path), "tahun harus antara 1900 dan")


def test_shu_years_out_of_range_are_422(world, api_client):
    c = api_client.as_user(world.pengurus_a)
    _refused(c.post(f"{A}/shu/simulate", {"year": 0}), "1900")
    _refused(c.get(f"{A}/shu/99999/members"), "1900")
    _refused(c.get(f"{A}/shu/0/members/00001"), "1900")


@pytest.mark.parametrize(
    "path",
    [
        "/reports/trial-balance?date=0001-01-01",
        "/reports/balance-sheet?date=0002-01-01",
        "/reports/income-statement?end=0001-02-01",
        "/reports/income-statement?start=0001-01-01",
        "/reports/trial-balance?date=2101-01-01",
        "/savings/accounts/X/statement?start=0001-01-01",
    ],
)
def test_report_dates_near_year_one_are_422(world, api_client, path):
    _refused(api_client.as_user(world.pengurus_a).get(A + path), "1900-01-01 dan 2100-12-31")


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/coops",
        f"{A}/members",
        f"{A}/loans",
        f"{A}/savings/accounts",
        f"{A}/accounts",
        f"{A}/shu/2025/members",
        "/api/v1/dinas/coops",
        "/api/v1/dinas/rat-compliance/2025",
    ],
)
def test_huge_offset_and_bad_limit_are_422_on_every_list(world, api_client, path):
    c = api_client.as_user(world.dinas if "/dinas/" in path else world.pengurus_a)
    _refused(c.get(path, {"offset": 2**63}), "offset")
    _refused(c.get(path, {"limit": 0}), "limit")
    assert c.get(path, {"offset": 10**9, "limit": 1}).json()["items"] == []


BAD_AMOUNTS = ["NaN", "Infinity", "sNaN", "1e9999", 1e308, "1" * 30, "１２３", True, 1.5, "-5", "1.234"]


@pytest.mark.parametrize("amount", BAD_AMOUNTS)
def test_bad_amounts_are_422_everywhere_and_nothing_changes(world, api_client, amount):
    c = api_client.as_user(world.pengurus_a)
    before = _snapshot()
    _refused(
        c.post(f"{A}/savings/transactions", {"account": "S1", "type": "deposit", "amount": amount}),
        "amount",
        "18 digit",
    )
    _refused(
        c.post(
            f"{A}/journal",
            {
                "date": "2025-02-03",
                "memo": "x",
                "lines": [{"account": "5206", "debit": amount}, {"account": "1101", "credit": "1"}],
            },
        ),
        "debit",
    )
    _refused(
        c.post(
            f"{A}/loans",
            {"member_number": "00001", "product": "REG", "principal": amount, "term": 12, "purpose": "Modal"},
        ),
        "principal",
    )
    _refused(
        c.post(
            f"{A}/loans",
            {
                "member_number": "00001",
                "product": "REG",
                "principal": "1000",
                "term": 12,
                "purpose": "Modal",
                "collaterals": [{"kind": "BPKB", "value": amount}],
            },
        ),
        "value",
    )
    _refused(c.post(f"{A}/loans/PJ-1/repayments", {"amount": amount}), "amount")
    _refused(
        c.post(
            f"{A}/loans/schedule-preview",
            {"principal": amount, "rate_monthly_percent": "1.5", "months": 12, "method": "flat"},
        ),
        "principal",
    )
    assert _snapshot() == before


def test_schedule_preview_refuses_a_first_due_date_in_9999_and_a_nan_rate(world, api_client):
    c = api_client.as_user(world.pengurus_a)
    body = {"principal": "1000000", "rate_monthly_percent": "1.5", "months": 12, "method": "flat"}
    _refused(
        c.post(f"{A}/loans/schedule-preview", {**body, "first_due_date": "9999-12-31"}), "first_due_date"
    )
    _refused(
        c.post(f"{A}/loans/schedule-preview", {**body, "rate_monthly_percent": "NaN"}), "rate_monthly_percent"
    )
    _refused(c.post(f"{A}/loans/schedule-preview", {**body, "method": "bogus"}), "flat")
    assert c.post(f"{A}/loans/schedule-preview", body).status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "2099-01-01", "0001-01-01", "1899-12-31"])
def test_event_dates_far_away_are_refused(world, api_client, day):
    c = api_client.as_user(world.pengurus_a)
    before = _snapshot()
    _refused(
        c.post(f"{A}/savings/transactions", {"account": "S1", "type": "deposit", "amount": "1", "date": day}),
        "date",
    )
    _refused(
        c.post(
            f"{A}/journal",
            {
                "date": day,
                "memo": "x",
                "lines": [{"account": "5206", "debit": "1"}, {"account": "1101", "credit": "1"}],
            },
        ),
        "date",
    )
    _refused(
        c.post(
            f"{A}/loans",
            {
                "member_number": "00001",
                "product": "REG",
                "principal": "1000",
                "term": 12,
                "purpose": "Modal",
                "applied_on": day,
            },
        ),
        "applied_on",
    )
    _refused(c.post(f"{A}/loans/PJ-1/repayments", {"amount": "1", "date": day}), "date")
    _refused(
        c.post(f"{A}/members", {"nik": "3513154101900002", "name": "Budi", "gender": "L", "joined_on": day}),
        "joined_on",
    )
    assert _snapshot() == before


def test_event_dates_follow_the_cooperatives_founding_date_and_days_ahead(world, api_client):
    c = api_client.as_user(world.pengurus_a)
    today = timezone.localdate()
    tomorrow = (today + dt.timedelta(days=1)).isoformat()
    body = {
        "date": tomorrow,
        "memo": "x",
        "lines": [{"account": "5206", "debit": "1"}, {"account": "1101", "credit": "1"}],
    }
    _refused(c.post(f"{A}/journal", body), f"dan {today.isoformat()}")
    world.coop_a.founded_on = dt.date(2015, 5, 1)
    world.coop_a.event_days_ahead = 2
    world.coop_a.save()
    assert c.post(f"{A}/journal", body).status_code == 201
    _refused(c.post(f"{A}/journal", {**body, "date": "2015-04-30"}), "antara 2015-05-01 dan")


def test_texts_over_the_column_length_are_refused(world, api_client):
    c = api_client.as_user(world.pengurus_a)
    before = _snapshot()
    _refused(
        c.post(f"{A}/members", {"nik": "3513154101900002", "name": "x" * 100_000, "gender": "L"}),
        "name",
        "paling banyak 150 karakter",
    )
    _refused(
        c.post(
            f"{A}/savings/transactions",
            {"account": "S1", "type": "deposit", "amount": "1", "memo": "m" * 100_000},
        ),
        "memo",
        "255",
    )
    _refused(
        c.post(
            f"{A}/journal",
            {
                "date": "2025-02-03",
                "memo": "m" * 100_000,
                "lines": [{"account": "5206", "debit": "1"}, {"account": "1101", "credit": "1"}],
            },
        ),
        "memo",
        "255",
    )
    _refused(c.post(f"{A}/members", {"nik": "35131541019", "name": "Budi", "gender": "L"}), "nik")
    _refused(c.post(f"{A}/members", {"nik": "3513154101900002", "name": "Budi", "gender": "X"}), "gender")
    assert _snapshot() == before


def test_an_unexpected_error_is_json_500(world, api_client, monkeypatch):
    from kopdig.api import main

    def boom(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(main, "cooperatives_visible_to", boom)
    c = api_client.as_user(world.pengurus_a)
    c.raise_request_exception = False
    resp = c.get("/api/v1/coops")
    assert resp.status_code == 500 and resp.json() == {"detail": "Terjadi kesalahan pada server."}


def test_a_multipart_body_without_boundary_is_a_json_400_not_a_500(world, client):
    """Found by the fuzz step: django-axes reads request.POST of a failed token request, and a
    multipart type without boundary raised MultiPartParserError (500)."""
    resp = client.post(
        "/api/v1/auth/token", data=b'{"username": "x", "password": "y"}', content_type="multipart/form-data"
    )
    assert resp.status_code == 400 and resp.json() == {
        "detail": "Isi permintaan tidak dapat dibaca (kirim JSON yang sah)."
    }


def test_a_body_that_is_not_json_is_a_documented_400(world, api_client):
    before = _snapshot()
    resp = api_client.as_user(world.pengurus_a).post(f"{A}/journal", b"\x00", content_type="application/json")
    assert resp.status_code == 400 and resp.json()["detail"].startswith("Isi permintaan tidak dapat dibaca")
    assert _snapshot() == before
    op = api_client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/coops/{slug}/journal"]["post"]
    assert {"400", "401", "403", "404", "422"} <= set(op["responses"])


def test_a_schedule_whose_interest_overflows_the_money_field_is_a_422(world, api_client):
    """Found by the fuzz step's stateful phase: 90317 % a month over 337 weeks computed an amount
    of 20 whole digits, and lib.money refused it with a bare ValueError (500)."""
    body = {
        "grace_months": 89,
        "method": "anuitas",
        "rounding_unit": "70838.53",
        "months": 337,
        "frequency": "weekly",
        "rate_monthly_percent": "90317",
        "principal": 301262118144046720,
        "first_due_date": None,
    }
    resp = api_client.as_user(world.pengurus_a).post(f"{A}/loans/schedule-preview", body)
    assert resp.status_code == 422, resp.content
    assert "Jumlah di luar batas" in json.dumps(resp.json(), ensure_ascii=False)
