"""NIK (Nomor Induk Kependudukan, the 16-digit KTP number) validation.

Structure PPRRSSDDMMYYXXXX: province, kabupaten/kota, kecamatan, birth date (day + 40 for
women), serial. python-stdnum's ``stdnum.id.nik`` checks length, digits, the province code and
the birth date; we add the gender check (day > 40 ⇔ woman) and the birth date when known.
"""

from __future__ import annotations

import datetime as dt

from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from kopdig.lib.formats import tanggal


def birth_date_from_nik(nik: str) -> dt.date | None:
    try:
        return stdnum_nik.get_birth_date(nik)
    except ValidationError:
        return None


def nik_error(nik: str, *, gender: str | None = None, birth_date: dt.date | None = None) -> str | None:
    """None when valid, else an Indonesian message saying what is wrong."""
    nik = "".join(str(nik or "").split())
    if not nik:
        return "NIK wajib diisi."
    if not nik.isdigit() or len(nik) != 16:
        return f"NIK '{nik}' harus 16 angka."
    try:
        stdnum_nik.validate(nik)
    except ValidationError:
        if nik[:2] not in _provinces():
            return f"NIK '{nik}': kode provinsi {nik[:2]} tidak dikenal."
        return f"NIK '{nik}': tanggal lahir pada digit 7–12 tidak valid."
    if _encoded_date(nik) is None:
        return f"NIK '{nik}': tanggal lahir pada digit 7–12 tidak valid."
    if nik[12:] == "0000":
        return f"NIK '{nik}': nomor urut tidak boleh 0000."
    day = int(nik[6:8])
    if gender == "P" and day <= 40:
        return f"NIK '{nik}' adalah NIK laki-laki (tanggal lahir perempuan ditambah 40)."
    if gender == "L" and day > 40:
        return f"NIK '{nik}' adalah NIK perempuan, jenis kelamin tercatat laki-laki."
    encoded = birth_date_from_nik(nik)
    if (
        birth_date
        and encoded
        and (encoded.day, encoded.month, encoded.year % 100)
        != (birth_date.day, birth_date.month, birth_date.year % 100)
    ):
        return f"Tanggal lahir {tanggal(birth_date)} tidak sesuai dengan NIK '{nik}'."
    return None


def _encoded_date(nik: str) -> dt.date | None:
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    for century in (1900, 2000):  # 29 February needs a leap year in either century
        try:
            return dt.date(century + yy, month, day)
        except ValueError:
            continue
    return None


def _provinces() -> set[str]:
    return {
        "11",
        "12",
        "13",
        "14",
        "15",
        "16",
        "17",
        "18",
        "19",
        "21",
        "31",
        "32",
        "33",
        "34",
        "35",
        "36",
        "51",
        "52",
        "53",
        "61",
        "62",
        "63",
        "64",
        "65",
        "71",
        "72",
        "73",
        "74",
        "75",
        "76",
        "81",
        "82",
        "91",
        "92",
        "93",
        "94",
        "95",
        "96",
    }


def make_nik(kecamatan_code: str, birth_date: dt.date, gender: str, serial: int) -> str:
    """A structurally valid NIK: kecamatan code '35.13.14' + DDMMYY (+40 for women) + serial."""
    region = kecamatan_code.replace(".", "")[:6]
    day = birth_date.day + (40 if gender == "P" else 0)
    return f"{region}{day:02d}{birth_date:%m}{birth_date:%y}{serial % 10000 or 1:04d}"
