"""Import and export of the registry in the Dinas spreadsheet layout (domain §8).

One row per cooperative. ``parse`` validates every row and returns a plan (nothing written);
``registry_import`` applies a plan without errors in ONE transaction, so a refused file writes
nothing. Existing cooperatives are matched by NIK or badan hukum number within the kabupaten.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from kopdig import audit
from kopdig.lib import validation
from kopdig.lib.cells import cell_date, cell_number
from kopdig.lib.documents import UploadRefused, read_xlsx_rows
from kopdig.lib.errors import DomainError
from kopdig.lib.transactions import action_atomic
from kopdig.tenancy.access import require_dinas
from kopdig.tenancy.actions import _create_cooperative
from kopdig.tenancy.models import Cooperative, Region

from .actions import _apply_registry, _report_upsert, clean_figures
from .models import CoopOfficer, RatRecord

COLUMNS = [
    "No",
    "Nama Koperasi",
    "No. Badan Hukum",
    "Tanggal Badan Hukum",
    "NIK",
    "Jenis",
    "Kelompok",
    "Alamat",
    "Desa",
    "Kecamatan",
    "Status",
    "Tahun RAT Terakhir",
    "Anggota L",
    "Anggota P",
    "Aset",
    "Volume Usaha",
    "SHU",
    "Nama Ketua",
    "No. HP",
]
REQUIRED = ["Nama Koperasi", "Jenis"]

JENIS_ALIASES = {
    "ksp": "simpan_pinjam",
    "usp": "simpan_pinjam",
    "simpan pinjam": "simpan_pinjam",
    "ksu": "serba_usaha",
    "serba usaha": "serba_usaha",
    "kspps": "simpan_pinjam",
}
STATUS_ALIASES = {
    "aktif": "aktif",
    "tidak aktif": "tidak_aktif",
    "tidak_aktif": "tidak_aktif",
    "non aktif": "tidak_aktif",
    "nonaktif": "tidak_aktif",
    "dibubarkan": "dibubarkan",
    "bubar": "dibubarkan",
}


@dataclass
class RowPlan:
    number: int
    name: str
    cooperative: Cooperative | None  # None: a new cooperative
    fields: dict = field(default_factory=dict)
    figures: dict = field(default_factory=dict)
    rat_year: int | None = None
    ketua: str = ""
    phone: str = ""
    notes: list = field(default_factory=list)

    @property
    def is_new(self):
        return self.cooperative is None


@dataclass
class ImportPlan:
    year: int
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # (row number, message)

    @property
    def ok(self):
        return not self.errors and bool(self.rows)

    @property
    def shown_errors(self):
        """The first ``KOPDIG_IMPORT_MAX_ERRORS_SHOWN`` errors (a page stays small)."""
        return self.errors[: settings.KOPDIG_IMPORT_MAX_ERRORS_SHOWN]

    @property
    def hidden_error_count(self):
        return max(0, len(self.errors) - settings.KOPDIG_IMPORT_MAX_ERRORS_SHOWN)

    @property
    def new_count(self):
        return sum(1 for r in self.rows if r.is_new)

    @property
    def update_count(self):
        return sum(1 for r in self.rows if not r.is_new)


def _key(header) -> str:
    return "".join(ch for ch in str(header).lower() if ch.isalnum())


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _choice(value, choices, aliases=None):
    text = _text(value).lower()
    if not text:
        return None
    if aliases and text in aliases:
        return aliases[text]
    for key, label in choices:
        if text in (key, str(label).lower(), key.replace("_", " ")):
            return key
    raise ValueError


@dataclass
class _Lookups:
    """What every row is matched against: the kabupaten's cooperatives and regions."""

    by_nik: dict
    by_bh: dict
    kecamatan: dict
    desa: dict
    seen: dict = field(default_factory=dict)  # match key -> first row number


def parse(fileobj, *, kabupaten: Region, year: int) -> ImportPlan:
    """Read and validate a Dinas spreadsheet; nothing is written. At most
    ``settings.KOPDIG_IMPORT_MAX_ROWS`` data rows are read (streaming, openpyxl read-only)."""
    plan = ImportPlan(year=year)
    rows = _read_rows(fileobj, plan)
    if rows is None:
        return plan
    lookups = _lookups(kabupaten)
    for number, row in rows:
        errors: list[str] = []
        plan.rows.append(_parse_row(number, row, lookups, year, errors))
        plan.errors.extend((number, msg) for msg in errors)
    return plan


def _read_rows(fileobj, plan: ImportPlan):
    """The data rows with canonical headers, or None after recording why the file is refused."""
    try:
        header, rows = read_xlsx_rows(fileobj, max_rows=settings.KOPDIG_IMPORT_MAX_ROWS)
    except UploadRefused as exc:
        plan.errors.append((1, str(exc)))
        return None
    except Exception:  # openpyxl raises many kinds for a file that is not a workbook
        plan.errors.append((1, "Berkas bukan Excel (.xlsx) yang dapat dibaca."))
        return None
    # Headers are matched without regard to case, spaces and dots ("No HP" = "No. HP").
    canon = {_key(c): c for c in COLUMNS}
    rename = {h: canon.get(_key(h), h) for h in header}
    missing = [c for c in REQUIRED if c not in rename.values()]
    if missing:
        plan.errors.append((1, "Kolom wajib tidak ada: " + ", ".join(missing)))
        return None
    if not rows:
        plan.errors.append((1, "Berkas tidak berisi baris data."))
        return None
    return [(n, {rename.get(k, k): v for k, v in r.items()}) for n, r in rows]


def _lookups(kabupaten: Region) -> _Lookups:
    coops = list(
        Cooperative.objects.filter(kabupaten=kabupaten).only(
            "pk", "name", "slug", "nik", "badan_hukum_number", "kabupaten_id", "on_kopdig", "founded_on"
        )
    )
    desa = {(d.parent_id, d.name.lower()): d for d in Region.objects.filter(parent__parent=kabupaten)}
    return _Lookups(
        by_nik={c.nik: c for c in coops if c.nik},
        by_bh={c.badan_hukum_number.strip().lower(): c for c in coops if c.badan_hukum_number},
        kecamatan={r.name.lower(): r for r in Region.objects.filter(parent=kabupaten)},
        desa=desa,
    )


def _parse_row(number: int, row: dict, lookups: _Lookups, year: int, errors: list) -> RowPlan:
    """One row's plan; its problems are appended to ``errors``."""
    name = _text(row.get("Nama Koperasi"))
    if not name:
        errors.append("Nama Koperasi wajib diisi.")
    fields = {"name": name} if name else {}
    _row_choices(row, fields, errors)
    nik, bh = _row_identity(row, fields, errors)
    _row_region(row, fields, lookups, errors)
    figures = _row_figures(row, errors)
    coop = _row_match(number, name, nik, bh, lookups, errors)
    plan_row = RowPlan(
        number=number,
        name=name,
        cooperative=coop,
        fields=fields,
        figures=figures,
        rat_year=_row_rat_year(row, errors),
        ketua=_text(row.get("Nama Ketua"))[:150],
        phone=_text(row.get("No. HP"))[:20],
    )
    if coop is not None and coop.on_kopdig and figures:
        plan_row.notes.append("Angka tahunan diabaikan: koperasi membukukan di Kopdig.")
        plan_row.figures = {}
    founded = fields.get("badan_hukum_date") or (coop.founded_on if coop else None)
    if plan_row.figures and founded and founded.year > year:
        errors.append(f"Koperasi belum berdiri pada tahun buku {year}.")
    return plan_row


def _row_choices(row: dict, fields: dict, errors: list) -> None:
    """Jenis (required), kelompok and status, by key, label or alias."""
    for col, name, choices, aliases in (
        ("Jenis", "jenis", Cooperative.Jenis.choices, JENIS_ALIASES),
        ("Kelompok", "kelompok", Cooperative.Kelompok.choices, None),
        ("Status", "status", Cooperative.Status.choices, STATUS_ALIASES),
    ):
        try:
            value = _choice(row.get(col), choices, aliases)
        except ValueError:
            errors.append(f"{col} tidak dikenal: {_text(row.get(col))}.")
            continue
        if value:
            fields[name] = value
        elif col == "Jenis":
            errors.append("Jenis wajib diisi.")


def _row_identity(row: dict, fields: dict, errors: list) -> tuple[str, str]:
    """NIK, badan hukum number and date, address; returns (nik, badan hukum number)."""
    nik = _text(row.get("NIK"))
    if nik:
        if not nik.isdigit() or len(nik) > 20:
            errors.append("NIK harus berupa angka.")
        fields["nik"] = nik
    bh = _text(row.get("No. Badan Hukum"))
    if bh:
        fields["badan_hukum_number"] = bh[:100]
    try:
        bh_date = cell_date(row.get("Tanggal Badan Hukum"))
        if bh_date:
            fields["badan_hukum_date"] = validation.date_between(
                bh_date, "Tanggal Badan Hukum", validation.EARLIEST, timezone.localdate()
            )
    except ValueError as exc:
        errors.append(
            str(exc)
            if isinstance(exc, validation.InvalidValue)
            else "Tanggal Badan Hukum tidak valid (dd/mm/yyyy)."
        )
    address = _text(row.get("Alamat"))
    if address:
        fields["address"] = address[:255]
    return nik, bh


def _row_region(row: dict, fields: dict, lookups: _Lookups, errors: list) -> None:
    """Kecamatan of this kabupaten and desa of that kecamatan, by name."""
    kec_name = _text(row.get("Kecamatan"))
    kec = lookups.kecamatan.get(kec_name.lower()) if kec_name else None
    if kec_name and kec is None:
        errors.append(f"Kecamatan tidak ada di kabupaten ini: {kec_name}.")
    elif kec is not None:
        fields["kecamatan"] = kec
    desa_name = _text(row.get("Desa"))
    if not desa_name:
        return
    if kec is None:
        if kec_name == "":
            errors.append("Desa diisi tanpa kecamatan.")
        return
    d = lookups.desa.get((kec.pk, desa_name.lower()))
    if d is None:
        errors.append(f"Desa {desa_name} tidak ada di Kecamatan {kec.name}.")
    else:
        fields["desa"] = d


def _row_rat_year(row: dict, errors: list) -> int | None:
    """The last RAT year: 1945 .. last year."""
    if not _text(row.get("Tahun RAT Terakhir")):
        return None
    try:
        rat_year = int(cell_number(row.get("Tahun RAT Terakhir")))
        if not 1945 <= rat_year < timezone.localdate().year:
            raise ValueError
    except (ValueError, TypeError, ArithmeticError):
        errors.append("Tahun RAT Terakhir tidak valid.")
        return None
    return rat_year


def _row_figures(row: dict, errors: list) -> dict:
    """Reported members, assets, volume and SHU (exact numbers, checked by clean_figures)."""
    figures = {}
    for col, fig in (
        ("Anggota L", "anggota_l"),
        ("Anggota P", "anggota_p"),
        ("Aset", "aset"),
        ("Volume Usaha", "volume_usaha"),
        ("SHU", "shu"),
    ):
        try:
            value = cell_number(row.get(col))
            if value is not None and (not value.is_finite() or abs(value) >= Decimal(10) ** 18):
                raise ValueError
        except ValueError:
            errors.append(f"{col} bukan angka.")
            continue
        if value is not None:
            figures[fig] = value
    try:
        return clean_figures(figures)
    except DomainError as exc:
        errors.append(f"Angka tidak valid: {exc}")
        return figures


def _row_match(number: int, name: str, nik: str, bh: str, lookups: _Lookups, errors: list):
    """The existing cooperative by NIK, then by badan hukum number (None: a new one); a
    cooperative named twice in the file is refused."""
    coop = lookups.by_nik.get(nik) if nik else None
    if coop is None and bh:
        coop = lookups.by_bh.get(bh.lower())
    key = ("c", coop.pk) if coop else ("n", nik or bh.lower() or name.lower())
    if key in lookups.seen:
        errors.append(f"Koperasi yang sama sudah ada di baris {lookups.seen[key]}.")
    lookups.seen[key] = number
    if coop is not None and nik and coop.nik and coop.nik != nik:
        errors.append("NIK berbeda dengan koperasi yang cocok menurut nomor badan hukum.")
    if nik and nik in lookups.by_nik and coop is not None and lookups.by_nik[nik].pk != coop.pk:
        errors.append("NIK sudah dipakai koperasi lain.")
    return coop


def registry_import(*, actor, kabupaten: Region, plan: ImportPlan) -> dict:
    """Apply a validated plan in one transaction: new cooperatives are registered, existing ones
    updated (audited before/after), figures stored as reported by import for ``plan.year``, the
    last RAT year recorded, the ketua kept in the officers list. Refuses a plan with errors."""
    require_dinas(actor, kabupaten.pk)
    if not plan.ok:
        raise DomainError("Berkas ditolak: perbaiki baris yang salah lalu unggah lagi.")
    created = updated = 0
    with action_atomic():
        for row in plan.rows:
            if row.cooperative is None:
                coop = _register_row(actor, kabupaten, row)
                created += 1
            else:
                coop, changed = _update_row(actor, row)
                updated += changed
            _import_figures(actor, coop, row, plan.year)
            _import_rat_year(actor, coop, row)
            _import_ketua(coop, row)
        audit.record(
            actor,
            "registry_import",
            kabupaten=kabupaten,
            ref=str(plan.year),
            summary=f"Impor Excel: {created} baru, {updated} diubah",
            after={"rows": len(plan.rows)},
        )
    return {"created": created, "updated": updated, "rows": len(plan.rows)}


def _register_row(actor, kabupaten: Region, row: RowPlan) -> Cooperative:
    """A new cooperative of the kabupaten from one row, audited as a registration."""
    fields = dict(row.fields)
    name, jenis = fields.pop("name"), fields.pop("jenis")
    coop = _create_cooperative(kabupaten=kabupaten, name=name, jenis=jenis, **fields)
    audit.record(
        actor,
        "cooperative_register",
        cooperative=coop,
        obj=coop,
        ref=coop.slug,
        summary=f"{name} (impor Excel baris {row.number})",
        after=audit.snapshot(coop, ["name", "jenis", "kelompok", "status", "on_kopdig"]),
    )
    return coop


def _update_row(actor, row: RowPlan) -> tuple[Cooperative, bool]:
    """The matched cooperative, locked and updated from the row; (cooperative, whether it changed)."""
    coop = Cooperative.objects.select_for_update().get(pk=row.cooperative.pk)
    changed = _apply_registry(
        actor, coop, dict(row.fields), "cooperative_update", summary=f"impor Excel baris {row.number}"
    )
    return coop, bool(changed)


def _import_figures(actor, coop: Cooperative, row: RowPlan, year: int) -> None:
    """The row's annual figures, stored as reported by import for ``year`` (audited when changed)."""
    if not row.figures:
        return
    report, before, after = _report_upsert(coop, year, row.figures, "import")
    if after:
        audit.record(
            actor,
            "annual_report_save",
            cooperative=coop,
            obj=report,
            ref=str(year),
            summary=f"Data tahunan {year} (impor)",
            before=before,
            after=after,
        )


def _import_rat_year(actor, coop: Cooperative, row: RowPlan) -> None:
    """The last RAT year, recorded once (a year already on record is kept as it is)."""
    if not row.rat_year or RatRecord.objects.filter(cooperative=coop, year=row.rat_year).exists():
        return
    RatRecord.objects.create(
        cooperative=coop, year=row.rat_year, held_on=None, source="import", recorded_by=actor
    )
    audit.record(
        actor,
        "rat_record_save",
        cooperative=coop,
        ref=str(row.rat_year),
        summary=f"RAT tahun buku {row.rat_year} (impor)",
        after={"held_on": None, "source": "import"},
    )


def _import_ketua(coop: Cooperative, row: RowPlan) -> None:
    """The ketua in the officers list: added, or renamed (a phone left empty keeps the old one)."""
    if not row.ketua:
        return
    ketua = CoopOfficer.objects.filter(cooperative=coop, body="pengurus", position="ketua").first()
    if ketua is None:
        CoopOfficer.objects.create(
            cooperative=coop, body="pengurus", position="ketua", name=row.ketua, phone=row.phone
        )
    elif (ketua.name, ketua.phone) != (row.ketua, row.phone or ketua.phone):
        ketua.name, ketua.phone = row.ketua, row.phone or ketua.phone
        ketua.save(update_fields=["name", "phone"])


def export_rows(coops, last_rat: dict, figures: dict):
    """Rows in the Dinas layout; ``figures``: {coop_id: AnnualFigures} for the chosen year."""
    ketua = {}
    for cid, name, phone in CoopOfficer.objects.filter(
        cooperative_id__in=[c.pk for c in coops], body="pengurus", position="ketua"
    ).values_list("cooperative_id", "name", "phone"):
        ketua.setdefault(cid, (name, phone))
    for i, c in enumerate(coops, start=1):
        f = figures.get(c.pk)

        def val(name, _f=f):
            return _f.figures[name].value if _f else None

        k_name, k_phone = ketua.get(c.pk, ("", ""))
        yield [
            i,
            c.name,
            c.badan_hukum_number,
            c.badan_hukum_date,
            c.nik,
            c.get_jenis_display(),
            c.get_kelompok_display(),
            c.address,
            c.desa.name if c.desa_id else "",
            c.kecamatan.name if c.kecamatan_id else "",
            c.get_status_display(),
            last_rat.get(c.pk),
            val("anggota_l"),
            val("anggota_p"),
            val("aset"),
            val("volume_usaha"),
            val("shu"),
            k_name,
            k_phone or c.phone,
        ]
