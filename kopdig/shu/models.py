"""SHU (Sisa Hasil Usaha): per-year settings, allocation lines, member volumes, approved shares.

Lifecycle of a ``ShuYear`` (domain §6): draft → simulated (settings saved) → closed (year-end
closing entry posted, year locked) → approved (RAT decision recorded, member shares frozen in
``ShuMemberShare``) → allocated (allocation entry posted on the RAT date) → distributed (every
member paid, credited to sukarela, or left as a payable for members who are no longer active).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD, ZERO

PERCENT_FIELD = {"max_digits": 7, "decimal_places": 4}


class ShuYear(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SIMULATED = "simulated", _("Disimulasikan")
        CLOSED = "closed", _("Tahun buku ditutup")
        APPROVED = "approved", _("Disetujui RAT")
        ALLOCATED = "allocated", _("Dialokasikan")
        DISTRIBUTED = "distributed", _("Dibagikan")

    class SimpananBasis(models.TextChoices):
        AVERAGE = "average", _("Saldo rata-rata setahun")
        YEAR_END = "year_end", _("Saldo akhir tahun")

    class TransaksiBasis(models.TextChoices):
        JASA = "jasa", _("Jasa pinjaman yang dibayar")
        VOLUME = "volume", _("Volume transaksi (impor Excel)")
        MIX = "mix", _("Campuran berbobot")
        USAHA = "usaha", _("Transaksi unit usaha (pembelian atau penyerahan anggota)")

    class Method(models.TextChoices):
        TUNAI = "tunai", _("Tunai")
        SUKARELA = "sukarela", _("Dikreditkan ke simpanan sukarela")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="shu_years")
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    # The SHU to divide: None = from the books; a value = the RAT's override.
    shu_override = models.DecimalField(_("SHU (penyesuaian)"), **MONEY_FIELD, null=True, blank=True)
    # Simpanan basis for jasa modal.
    simpanan_kinds = models.CharField(
        _("jenis simpanan dasar jasa modal"), max_length=80, default="pokok,wajib"
    )
    simpanan_basis = models.CharField(
        _("dasar simpanan"), max_length=10, choices=SimpananBasis.choices, default=SimpananBasis.AVERAGE
    )
    # Transaksi basis for jasa usaha.
    transaksi_basis = models.CharField(
        _("dasar transaksi"), max_length=10, choices=TransaksiBasis.choices, default=TransaksiBasis.JASA
    )
    volume_kinds = models.CharField(
        _("jenis volume"), max_length=80, blank=True, default=""
    )  # "" = all kinds
    jasa_weight = models.DecimalField(_("bobot jasa pinjaman (%)"), **PERCENT_FIELD, default=50)  # for MIX
    # Withholding tax on SHU paid to members (percent; 0 = none). Withheld amounts go to utang_pajak.
    tax_percent = models.DecimalField(_("pajak SHU anggota (%)"), **PERCENT_FIELD, default=0)
    # SHU from non-member business allocated separately with its own lines (pool "non_anggota").
    separate_non_member = models.BooleanField(_("SHU non-anggota dialokasikan tersendiri"), default=False)
    # Books, frozen at close: the year's revenue, its non-member part and the SHU closed into 3401.
    book_revenue = models.DecimalField(**MONEY_FIELD, null=True, blank=True)
    book_revenue_non_member = models.DecimalField(**MONEY_FIELD, null=True, blank=True)
    book_shu = models.DecimalField(**MONEY_FIELD, null=True, blank=True)
    closing_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    lock_before_close = models.DateField(null=True, blank=True)  # the ledger lock the close replaced
    # Frozen at approval.
    shu_amount = models.DecimalField(_("SHU dibagi"), **MONEY_FIELD, null=True, blank=True)
    non_member_shu = models.DecimalField(**MONEY_FIELD, null=True, blank=True)
    rat_date = models.DateField(_("tanggal keputusan RAT"), null=True, blank=True)
    rat_reference = models.CharField(_("nomor keputusan RAT"), max_length=100, blank=True, default="")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    allocation_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Distribution progress (the run is resumable; a page shows these).
    method = models.CharField(
        _("cara pembayaran"), max_length=10, choices=Method.choices, blank=True, default=""
    )
    distribute_date = models.DateField(null=True, blank=True)
    distribute_total = models.PositiveIntegerField(default=0)
    distribute_done = models.PositiveIntegerField(default=0)
    distribute_started_at = models.DateTimeField(null=True, blank=True)
    distribute_finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["cooperative", "-year"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "year"], name="shu_year_unique")]

    def __str__(self):
        return f"SHU {self.year}"

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.simpanan_kinds.split(",") if k.strip())

    @property
    def volume_kind_list(self) -> tuple[str, ...]:
        return tuple(k.strip() for k in self.volume_kinds.split(",") if k.strip())

    @property
    def is_locked_for_settings(self) -> bool:
        return self.status in (self.Status.APPROVED, self.Status.ALLOCATED, self.Status.DISTRIBUTED)


class ShuAllocationLine(models.Model):
    class Role(models.TextChoices):
        JASA_MODAL = "jasa_modal", _("Jasa modal (JM)")
        JASA_USAHA = "jasa_usaha", _("Jasa usaha (JU)")
        CADANGAN = "cadangan", _("Cadangan")
        OTHER = "other", _("Lainnya")

    class Pool(models.TextChoices):
        ANGGOTA = "anggota", _("SHU (bagian anggota)")
        NON_ANGGOTA = "non_anggota", _("SHU dari non-anggota")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    shu_year = models.ForeignKey(ShuYear, on_delete=models.CASCADE, related_name="lines")
    pool = models.CharField(max_length=12, choices=Pool.choices, default=Pool.ANGGOTA)
    position = models.PositiveSmallIntegerField(default=0)
    name = models.CharField(_("nama"), max_length=100)
    percent = models.DecimalField(_("persen"), **PERCENT_FIELD)  # "20" means 20%
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices)
    account_key = models.CharField(_("akun tujuan"), max_length=40)  # system key or account code
    amount = models.DecimalField(**MONEY_FIELD, null=True, blank=True)  # frozen at approval

    class Meta:
        ordering = ["shu_year", "pool", "position"]


class MemberVolume(models.Model):
    """A member's business volume with the cooperative in a year (imported from Excel)."""

    class Kind(models.TextChoices):
        PEMBELIAN = "pembelian", _("Pembelian anggota (konsumen)")
        PENYERAHAN = "penyerahan", _("Penyerahan/penjualan hasil anggota (produsen)")
        JASA = "jasa", _("Jasa/transaksi lain")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    amount = models.DecimalField(**MONEY_FIELD)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "year", "member", "kind"], name="member_volume_unique"
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="member_volume_nonneg"),
        ]
        indexes = [models.Index(fields=["cooperative", "year"])]


class ShuMemberShare(models.Model):
    """One member's approved SHU for a year, and whether it has been paid."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Belum dibayar")
        PAID = "paid", _("Dibayar tunai")
        CREDITED = "credited", _("Dikreditkan ke sukarela")
        PAYABLE = "payable", _("Utang kepada mantan anggota")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    shu_year = models.ForeignKey(ShuYear, on_delete=models.PROTECT, related_name="shares")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    simpanan = models.DecimalField(**MONEY_FIELD, default=ZERO)
    transaksi = models.DecimalField(**MONEY_FIELD, default=ZERO)
    jm = models.DecimalField(**MONEY_FIELD, default=ZERO)
    ju = models.DecimalField(**MONEY_FIELD, default=ZERO)
    total = models.DecimalField(**MONEY_FIELD, default=ZERO)
    tax = models.DecimalField(**MONEY_FIELD, default=ZERO)
    net = models.DecimalField(**MONEY_FIELD, default=ZERO)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    receipt_number = models.CharField(max_length=30, blank=True, default="")
    paid_on = models.DateField(null=True, blank=True)
    journal_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["shu_year", "member__number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "shu_year", "member"], name="shu_share_unique"),
        ]
        indexes = [models.Index(fields=["cooperative", "shu_year", "status"])]
