"""Writing a validated rubric into its rows, reading the shipped rubric files, and reading a
rubric from a spreadsheet. ``write_rubric`` takes the model classes so that the data migration
(historical models) and ``actions.rubric_import`` write exactly the same rows."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from openpyxl import load_workbook

from .scoring import CUKUP, PENGAWASAN, SEHAT

DATA_DIR = Path(__file__).parent / "data"
SHIPPED = ["kkpkk.json", "perdep_06_2016.json"]


def shipped_rubrics() -> list[dict]:
    return [json.loads((DATA_DIR / name).read_text(encoding="utf-8")) for name in SHIPPED]


def write_rubric(models, data: dict):
    """Create the Rubric, Aspect, Indicator and ChecklistItem rows of a validated rubric.
    ``models``: an object with attributes Rubric, Aspect, Indicator, ChecklistItem."""
    cut = data["cutoffs"]
    rubric = models.Rubric.objects.create(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        scheme=data["scheme"],
        source=data.get("source", ""),
        applies_to=data.get("applies_to", ""),
        cutoff_sehat=Decimal(str(cut[SEHAT])),
        cutoff_cukup=Decimal(str(cut[CUKUP])),
        cutoff_pengawasan=Decimal(str(cut[PENGAWASAN])),
        cutoffs_unconfirmed=bool(data.get("cutoffs_unconfirmed")),
        definition=data,
    )
    position = 0
    for a_pos, a in enumerate(data["aspects"]):
        aspect = models.Aspect.objects.create(
            rubric=rubric,
            code=a["code"],
            name=a["name"],
            weight=Decimal(str(a["weight"])),
            note=a.get("note", ""),
            position=a_pos,
        )
        for ind in a["indicators"]:
            position += 1
            _write_indicator(models, rubric, aspect, ind, position)
    return rubric


def _write_indicator(models, rubric, aspect, ind, position):
    row = models.Indicator.objects.create(
        rubric=rubric,
        aspect=aspect,
        code=ind["code"],
        name=ind["name"],
        kind=ind["kind"],
        weight=Decimal(str(ind.get("weight", 1))),
        formula=ind.get("formula", ""),
        ladder=ind.get("ladder"),
        applies_if=ind.get("applies_if", ""),
        not_applicable_reason=ind.get("not_applicable_reason", ""),
        unconfirmed=bool(ind.get("unconfirmed")),
        counted=bool(ind.get("counted", True)),
        note=ind.get("note", ""),
        position=position,
    )
    models.ChecklistItem.objects.bulk_create(
        [
            models.ChecklistItem(
                indicator=row,
                code=i["code"],
                text=i["text"],
                position=n,
                points=Decimal(str(i["points"])) if i.get("points") not in (None, "") else None,
            )
            for n, i in enumerate(ind.get("items") or [])
        ]
    )


# --------------------------------------------------------------------------- spreadsheet

SHEETS = {
    "rubrik": ["kunci", "nilai"],
    "aspek": ["kode", "nama", "bobot", "catatan"],
    "indikator": [
        "aspek",
        "kode",
        "nama",
        "jenis",
        "bobot",
        "rumus",
        "berlaku_jika",
        "alasan_tidak_berlaku",
        "belum_terkonfirmasi",
        "dihitung",
        "catatan",
    ],
    "tangga": ["indikator", "lebih_dari", "mulai_dari", "kurang_dari", "sampai_dengan", "skor"],
    "butir": ["indikator", "kode", "teks", "poin"],
}
HEAD_KEYS = {
    "kode": "code",
    "versi": "version",
    "nama": "name",
    "skema": "scheme",
    "sumber": "source",
    "berlaku_untuk": "applies_to",
    "batas_sehat": SEHAT,
    "batas_cukup_sehat": CUKUP,
    "batas_dalam_pengawasan": PENGAWASAN,
    "batas_belum_terkonfirmasi": "cutoffs_unconfirmed",
}
YES = {"ya", "y", "1", "true", "benar", "x"}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _rows(wb, name):
    """[(row label, {column: text})] of one sheet (header in row 1)."""
    if name not in wb.sheetnames:
        return []
    it = wb[name].iter_rows(values_only=True)
    header = [_text(h).lower() for h in next(it, [])]
    out = []
    for number, values in enumerate(it, start=2):
        if values and any(v not in (None, "") for v in values):
            out.append(
                (f"lembar {name} baris {number}", dict(zip(header, (_text(v) for v in values), strict=False)))
            )
    return out


def rubric_from_workbook(fileobj) -> dict:
    """A rubric dict (the JSON format) from a workbook with the sheets of ``SHEETS``; rows keep
    their sheet and row number (``row``) so that validation can name them."""
    wb = load_workbook(fileobj, read_only=True, data_only=True)
    data = _head(_rows(wb, "rubrik"))
    aspects = {
        r["kode"]: {
            "row": label,
            "code": r["kode"],
            "name": r.get("nama", ""),
            "weight": r.get("bobot", ""),
            "note": r.get("catatan", ""),
            "indicators": [],
        }
        for label, r in _rows(wb, "aspek")
    }
    indicators = {}
    for label, r in _rows(wb, "indikator"):
        ind = _indicator(label, r)
        indicators[ind["code"]] = ind
        aspects.setdefault(
            r.get("aspek", ""),
            {"row": label, "code": r.get("aspek", ""), "name": "", "weight": "", "indicators": []},
        )["indicators"].append(ind)
    _ladders(_rows(wb, "tangga"), indicators)
    _items(_rows(wb, "butir"), indicators)
    data["aspects"] = list(aspects.values())
    return data


def _head(rows) -> dict:
    data: dict = {"cutoffs": {}}
    for _label, r in rows:
        key = HEAD_KEYS.get(r.get("kunci", "").lower())
        value = r.get("nilai", "")
        if key in (SEHAT, CUKUP, PENGAWASAN):
            data["cutoffs"][key] = value
        elif key == "version":
            data[key] = int(value) if value.isdigit() else value
        elif key == "cutoffs_unconfirmed":
            data[key] = value.lower() in YES
        elif key:
            data[key] = value
    return data


def _indicator(label, r) -> dict:
    ind = {
        "row": label,
        "code": r.get("kode", ""),
        "name": r.get("nama", ""),
        "kind": r.get("jenis", ""),
        "weight": r.get("bobot") or "1",
        "note": r.get("catatan", ""),
        "unconfirmed": r.get("belum_terkonfirmasi", "").lower() in YES,
        "counted": r.get("dihitung", "ya").lower() in YES | {""},
    }
    for src, dst in (
        ("rumus", "formula"),
        ("berlaku_jika", "applies_if"),
        ("alasan_tidak_berlaku", "not_applicable_reason"),
    ):
        if r.get(src):
            ind[dst] = r[src]
    return ind


def _ladders(rows, indicators) -> None:
    keys = {"lebih_dari": "gt", "mulai_dari": "ge", "kurang_dari": "lt", "sampai_dengan": "le"}
    for label, r in rows:
        ind = indicators.get(r.get("indikator", ""))
        if ind is None:
            indicators[f"?{label}"] = {"row": label, "code": "", "kind": "?"}
            continue
        band = {dst: r[src] for src, dst in keys.items() if r.get(src)}
        band["score"] = r.get("skor", "")
        ind.setdefault("ladder", []).append(band)


def _items(rows, indicators) -> None:
    for _label, r in rows:
        ind = indicators.get(r.get("indikator", ""))
        if ind is not None:
            item = {"code": r.get("kode", ""), "text": r.get("teks", "")}
            if r.get("poin"):
                item["points"] = r["poin"]
            ind.setdefault("items", []).append(item)
