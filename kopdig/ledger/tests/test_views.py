import datetime as dt
import io
from decimal import Decimal

import pytest
from django.test import Client

from kopdig.ledger.models import Account, JournalDraft, JournalEntry, LedgerSettings
from kopdig.ledger.periods import closed_through

pytestmark = pytest.mark.django_db
SLUG = "ksu-sejahtera"
PAGES = [
    "akun/",
    "jurnal/",
    "usulan/",
    "laporan/",
    "laporan/neraca-saldo/",
    "laporan/posisi-keuangan/",
    "laporan/hasil-usaha/",
    "laporan/perubahan-ekuitas/",
    "laporan/arus-kas/",
    "buku-besar/",
    "buku-kas/",
    "periode/",
    "ekspor/",
]


def client_for(user):
    c = Client()
    c.force_login(user)
    return c


def url(path, slug=SLUG):
    return f"/k/{slug}/buku/{path}"


@pytest.mark.parametrize("who", ["pengurus_a", "pengawas_a", "kasir_a", "dinas"])
def test_readers_and_dinas_see_every_page(scenario, who):
    c = client_for(getattr(scenario, who))
    for page in PAGES:
        resp = c.get(url(page))
        assert resp.status_code == 200, (page, resp.status_code)
    entry = JournalEntry.objects.filter(cooperative=scenario.coop_a).first()
    assert c.get(url(f"jurnal/{entry.number}/")).status_code == 200


def test_figures_on_the_balance_sheet_page(scenario):
    resp = client_for(scenario.pengurus_a).get(url("laporan/posisi-keuangan/"), {"date": "2025-01-31"})
    text = resp.content.decode()
    assert "Rp 95.136.000,00" in text and "KSU Sejahtera Bersama" in text


def test_anggota_403_other_coop_404_dinas_other_404(scenario):
    assert client_for(scenario.anggota_a).get(url("jurnal/")).status_code == 403
    assert client_for(scenario.pengurus_b).get(url("jurnal/")).status_code == 404
    assert client_for(scenario.dinas_other).get(url("laporan/")).status_code == 404


def test_dinas_cannot_post_through_the_form(scenario):
    before = JournalEntry.objects.count()
    resp = client_for(scenario.dinas).post(url("jurnal/baru/"), {"date": "2025-02-01", "memo": "x"})
    assert resp.status_code == 403
    resp = client_for(scenario.dinas).post(url("jurnal/2025-000001/"), {"date": "2025-02-01"})
    assert resp.status_code == 403
    assert JournalEntry.objects.count() == before


def test_pdf_and_excel_downloads(scenario):
    c = client_for(scenario.pengurus_a)
    pdf = c.get(url("laporan/hasil-usaha/"), {"start": "2025-01-01", "end": "2025-01-31", "format": "pdf"})
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    xl = c.get(url("laporan/neraca-saldo/"), {"date": "2025-01-31", "format": "xlsx"})
    assert xl.status_code == 200 and xl.content[:2] == b"PK"
    from openpyxl import load_workbook

    ws = load_workbook(io.BytesIO(xl.content)).active
    assert ws["A1"].value == "KSU Sejahtera Bersama"
    gl = c.get(
        url("buku-besar/"), {"account": "1101", "start": "2025-01-01", "end": "2025-01-31", "format": "xlsx"}
    )
    assert gl.status_code == 200


def _entry_post(c, amount, memo="Beli printer", token="t1"):
    return c.post(
        url("jurnal/baru/"),
        {
            "date": "2025-02-03",
            "memo": memo,
            "token": token,
            "form-TOTAL_FORMS": "3",
            "form-INITIAL_FORMS": "0",
            "form-0-account": "5206",
            "form-0-debit": amount,
            "form-1-account": "1101",
            "form-1-credit": amount,
            "form-2-account": "",
            "form-2-debit": "",
            "form-2-credit": "",
        },
    )


def test_manual_entry_below_threshold_posts_once(scenario):
    c = client_for(scenario.kasir_a)
    before = JournalEntry.objects.count()
    resp = _entry_post(c, "250000")
    assert resp.status_code == 302
    again = _entry_post(c, "250000")  # double submit with the same one-time token
    assert again.status_code == 302 and again["Location"] == resp["Location"]
    assert JournalEntry.objects.count() == before + 1


def test_maker_checker_above_threshold(scenario):
    LedgerSettings.objects.filter(cooperative=scenario.coop_a).update(approval_threshold=Decimal("1000000"))
    maker = client_for(scenario.manajer_a)
    before = JournalEntry.objects.count()
    resp = _entry_post(maker, "1500000", token="t2")
    draft = JournalDraft.objects.get(cooperative=scenario.coop_a)
    assert resp["Location"].endswith(f"/usulan/{draft.number}/")
    assert JournalEntry.objects.count() == before
    # The maker cannot approve their own draft; the kasir cannot approve at all.
    maker.post(url(f"usulan/{draft.number}/"), {"op": "approve"})
    assert (
        client_for(scenario.kasir_a).post(url(f"usulan/{draft.number}/"), {"op": "approve"}).status_code
        == 403
    )
    draft.refresh_from_db()
    assert draft.status == "pending" and JournalEntry.objects.count() == before
    resp = client_for(scenario.pengurus_a).post(url(f"usulan/{draft.number}/"), {"op": "approve"})
    draft.refresh_from_db()
    assert draft.status == "approved" and draft.entry.approved_by == scenario.pengurus_a
    assert draft.entry.total == Decimal("1500000.00") and draft.entry.posted_by == scenario.manajer_a


def test_reject_draft(scenario):
    LedgerSettings.objects.filter(cooperative=scenario.coop_a).update(approval_threshold=Decimal("100"))
    _entry_post(client_for(scenario.kasir_a), "5000", token="t3")
    draft = JournalDraft.objects.get(cooperative=scenario.coop_a)
    client_for(scenario.manajer_a).post(
        url(f"usulan/{draft.number}/"), {"op": "reject", "reason": "tidak ada bukti"}
    )
    draft.refresh_from_db()
    assert draft.status == "rejected" and draft.entry is None


def test_reverse_from_the_page(scenario):
    entry = JournalEntry.objects.get(cooperative=scenario.coop_a, memo="Listrik Januari")
    resp = client_for(scenario.manajer_a).post(url(f"jurnal/{entry.number}/"), {"date": "2025-02-01"})
    assert resp.status_code == 302
    assert JournalEntry.objects.get(reversal_of=entry).date == dt.date(2025, 2, 1)


def test_close_months_in_order_and_reopen(scenario):
    c = client_for(scenario.manajer_a)
    c.post(url("periode/"), {"op": "close", "month": "2025-01"})
    assert closed_through(scenario.coop_a) == dt.date(2025, 1, 31)
    c.post(url("periode/"), {"op": "close", "month": "2025-03"})  # not sequential
    assert closed_through(scenario.coop_a) == dt.date(2025, 1, 31)
    # Reopen: pengurus only, with a reason, audited.
    assert (
        c.post(url("periode/"), {"op": "reopen", "month": "2025-01", "reason": "koreksi"}).status_code == 403
    )
    client_for(scenario.pengurus_a).post(
        url("periode/"), {"op": "reopen", "month": "2025-01", "reason": "koreksi"}
    )
    assert closed_through(scenario.coop_a) == dt.date(2024, 12, 31)
    from kopdig.audit.models import AuditLog

    assert AuditLog.objects.filter(action="period_reopen", summary="koreksi").exists()


def test_chart_add_close_delete(scenario):
    c = client_for(scenario.pengurus_a)
    c.post(
        url("akun/"),
        {
            "parent_code": "52",
            "code": "5210",
            "name": "Beban Transport",
            "participation": "",
            "cash_flow": "",
        },
    )
    acc = Account.objects.get(cooperative=scenario.coop_a, code="5210")
    assert (acc.type, acc.normal_side, acc.cash_flow) == ("beban", "D", "operasi")
    c.post(url("akun/"), {"op": "delete", "code": "5210"})
    assert not Account.objects.filter(cooperative=scenario.coop_a, code="5210").exists()
    # An account with postings cannot be deleted (only closed, once its balance is zero).
    c.post(url("akun/"), {"op": "delete", "code": "5206"})
    assert Account.objects.filter(cooperative=scenario.coop_a, code="5206").exists()
    c.post(url("akun/"), {"op": "close", "code": "5206"})  # system account: refused
    assert not Account.objects.get(cooperative=scenario.coop_a, code="5206").closed


def test_opening_balance_form(world):
    c = client_for(world.pengurus_a)
    resp = c.post(url("saldo-awal/"), {"date": "2025-01-01", "a-1101": "1.500.000", "a-3102": "1.000.000"})
    assert (
        resp.status_code == 200 and not JournalEntry.objects.filter(source_type="opening").exists()
    )  # unbalanced
    resp = c.post(
        url("saldo-awal/"),
        {"date": "2025-01-01", "a-1101": "1.500.000", "a-3102": "1.000.000", "a-2101": "500.000"},
    )
    entry = JournalEntry.objects.get(source_type="opening")
    assert entry.total == Decimal("1500000.00")
    resp = c.post(url("saldo-awal/"), {"date": "2025-01-01", "a-1101": "1", "a-3102": "1"})
    assert JournalEntry.objects.filter(source_type="opening").count() == 1


CSV_OK = """tanggal,no_bukti,akun,keterangan,debit,kredit
2025-02-01,BKK-1,5205,Listrik,100000,
2025-02-01,BKK-1,1101,Listrik,,100000
2025-02-02,BKM-1,1101,Jasa,50000.50,
2025-02-02,BKM-1,4101,Jasa,,50000.50
"""
CSV_BAD = """tanggal,no_bukti,akun,keterangan,debit,kredit
2025-02-01,BKK-1,5205,Listrik,100000,
2025-02-01,BKK-1,9999,Listrik,,100000
2025-02-31,BKM-1,1101,Jasa,5,
2025-02-02,BKM-1,4101,Jasa,,6
"""


def test_import_all_or_nothing(scenario):
    c = client_for(scenario.pengurus_a)
    before = JournalEntry.objects.count()
    bad = io.BytesIO(CSV_BAD.encode())
    bad.name = "jurnal.csv"
    resp = c.post(url("impor/"), {"file": bad, "token": "imp-1"})
    text = resp.content.decode()
    assert resp.status_code == 200 and "9999" in text and "tanggal tidak valid" in text
    assert JournalEntry.objects.count() == before
    good = io.BytesIO(CSV_OK.encode())
    good.name = "jurnal.csv"
    resp = c.post(url("impor/"), {"file": good, "token": "imp-1"})  # a refused import frees its token
    assert resp.status_code == 302
    good.seek(0)
    again = c.post(url("impor/"), {"file": good, "token": "imp-1"})  # double submit
    assert again.status_code == 302
    imported = JournalEntry.objects.filter(source_type="import").order_by("date")
    assert [(e.source_ref, e.total) for e in imported] == [
        ("BKK-1", Decimal("100000.00")),
        ("BKM-1", Decimal("50000.50")),
    ]


def test_import_xlsx(scenario):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    for line in CSV_OK.strip().splitlines():
        ws.append(line.split(","))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "jurnal.xlsx"
    resp = client_for(scenario.manajer_a).post(url("impor/"), {"file": buf, "token": "x"})
    assert resp.status_code == 302
    assert JournalEntry.objects.filter(source_type="import").count() == 2


def test_export_downloads(scenario):
    c = client_for(scenario.pengawas_a)
    for fmt in ("csv", "beancount", "hledger"):
        resp = c.get(url("ekspor/"), {"format": fmt})
        body = b"".join(resp.streaming_content).decode()
        assert resp.status_code == 200 and "1101" in body


def test_home_widget(scenario):
    resp = client_for(scenario.pengurus_a).get(f"/k/{SLUG}/")
    assert resp.status_code == 200 and 'data-testid="ledger-kas"' in resp.content.decode()


def test_reports_in_english(scenario):
    c = client_for(scenario.pengurus_a)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    text = c.get(url("laporan/posisi-keuangan/"), {"date": "2025-01-31"}).content.decode()
    assert "TOTAL ASSETS" in text and "Rp 95,136,000.00" in text


def test_threshold_setting_pengurus_only(world):
    client_for(world.manajer_a).post(url("periode/"), {"op": "threshold", "approval_threshold": "5"})
    assert LedgerSettings.objects.get(cooperative=world.coop_a).approval_threshold == Decimal("10000000.00")
    client_for(world.pengurus_a).post(url("periode/"), {"op": "threshold", "approval_threshold": "2500000"})
    assert LedgerSettings.objects.get(cooperative=world.coop_a).approval_threshold == Decimal("2500000.00")


def test_too_long_ledger_is_refused_not_cut(scenario, monkeypatch):
    from kopdig.ledger import views

    monkeypatch.setattr(views, "PDF_MAX_ROWS", 2)
    resp = client_for(scenario.pengurus_a).get(
        url("buku-besar/"), {"account": "1101", "start": "2025-01-01", "end": "2025-01-31", "format": "pdf"}
    )
    assert resp.status_code == 302 and "format" not in resp["Location"]
