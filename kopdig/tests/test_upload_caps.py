"""Issue 12 item 9: every upload has a size and a row cap (settings), is read streaming, and an
import page shows at most the first N row errors. A refused file writes nothing."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from openpyxl import Workbook

from kopdig.ledger.models import JournalEntry
from kopdig.lib.documents import TooLarge, TooManyRows, read_csv_rows, read_xlsx_rows, xlsx_bytes
from kopdig.members.models import Member
from kopdig.shu.models import MemberVolume
from kopdig.usaha.models import Product

pytestmark = pytest.mark.django_db
K = "/k/ksu-sejahtera"
TOO_MANY = "Berkas berisi lebih dari 3 baris data; bagi menjadi beberapa berkas."


@pytest.fixture
def caps(settings):
    settings.KOPDIG_IMPORT_MAX_ROWS = 3
    settings.KOPDIG_IMPORT_MAX_ERRORS_SHOWN = 2
    return settings


def _xlsx(header, rows, name="data.xlsx"):
    return SimpleUploadedFile(name, xlsx_bytes([("Data", header, rows)]))


def _client(user):
    c = Client()
    c.force_login(user)
    return c


def test_the_reader_stops_at_the_row_cap(caps):
    header, rows = read_xlsx_rows(io.BytesIO(xlsx_bytes([("D", ["a"], [[1], [2], [3]])])))
    assert header == ["a"] and [n for n, _r in rows] == [2, 3, 4]
    with pytest.raises(TooManyRows) as exc:
        read_xlsx_rows(io.BytesIO(xlsx_bytes([("D", ["a"], [[i] for i in range(200)])])))
    assert str(exc.value) == TOO_MANY


def test_a_sheet_of_empty_styled_rows_is_not_read_to_its_end(caps):
    wb = Workbook()
    ws = wb.active
    ws.append(["a"])
    ws.append([1])
    for row in range(3, 5000):
        ws.cell(row=row, column=1).number_format = "0.00"  # styled, empty
    ws.cell(row=5000, column=1, value=2)
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(TooManyRows):
        read_xlsx_rows(io.BytesIO(buf.getvalue()))


def test_the_size_cap_applies_before_reading(settings):
    settings.KOPDIG_IMPORT_MAX_BYTES = 100
    upload = _xlsx(["a"], [[1]])
    with pytest.raises(TooLarge) as exc:
        read_xlsx_rows(upload)
    assert str(exc.value) == "Berkas terlalu besar: paling besar 100\xa0bita."


def test_the_csv_reader_has_the_same_row_cap(caps):
    ok = SimpleUploadedFile("j.csv", b"a;b\n1;2\n\n3;4\n")
    assert read_csv_rows(ok) == [(2, {"a": "1", "b": "2"}), (4, {"a": "3", "b": "4"})]
    with pytest.raises(TooManyRows):
        read_csv_rows(SimpleUploadedFile("j.csv", b"a,b\n" + b"1,2\n" * 10))


def test_member_import_over_the_cap_writes_nothing(world, caps):
    before = Member.objects.count()
    upload = _xlsx(["nik", "nama"], [[f"35131541019000{i:02d}", f"Anggota {i}"] for i in range(10)])
    resp = _client(world.pengurus_a).post(
        f"{K}/anggota/impor/", {"file": upload, "joined_on": timezone.localdate().isoformat()}
    )
    assert resp.status_code == 200 and TOO_MANY in resp.content.decode()
    assert Member.objects.count() == before


def test_member_import_shows_only_the_first_errors(world, caps):
    upload = _xlsx(["nik", "nama"], [["salah", ""], ["salah", ""], ["salah", ""]])
    resp = _client(world.pengurus_a).post(
        f"{K}/anggota/impor/", {"file": upload, "joined_on": timezone.localdate().isoformat()}
    )
    html = resp.content.decode()
    table = html.split('data-testid="import-errors"', 1)[1].split("</table>", 1)[0]
    assert len(resp.context["errors"]) == 3 and table.count("<tr>") == 1 + 2  # head + 2 rows
    assert "dan 1 kesalahan lain" in html


def test_journal_csv_over_the_cap_writes_nothing(world, caps):
    body = "tanggal;akun;debit;kredit;keterangan\n" + "2025-01-02;1101;1000;;x\n" * 10
    resp = _client(world.pengurus_a).post(
        f"{K}/buku/impor/",
        {"file": SimpleUploadedFile("jurnal.csv", body.encode()), "token": "t" * 20},
        follow=True,
    )
    assert TOO_MANY in resp.content.decode()
    assert not JournalEntry.objects.filter(cooperative=world.coop_a).exists()


def test_shu_volume_import_over_the_cap_writes_nothing(world, caps):
    upload = _xlsx(["no_anggota", "jenis", "jumlah"], [[world.member_a.number, "simpanan", 1]] * 10)
    resp = _client(world.pengurus_a).post(f"{K}/shu/2025/volume/", {"file": upload}, follow=True)
    assert TOO_MANY in resp.content.decode()
    assert not MemberVolume.objects.filter(cooperative=world.coop_a).exists()


def test_usaha_product_import_over_the_cap_writes_nothing(world, caps):
    upload = _xlsx(["kode", "nama"], [[f"p{i}", f"Produk {i}"] for i in range(10)])
    resp = _client(world.pengurus_a).post(f"{K}/usaha/produk/impor/", {"file": upload}, follow=True)
    assert TOO_MANY in resp.content.decode()
    assert not Product.objects.filter(cooperative=world.coop_a).exists()


def test_usaha_product_import_over_the_size_cap_writes_nothing(world, settings):
    settings.KOPDIG_IMPORT_MAX_BYTES = 100
    upload = _xlsx(["kode", "nama"], [["p1", "Produk 1"]])
    resp = _client(world.pengurus_a).post(f"{K}/usaha/produk/impor/", {"file": upload}, follow=True)
    assert "Berkas terlalu besar" in resp.content.decode()
    assert not Product.objects.filter(cooperative=world.coop_a).exists()
