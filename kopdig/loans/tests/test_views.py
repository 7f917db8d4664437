import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client

from kopdig.loans.models import Loan, Repayment

from .conftest import assert_books, disbursed_loan, make_member, make_product

D = Decimal
pytestmark = pytest.mark.django_db
BASE = "/k/ksu-sejahtera/pinjaman/"


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def test_pages_render_for_staff(world, django_assert_max_num_queries):
    product = make_product(world.pengurus_a, world.coop_a)
    loan = disbursed_loan(world, product)
    for _ in range(3):
        disbursed_loan(world, product, member=make_member(world.coop_a))
    c = client_for(world.pengurus_a)
    for url in [
        "",
        "simulasi/",
        "produk/",
        "produk/baru/",
        f"produk/{product.code}/",
        "pengaturan/",
        "tunggakan/",
        "portofolio/",
        "baru/",
        f"{loan.number}/",
    ]:
        r = c.get(BASE + url)
        assert r.status_code == 200, url
    with django_assert_max_num_queries(15):
        assert c.get(BASE).status_code == 200
    r = c.get(BASE + "simulasi/", {"product": product.code, "principal": "12000000", "term": "12"})
    assert b"1.180.000,00" in r.content or b"1,180,000.00" in r.content


def test_pdfs(world):
    product = make_product(world.pengurus_a, world.coop_a)
    loan = disbursed_loan(world, product)
    c = client_for(world.kasir_a)
    r = c.post(
        BASE + f"{loan.number}/aksi/repay/",
        {"amount": "1180000", "date": "2025-02-15", "account": "kas", "token": "t-1"},
    )
    assert r.status_code == 302
    rep = Repayment.objects.get()
    for url in [f"{loan.number}/perjanjian.pdf", f"{loan.number}/kartu.pdf", f"kuitansi/{rep.number}.pdf"]:
        r = c.get(BASE + url)
        assert r.status_code == 200 and r["Content-Type"] == "application/pdf" and r.content[:4] == b"%PDF", (
            url
        )


def test_ui_workflow_and_double_submit(world):
    product = make_product(world.pengurus_a, world.coop_a)
    kasir = client_for(world.kasir_a)
    r = kasir.post(
        BASE + "baru/",
        {
            "member_number": world.member_a.number,
            "product": product.code,
            "principal": "6000000",
            "term": "6",
            "purpose": "Modal",
            "applied_on": "2025-01-10",
            "token": "apply-1",
            "grace_months": "0",
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    loan = Loan.objects.get()
    # the same token again: nothing new
    kasir.post(
        BASE + "baru/",
        {
            "member_number": world.member_a.number,
            "product": product.code,
            "principal": "6000000",
            "term": "6",
            "purpose": "Modal",
            "applied_on": "2025-01-10",
            "token": "apply-1",
            "grace_months": "0",
        },
    )
    assert Loan.objects.count() == 1
    assert kasir.post(BASE + f"{loan.number}/aksi/approve/", {"date": "2025-01-10"}).status_code == 403
    pengurus = client_for(world.pengurus_a)
    pengurus.post(BASE + f"{loan.number}/aksi/approve/", {"date": "2025-01-10"})
    kasir.post(
        BASE + f"{loan.number}/aksi/disburse/",
        {"date": "2025-01-10", "first_due_date": "2025-02-10", "to": "kas", "token": "d-1"},
    )
    loan.refresh_from_db()
    assert loan.status == "aktif"
    for _ in range(2):
        kasir.post(
            BASE + f"{loan.number}/aksi/repay/",
            {"amount": "1090000", "date": "2025-02-10", "account": "kas", "token": "r-1"},
        )
    assert Repayment.objects.count() == 1
    loan.refresh_from_db()
    assert loan.outstanding == D("5000000.00")
    assert_books(world.coop_a)


def test_access_rules(world):
    product = make_product(world.pengurus_a, world.coop_a)
    loan = disbursed_loan(world, product)
    other = disbursed_loan(world, product, member=make_member(world.coop_a))
    assert client_for(world.dinas).get(BASE + f"{loan.number}/").status_code == 200
    assert (
        client_for(world.dinas)
        .post(BASE + f"{loan.number}/aksi/repay/", {"amount": "1", "date": "2025-02-15", "account": "kas"})
        .status_code
        == 403
    )
    assert (
        client_for(world.pengawas_a)
        .post(BASE + f"{loan.number}/aksi/repay/", {"amount": "1", "date": "2025-02-15", "account": "kas"})
        .status_code
        == 403
    )
    anggota = client_for(world.anggota_a)
    assert anggota.get(BASE).status_code == 403
    assert anggota.get(BASE + f"{loan.number}/").status_code == 200
    assert anggota.get(BASE + f"{other.number}/").status_code == 404
    assert (
        anggota.post(
            BASE + f"{loan.number}/aksi/repay/", {"amount": "1", "date": "2025-02-15", "account": "kas"}
        ).status_code
        == 403
    )
    assert client_for(world.pengurus_b).get(BASE + f"{loan.number}/").status_code == 404
    assert client_for(world.pengurus_b).get(f"/k/ksp-maju-jaya/pinjaman/{loan.number}/").status_code == 404
    assert client_for(world.kasir_a).get(BASE + "pengaturan/").status_code == 403
    assert not Repayment.objects.exists()


def test_member_widget_and_arrears_page(world, settings):
    product = make_product(world.pengurus_a, world.coop_a)
    disbursed_loan(world, product, date=dt.date(2025, 1, 15))
    from django.template.loader import render_to_string

    from kopdig.tenancy.dashboard import member_dashboard

    mine = [
        w
        for w in member_dashboard(world.coop_a, world.anggota_a)
        if w["template"] == "loans/widget_member.html"
    ]
    assert mine[0]["rows"][0][1].total == D("1180000.00")
    html = render_to_string("loans/widget_member.html", {"w": mine[0]})
    assert 'data-testid="member-loans"' in html and "PJ-2025-000001" in html
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    c = client_for(world.manajer_a)
    r = c.post(BASE + "tunggakan/", {"date": "2025-03-31"})
    assert r.status_code == 302
    from kopdig.loans.models import ArrearsRun

    run = ArrearsRun.objects.get()
    assert run.status == "selesai" and run.summary["counts"]["kurang_lancar"] == 1
    assert client_for(world.kasir_a).post(BASE + "tunggakan/", {"date": "2025-04-30"}).status_code == 403


def test_query_counts_do_not_grow_with_rows(world, django_assert_max_num_queries):
    from kopdig.loans import actions
    from kopdig.loans.arrears import arrears_run
    from kopdig.tenancy.access import SYSTEM

    product = make_product(world.pengurus_a, world.coop_a)
    loans = [disbursed_loan(world, product, member=make_member(world.coop_a)) for _ in range(6)]
    for loan in loans[:3]:
        actions.loan_repay(
            actor=world.kasir_a,
            cooperative=world.coop_a,
            number=loan.number,
            amount=D("1180000"),
            date=dt.date(2025, 2, 15),
        )
    arrears_run(actor=SYSTEM, cooperative=world.coop_a, date=dt.date(2025, 4, 30))
    c = client_for(world.pengurus_a)
    with django_assert_max_num_queries(20):
        assert c.get(BASE + "portofolio/").status_code == 200
    with django_assert_max_num_queries(25):
        assert c.get(BASE + f"{loans[0].number}/").status_code == 200
    with django_assert_max_num_queries(15):
        assert c.get(BASE + "?kolektibilitas=kurang_lancar").status_code == 200


def test_product_and_settings_forms(world):
    from kopdig.audit.models import AuditLog
    from kopdig.loans.models import LoanProduct, LoanSettings

    c = client_for(world.pengurus_a)
    data = {
        "code": "mik",
        "name": "Pinjaman Mikro",
        "method": "menurun",
        "rate_percent": "1.25",
        "rate_basis": "bulan",
        "frequency": "monthly",
        "min_term": "3",
        "max_term": "24",
        "max_grace_months": "0",
        "min_amount": "500000",
        "max_amount": "10000000",
        "provisi_kind": "persen",
        "provisi_value": "1",
        "admin_kind": "tetap",
        "admin_value": "10000",
        "denda_basis": "per_hari",
        "denda_kind": "persen",
        "denda_value": "0.1",
        "denda_grace_days": "3",
        "allocation_order": "denda, jasa, pokok",
        "kurang_lancar_after_days": "30",
        "diragukan_after_days": "90",
        "macet_after_days": "180",
        "required_guarantors": "1",
        "early_payoff_jasa": "berjalan",
        "overpayment": "tolak",
        "disburse_to": "kas",
        "rounding_unit": "0",
        "active": "on",
    }
    r = c.post(BASE + "produk/baru/", data)
    assert r.status_code == 302, r.content.decode()[:2000]
    p = LoanProduct.objects.get(cooperative=world.coop_a, code="MIK")
    assert p.allocation_order == "denda,jasa,pokok" and p.required_guarantors == 1
    r = c.post(BASE + "produk/MIK/", {**data, "macet_after_days": "60"})
    assert (
        r.status_code == 200 and LoanProduct.objects.get(pk=p.pk).macet_after_days == 180
    )  # refused, unchanged
    r = c.post(
        BASE + "pengaturan/",
        {
            "manajer_approval_limit": "7500000",
            "reserve_lancar_percent": "1",
            "reserve_kurang_lancar_percent": "50",
            "reserve_diragukan_percent": "75",
            "reserve_macet_percent": "100",
        },
    )
    assert r.status_code == 302
    assert LoanSettings.objects.get(cooperative=world.coop_a).manajer_approval_limit == D("7500000.00")
    assert set(AuditLog.objects.filter(cooperative=world.coop_a).values_list("action", flat=True)) >= {
        "loan_product_create",
        "loan_settings_update",
    }
    assert client_for(world.manajer_a).post(BASE + "pengaturan/", {}).status_code == 403
