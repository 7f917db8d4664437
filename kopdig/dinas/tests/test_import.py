"""Import of the Dinas spreadsheet: row-by-row validation, all or nothing, matching by NIK / badan hukum."""

import datetime as dt
import io
from decimal import Decimal

import pytest

from kopdig.dinas import importer
from kopdig.dinas.models import AnnualReport, CoopOfficer, RatRecord
from kopdig.lib.documents import xlsx_bytes
from kopdig.lib.errors import DomainError
from kopdig.tenancy.models import Cooperative

pytestmark = pytest.mark.django_db

YEAR = dt.date.today().year - 1
COL_SHU = importer.COLUMNS.index("SHU")


def _file(rows):
    return io.BytesIO(xlsx_bytes([("Koperasi", importer.COLUMNS, rows)]))


def _row(
    no, name, nik="", bh="", jenis="Konsumen", kec="Kraksaan", desa="", status="Aktif", rat=YEAR, aset=None
):
    return [
        no,
        name,
        bh,
        "01/02/2003",
        nik,
        jenis,
        "Umum",
        "Jl. Mawar 1",
        desa,
        kec,
        status,
        rat,
        20,
        15,
        aset,
        None,
        None,
        "Pak Ketua",
        "+6281234567890",
    ]


def test_a_file_with_one_bad_row_writes_nothing_and_names_the_row(world, plain_coops, dinas_client):
    before = (Cooperative.objects.count(), AnnualReport.objects.count(), RatRecord.objects.count())
    rows = [
        _row(1, "Koperasi Baru Satu", nik="3513999900001", aset=Decimal("1000000")),
        _row(2, "Koperasi Baru Dua", jenis="Koperasi Ajaib"),  # bad jenis, on spreadsheet row 3
        _row(3, "Koperasi Uji Diperbarui", nik=plain_coops[0].nik),
    ]
    resp = dinas_client.post("/dinas/koperasi/impor/", {"file": _file(rows), "year": YEAR})
    assert resp.status_code == 200
    plan = resp.context["plan"]
    assert plan.errors == [(3, "Jenis tidak dikenal: Koperasi Ajaib.")]
    assert "Baris" in resp.content.decode() and "Koperasi Ajaib" in resp.content.decode()
    # A refused file is not kept: it cannot be confirmed.
    assert resp.context["token"] is None
    assert (Cooperative.objects.count(), AnnualReport.objects.count(), RatRecord.objects.count()) == before
    plain_coops[0].refresh_from_db()
    assert plain_coops[0].name == "Koperasi Konsumen Uji 1"


def test_import_creates_and_updates_matching_by_nik_or_badan_hukum(world, plain_coops, dinas_client):
    rows = [
        _row(1, "Koperasi Baru Satu", nik="3513999900001", aset=Decimal("1000000.50"), desa=""),
        _row(2, "Koperasi Uji Berganti Nama", nik=plain_coops[0].nik, aset=Decimal("250000000")),
        _row(
            3,
            "Koperasi Dicocokkan BH",
            bh=plain_coops[1].badan_hukum_number,
            status="Tidak Aktif",
            rat=YEAR - 3,
        ),
    ]
    resp = dinas_client.post("/dinas/koperasi/impor/", {"file": _file(rows), "year": YEAR})
    plan = resp.context["plan"]
    assert plan.ok and plan.new_count == 1 and plan.update_count == 2
    resp = dinas_client.post(
        "/dinas/koperasi/impor/", {"confirm": "1", "token": resp.context["token"], "year": YEAR}
    )
    assert resp.status_code == 302
    new = Cooperative.objects.get(nik="3513999900001")
    assert new.kabupaten == world.kab and new.kecamatan.name == "Kraksaan" and new.jenis == "konsumen"
    assert new.badan_hukum_date == dt.date(2003, 2, 1)
    assert AnnualReport.objects.get(cooperative=new, year=YEAR).aset == Decimal("1000000.50")
    assert AnnualReport.objects.get(cooperative=new, year=YEAR).sources["aset"] == "import"
    plain_coops[0].refresh_from_db()
    assert plain_coops[0].name == "Koperasi Uji Berganti Nama"
    plain_coops[1].refresh_from_db()
    assert plain_coops[1].status == "tidak_aktif"
    assert RatRecord.objects.filter(cooperative=plain_coops[1], year=YEAR - 3, held_on=None).exists()
    assert CoopOfficer.objects.get(cooperative=new, position="ketua").phone == "+6281234567890"
    # The change is in the cooperative's history.
    detail = dinas_client.get(f"/dinas/koperasi/{plain_coops[0].slug}/")
    assert any(h.action == "cooperative_update" for h in detail.context["history"])


def test_duplicate_rows_unknown_kecamatan_and_bad_numbers_are_refused(world, plain_coops):
    rows = [
        _row(1, "A", nik="3513999900001"),
        _row(2, "B", nik="3513999900001"),
        _row(3, "C", kec="Atlantis"),
        _row(4, "D", aset="banyak"),
    ]
    plan = importer.parse(_file(rows), kabupaten=world.kab, year=YEAR)
    numbers = [n for n, _ in plan.errors]
    assert numbers == [3, 4, 5]
    with pytest.raises(DomainError):
        importer.registry_import(actor=world.dinas, kabupaten=world.kab, plan=plan)
    assert not Cooperative.objects.filter(name__in=["A", "B", "C", "D"]).exists()


def test_export_registry_in_the_dinas_layout(world, plain_coops, dinas_client):
    from openpyxl import load_workbook

    resp = dinas_client.get("/dinas/koperasi/", {"format": "xlsx", "jenis": "konsumen"})
    assert resp.status_code == 200
    ws = load_workbook(io.BytesIO(resp.content)).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert list(rows[0]) == importer.COLUMNS
    assert len(rows) == 4
    # The exported file imports back cleanly (matches by NIK, nothing new).
    plan = importer.parse(io.BytesIO(resp.content), kabupaten=world.kab, year=YEAR)
    assert plan.ok and plan.new_count == 0


def test_headers_are_matched_loosely(world):
    header = [c.upper().replace(".", "") for c in importer.COLUMNS]
    data = io.BytesIO(
        xlsx_bytes([("Koperasi", header, [_row(1, "Koperasi Huruf Besar", nik="3513999900009")])])
    )
    plan = importer.parse(data, kabupaten=world.kab, year=YEAR)
    assert plan.ok and plan.rows[0].fields["nik"] == "3513999900009" and plan.rows[0].ketua == "Pak Ketua"


def test_a_file_over_the_row_cap_is_refused_after_reading_only_the_cap(world, settings, dinas_client):
    settings.KOPDIG_IMPORT_MAX_ROWS = 50
    rows = [_row(i, f"Koperasi {i}", nik=f"35139999{i:05d}") for i in range(1, 2001)]
    resp = dinas_client.post("/dinas/koperasi/impor/", {"file": _file(rows), "year": YEAR})
    assert resp.context["plan"].errors == [
        (1, "Berkas berisi lebih dari 50 baris data; bagi menjadi beberapa berkas.")
    ]
    assert resp.context["token"] is None


def test_a_file_over_the_size_cap_is_refused(world, settings, dinas_client):
    settings.KOPDIG_IMPORT_MAX_BYTES = 1000
    resp = dinas_client.post(
        "/dinas/koperasi/impor/", {"file": _file([_row(1, "Koperasi Satu")]), "year": YEAR}
    )
    assert resp.context["plan"] is None and "Berkas terlalu besar" in resp.content.decode()
    assert Cooperative.objects.filter(name="Koperasi Satu").count() == 0


def test_only_the_first_errors_are_shown(world, settings, dinas_client):
    settings.KOPDIG_IMPORT_MAX_ERRORS_SHOWN = 3
    rows = [_row(i, f"Koperasi {i}", jenis="Ajaib") for i in range(1, 11)]
    resp = dinas_client.post("/dinas/koperasi/impor/", {"file": _file(rows), "year": YEAR})
    plan = resp.context["plan"]
    assert len(plan.errors) == 10 and len(plan.shown_errors) == 3 and plan.hidden_error_count == 7
    html = resp.content.decode()
    assert html.count("Jenis tidak dikenal: Ajaib.") == 3 and "dan 7 kesalahan lain" in html


def test_huge_or_non_finite_numbers_are_row_errors(world):
    row = _row(1, "Koperasi Besar", aset="1e400")
    row[COL_SHU] = 1e308
    plan = importer.parse(_file([row]), kabupaten=world.kab, year=YEAR)
    assert (2, "Aset bukan angka.") in plan.errors and (2, "SHU bukan angka.") in plan.errors
