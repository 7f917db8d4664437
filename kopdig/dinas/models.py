"""Supervision data the Dinas keeps about the cooperatives of its kabupaten (domain §7, §8).

Nothing here is a cooperative's books: officers, staff, reported annual figures, RAT records,
invitations and the regency's settings. Figures of a cooperative that keeps its books on
Kopdig are computed from its ledger and registers (``selectors.book_figures``), never stored.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD
from kopdig.tenancy.models import opaque_code


class DinasSettings(models.Model):
    """Settings of one regency office."""

    kabupaten = models.OneToOneField("tenancy.Region", on_delete=models.PROTECT, related_name="+")
    rat_deadline_months = models.PositiveSmallIntegerField(
        _("batas waktu RAT (bulan setelah tahun buku berakhir)"), default=6
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(rat_deadline_months__gte=1, rat_deadline_months__lte=12),
                name="dinas_deadline_1_12",
            )
        ]


class CoopOfficer(models.Model):
    """A member of the pengurus or pengawas of a cooperative, with the term the RAT elected them for."""

    class Body(models.TextChoices):
        PENGURUS = "pengurus", _("Pengurus")
        PENGAWAS = "pengawas", _("Pengawas")

    class Position(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL_KETUA = "wakil_ketua", _("Wakil ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        BENDAHARA = "bendahara", _("Bendahara")
        ANGGOTA = "anggota", _("Anggota")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="dinas_officers"
    )
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    body = models.CharField(_("organ"), max_length=10, choices=Body.choices)
    position = models.CharField(_("jabatan"), max_length=12, choices=Position.choices)
    name = models.CharField(_("nama"), max_length=150)
    phone = models.CharField(_("no. HP"), max_length=20, blank=True)
    term_start = models.DateField(_("awal masa jabatan"), null=True, blank=True)
    term_end = models.DateField(_("akhir masa jabatan"), null=True, blank=True)

    class Meta:
        ordering = ["cooperative", "body", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="coopofficer_code_unique"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True)
                | Q(term_start__isnull=True)
                | Q(term_end__gte=models.F("term_start")),
                name="coopofficer_term_order",
            ),
        ]

    def __str__(self):
        return f"{self.get_position_display()} {self.get_body_display()}: {self.name}"


class CoopStaff(models.Model):
    """A hired person (manajer or karyawan); counted at a year's end when employed then."""

    class Position(models.TextChoices):
        MANAJER = "manajer", _("Manajer")
        KARYAWAN = "karyawan", _("Karyawan")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="dinas_staff"
    )
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    position = models.CharField(_("jabatan"), max_length=10, choices=Position.choices)
    name = models.CharField(_("nama"), max_length=150)
    phone = models.CharField(_("no. HP"), max_length=20, blank=True)
    since = models.DateField(_("mulai bekerja"), null=True, blank=True)
    until = models.DateField(_("berhenti"), null=True, blank=True)

    class Meta:
        ordering = ["cooperative", "position", "name"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "code"], name="coopstaff_code_unique")]

    def __str__(self):
        return f"{self.get_position_display()}: {self.name}"


FIGURES = [
    "anggota_l",
    "anggota_p",
    "manajer",
    "karyawan",
    "modal_sendiri",
    "modal_luar",
    "aset",
    "volume_usaha",
    "shu",
]
FIGURE_LABELS = {
    "anggota_l": _("Anggota L"),
    "anggota_p": _("Anggota P"),
    "manajer": _("Manajer"),
    "karyawan": _("Karyawan"),
    "modal_sendiri": _("Modal sendiri"),
    "modal_luar": _("Modal luar"),
    "aset": _("Aset"),
    "volume_usaha": _("Volume usaha"),
    "shu": _("SHU"),
}
COUNT_FIGURES = FIGURES[:4]
MONEY_FIGURES = FIGURES[4:]


class AnnualReport(models.Model):
    """Figures REPORTED for a cooperative's book year (entered by an officer or the pengurus, or
    imported). ``sources`` says per figure who reported it: dinas, pengurus or import."""

    class Source(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        PENGURUS = "pengurus", _("Pengurus koperasi")
        IMPORT = "import", _("Impor Excel")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="annual_reports"
    )
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    anggota_l = models.PositiveIntegerField(_("anggota laki-laki"), null=True, blank=True)
    anggota_p = models.PositiveIntegerField(_("anggota perempuan"), null=True, blank=True)
    manajer = models.PositiveIntegerField(_("manajer"), null=True, blank=True)
    karyawan = models.PositiveIntegerField(_("karyawan"), null=True, blank=True)
    modal_sendiri = models.DecimalField(_("modal sendiri"), **MONEY_FIELD, null=True, blank=True)
    modal_luar = models.DecimalField(_("modal luar"), **MONEY_FIELD, null=True, blank=True)
    aset = models.DecimalField(_("aset"), **MONEY_FIELD, null=True, blank=True)
    volume_usaha = models.DecimalField(_("volume usaha"), **MONEY_FIELD, null=True, blank=True)
    shu = models.DecimalField(_("SHU"), **MONEY_FIELD, null=True, blank=True)
    sources = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cooperative", "year"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "year"], name="annualreport_unique")]
        indexes = [models.Index(fields=["year", "cooperative"])]


class RatRecord(models.Model):
    """The RAT of a cooperative for one book year was held (on ``held_on``; None when only the year is
    known, e.g. from a Dinas spreadsheet's "Tahun RAT Terakhir")."""

    class Source(models.TextChoices):
        DINAS = "dinas", _("Dinas")
        PENGURUS = "pengurus", _("Pengurus koperasi")
        IMPORT = "import", _("Impor Excel")
        KOPDIG = "kopdig", _("Kopdig (RAT yang diselenggarakan di Kopdig)")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="rat_records"
    )
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    held_on = models.DateField(_("tanggal RAT"), null=True, blank=True)
    source = models.CharField(_("sumber"), max_length=10, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cooperative", "year"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "year"], name="ratrecord_unique")]
        indexes = [models.Index(fields=["year", "cooperative"])]


class Invitation(models.Model):
    """A one-time link for a cooperative's first pengurus to set a password. Only the hash is kept."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]


class DashboardSnapshot(models.Model):
    """The Dinas home page's numbers (``selectors.dashboard``) as last computed for a set of
    kabupaten on a day, with the fingerprint of the data they came from. A cache, not a record:
    ``selectors.dashboard_snapshot`` serves it while the fingerprint and the day still match and
    rebuilds it otherwise; deleting every row is always safe."""

    key = models.CharField(max_length=200, unique=True)  # the kabupaten ids, sorted, and the years shown
    day = models.DateField()
    fingerprint = models.CharField(max_length=400)
    data = models.BinaryField()
    built_at = models.DateTimeField(auto_now=True)
