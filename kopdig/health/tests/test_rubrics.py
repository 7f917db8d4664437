"""Shipped rubrics loaded by the migration; rubric import (JSON and spreadsheet) validated and
all-or-nothing."""

import io
import json

import pytest
from openpyxl import Workbook

from kopdig.audit.models import AuditLog
from kopdig.health import actions
from kopdig.health.models import Aspect, ChecklistItem, Indicator, Rubric
from kopdig.health.rubrics import DATA_DIR, rubric_from_workbook
from kopdig.lib.errors import NotAllowed
from kopdig.tenancy.access import SYSTEM
from kopdig.tenancy.models import DinasRole

from .conftest import login

pytestmark = pytest.mark.django_db


def counts():
    return (
        Rubric.objects.count(),
        Aspect.objects.count(),
        Indicator.objects.count(),
        ChecklistItem.objects.count(),
    )


def test_migration_loaded_both_rubrics_with_flags():
    k = Rubric.objects.get(code="kkpkk", version=1)
    p = Rubric.objects.get(code="perdep-06-2016", version=1)
    assert [(a.code, a.weight) for a in k.aspects.all()] == [
        ("tata_kelola", 30),
        ("profil_risiko", 15),
        ("kinerja_keuangan", 40),
        ("permodalan", 15),
    ]
    assert (
        p.aspects.count() == 7
        and k.cutoffs_unconfirmed
        and (k.cutoff_sehat, k.cutoff_cukup, k.cutoff_pengawasan) == (80, 66, 51)
    )
    assert Indicator.objects.get(rubric=k, code="prinsip_koperasi").items.count() == 7
    assert Indicator.objects.get(rubric=k, code="manajemen").unconfirmed
    assert not Indicator.objects.get(rubric=k, code="ekuitas_aset").unconfirmed
    assert not Indicator.objects.get(rubric=k, code="kecukupan_modal").counted


def _v2():
    data = json.loads((DATA_DIR / "kkpkk.json").read_text())
    data["version"] = 2
    return data


def test_admin_imports_a_new_version(admin_user):
    rubric = actions.rubric_import(actor=admin_user, data=_v2())
    assert rubric.version == 2 and rubric.indicators.count() == 19
    assert AuditLog.objects.filter(action="rubric_import").count() == 1


def test_bad_row_writes_nothing(admin_user):
    data = _v2()
    data["aspects"][2]["indicators"][0]["formula"] = "pinjaman_neto / aset_ajaib"
    data["aspects"][0]["weight"] = "31"
    before = counts()
    with pytest.raises(actions.RubricInvalid) as exc:
        actions.rubric_import(actor=admin_user, data=data)
    reasons = [str(p) for p in exc.value.problems]
    assert "aspek: jumlah bobot aspek 101, harus 100" in reasons
    assert "indikator pinjaman_aset_produktif: rumus menyebut angka yang tidak dikenal: aset_ajaib" in reasons
    assert counts() == before and not AuditLog.objects.filter(action="rubric_import").exists()


def test_same_version_twice_is_refused(admin_user):
    before = counts()
    with pytest.raises(Exception, match="sudah ada"):
        actions.rubric_import(actor=admin_user, data=json.loads((DATA_DIR / "kkpkk.json").read_text()))
    assert counts() == before


def test_only_an_admin_imports(world):
    with pytest.raises(NotAllowed):
        actions.rubric_import(actor=world.dinas, data=_v2())
    assert not Rubric.objects.filter(version=2).exists()
    assert actions.rubric_import(actor=SYSTEM, data=_v2()).version == 2


def _workbook(ladder_rows):
    wb = Workbook()
    wb.remove(wb.active)
    sheets = {
        "rubrik": [
            ("kunci", "nilai"),
            ("kode", "mini"),
            ("versi", 1),
            ("nama", "Rubrik mini"),
            ("skema", "score4"),
            ("batas_sehat", 80),
            ("batas_cukup_sehat", 66),
            ("batas_dalam_pengawasan", 51),
        ],
        "aspek": [("kode", "nama", "bobot"), ("modal", "Permodalan", 100)],
        "indikator": [
            ("aspek", "kode", "nama", "jenis", "bobot", "rumus"),
            ("modal", "eq", "Ekuitas / aset", "ratio", 1, "total_ekuitas / total_aset"),
        ],
        "tangga": [
            ("indikator", "lebih_dari", "mulai_dari", "kurang_dari", "sampai_dengan", "skor"),
            *ladder_rows,
        ],
    }
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    return buf


def test_spreadsheet_import_names_the_bad_row(admin_user):
    good = _workbook([("eq", 30, None, None, None, 4), ("eq", None, None, None, 30, 1)])
    rubric = actions.rubric_import(actor=admin_user, data=rubric_from_workbook(good))
    assert rubric.indicators.get().ladder == [{"gt": "30", "score": "4"}, {"le": "30", "score": "1"}]
    bad = _workbook([("eq", 30, None, None, None, 4), ("eq", None, None, None, 25, 1)])
    data = rubric_from_workbook(bad)
    data["code"] = "mini-2"
    before = counts()
    with pytest.raises(actions.RubricInvalid) as exc:
        actions.rubric_import(actor=admin_user, data=data)
    assert [str(p) for p in exc.value.problems] == ["lembar indikator baris 2: celah antara 25 dan 30"]
    assert counts() == before


def test_rubric_pages(world, admin_user):
    c = login(world.dinas)
    assert c.get("/dinas/kesehatan/rubrik/").status_code == 200
    assert c.get("/dinas/kesehatan/rubrik/kkpkk/1/").status_code == 200
    bad = io.BytesIO(json.dumps({"code": "x", "version": 1}).encode())
    bad.name = "x.json"
    DinasRole.objects.create(user=admin_user, kabupaten=world.kab)
    before = counts()
    resp = login(admin_user).post("/dinas/kesehatan/rubrik/impor/", {"file": bad}, follow=True)
    assert "Rubrik ditolak" in resp.content.decode() and counts() == before
