"""Loans (pinjaman): products, loans with their schedules, repayments, arrears runs.

Invariants:
* ``Loan.outstanding`` (principal still owed) is a cache of Σ installment pokok − pokok paid,
  updated in the same transaction as the repayment that changes it, under a row lock on the loan.
* Every money movement (disbursement, repayment, write-off, recovery, reserve adjustment) posts
  a journal entry in the same transaction; ``Repayment.entry`` / ``Loan.disbursement_entry`` link them.
* Loan numbers (PJ-2025-000123) and repayment receipts (KP-2025-000045) are gapless per
  cooperative and year (``tenancy.numbering``); a loan takes its number when it is applied for.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD, ZERO

RATE_FIELD = {"max_digits": 9, "decimal_places": 4}


class FeeKind(models.TextChoices):
    PERCENT = "persen", _("Persen")
    FIXED = "tetap", _("Nominal tetap")


class Kolektibilitas(models.TextChoices):
    LANCAR = "lancar", _("Lancar")
    KURANG_LANCAR = "kurang_lancar", _("Kurang lancar")
    DIRAGUKAN = "diragukan", _("Diragukan")
    MACET = "macet", _("Macet")


class LoanSettings(models.Model):
    """Per-cooperative loan policy that is not per product."""

    cooperative = models.OneToOneField(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="loan_settings"
    )
    # A manajer may approve loans up to this principal; above it only a pengurus may approve.
    manajer_approval_limit = models.DecimalField(
        _("batas persetujuan manajer"), **MONEY_FIELD, default=10_000_000
    )
    # Required cadangan risiko as percent of the outstanding of each collectibility class (RPM weights).
    reserve_lancar_percent = models.DecimalField(_("cadangan lancar (%)"), **RATE_FIELD, default=0)
    reserve_kurang_lancar_percent = models.DecimalField(
        _("cadangan kurang lancar (%)"), **RATE_FIELD, default=50
    )
    reserve_diragukan_percent = models.DecimalField(_("cadangan diragukan (%)"), **RATE_FIELD, default=75)
    reserve_macet_percent = models.DecimalField(_("cadangan macet (%)"), **RATE_FIELD, default=100)


class LoanProduct(models.Model):
    class Method(models.TextChoices):
        FLAT = "flat", _("Flat")
        MENURUN = "menurun", _("Menurun (pokok tetap)")
        ANUITAS = "anuitas", _("Anuitas")

    class RateBasis(models.TextChoices):
        MONTHLY = "bulan", _("per bulan")
        ANNUAL = "tahun", _("per tahun")

    class Frequency(models.TextChoices):
        MONTHLY = "monthly", _("Bulanan")
        WEEKLY = "weekly", _("Mingguan")

    class DendaBasis(models.TextChoices):
        PER_DAY = "per_hari", _("Per hari keterlambatan")
        PER_INSTALLMENT = "per_angsuran", _("Per angsuran terlambat")

    class EarlyPayoffJasa(models.TextChoices):
        FULL = "penuh", _("Seluruh sisa jasa")
        CURRENT = "berjalan", _("Jasa periode berjalan saja")
        NONE = "tidak", _("Tanpa sisa jasa")

    class Overpayment(models.TextChoices):
        REFUSE = "tolak", _("Tolak kelebihan bayar")
        SUKARELA = "sukarela", _("Pindahkan ke simpanan sukarela")

    class DisburseTo(models.TextChoices):
        KAS = "kas", _("Tunai (kas)")
        SUKARELA = "sukarela", _("Ke simpanan sukarela")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.PROTECT, related_name="loan_products"
    )
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama produk"), max_length=120)
    method = models.CharField(_("metode"), max_length=10, choices=Method.choices, default=Method.FLAT)
    rate_percent = models.DecimalField(_("suku jasa (%)"), **RATE_FIELD)
    rate_basis = models.CharField(
        _("basis suku jasa"), max_length=5, choices=RateBasis.choices, default=RateBasis.MONTHLY
    )
    frequency = models.CharField(
        _("frekuensi angsuran"), max_length=8, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    min_term = models.PositiveSmallIntegerField(_("jangka minimal (bulan)"), default=1)
    max_term = models.PositiveSmallIntegerField(_("jangka maksimal (bulan)"), default=36)
    max_grace_months = models.PositiveSmallIntegerField(_("masa tenggang maksimal (bulan)"), default=0)
    min_amount = models.DecimalField(_("plafon minimal"), **MONEY_FIELD, default=ZERO)
    max_amount = models.DecimalField(_("plafon maksimal"), **MONEY_FIELD, default=50_000_000)
    # Maximum principal as a multiple of the member's simpanan (pokok+wajib+sukarela); empty = no limit.
    max_savings_multiple = models.DecimalField(
        _("maksimal kali simpanan"), max_digits=6, decimal_places=2, null=True, blank=True
    )
    provisi_kind = models.CharField(
        _("jenis provisi"), max_length=6, choices=FeeKind.choices, default=FeeKind.PERCENT
    )
    provisi_value = models.DecimalField(_("provisi"), **MONEY_FIELD, default=ZERO)
    admin_kind = models.CharField(
        _("jenis administrasi"), max_length=6, choices=FeeKind.choices, default=FeeKind.FIXED
    )
    admin_value = models.DecimalField(_("administrasi"), **MONEY_FIELD, default=ZERO)
    denda_basis = models.CharField(
        _("dasar denda"), max_length=12, choices=DendaBasis.choices, default=DendaBasis.PER_DAY
    )
    denda_kind = models.CharField(
        _("jenis denda"), max_length=6, choices=FeeKind.choices, default=FeeKind.PERCENT
    )
    # Percent of the overdue installment amount (per day or once per installment), or a fixed amount.
    denda_value = models.DecimalField(_("denda"), **MONEY_FIELD, default=ZERO)
    denda_grace_days = models.PositiveSmallIntegerField(_("toleransi keterlambatan (hari)"), default=0)
    allocation_order = models.CharField(
        _("urutan alokasi pembayaran"), max_length=30, default="denda,jasa,pokok"
    )
    kurang_lancar_after_days = models.PositiveSmallIntegerField(_("kurang lancar setelah (hari)"), default=30)
    diragukan_after_days = models.PositiveSmallIntegerField(_("diragukan setelah (hari)"), default=90)
    macet_after_days = models.PositiveSmallIntegerField(_("macet setelah (hari)"), default=180)
    required_guarantors = models.PositiveSmallIntegerField(_("jumlah penjamin wajib"), default=0)
    collateral_required = models.BooleanField(_("agunan wajib"), default=False)
    early_payoff_jasa = models.CharField(
        _("jasa pelunasan dipercepat"),
        max_length=10,
        choices=EarlyPayoffJasa.choices,
        default=EarlyPayoffJasa.CURRENT,
    )
    overpayment = models.CharField(
        _("kelebihan bayar"), max_length=10, choices=Overpayment.choices, default=Overpayment.REFUSE
    )
    disburse_to = models.CharField(
        _("pencairan ke"), max_length=10, choices=DisburseTo.choices, default=DisburseTo.KAS
    )
    rounding_unit = models.DecimalField(_("pembulatan angsuran ke atas (Rp)"), **MONEY_FIELD, default=ZERO)
    active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["cooperative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="loan_product_code_unique")
        ]

    def __str__(self):
        return f"{self.code} {self.name}"


class Loan(models.Model):
    class Status(models.TextChoices):
        APPLIED = "diajukan", _("Diajukan")
        APPROVED = "disetujui", _("Disetujui")
        REJECTED = "ditolak", _("Ditolak")
        CANCELLED = "dibatalkan", _("Dibatalkan")
        ACTIVE = "aktif", _("Aktif")
        CLOSED = "lunas", _("Lunas")
        WRITTEN_OFF = "dihapus", _("Dihapusbukukan")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="loans")
    number = models.CharField(_("no. pinjaman"), max_length=20)
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="loans")
    product = models.ForeignKey(LoanProduct, on_delete=models.PROTECT, related_name="loans")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.APPLIED)
    purpose = models.CharField(_("tujuan pinjaman"), max_length=255)
    principal = models.DecimalField(_("pokok pinjaman"), **MONEY_FIELD)
    term = models.PositiveSmallIntegerField(_("jangka waktu (bulan)"))
    periods = models.PositiveSmallIntegerField(_("jumlah angsuran"))
    grace_periods = models.PositiveSmallIntegerField(_("masa tenggang (angsuran)"), default=0)
    # Terms copied from the product when the loan is applied for (later product edits do not change it).
    method = models.CharField(_("metode"), max_length=10, choices=LoanProduct.Method.choices)
    frequency = models.CharField(_("frekuensi"), max_length=8, choices=LoanProduct.Frequency.choices)
    rate_monthly_percent = models.DecimalField(_("suku jasa per bulan (%)"), **RATE_FIELD)
    provisi_amount = models.DecimalField(_("provisi"), **MONEY_FIELD, default=ZERO)
    admin_amount = models.DecimalField(_("administrasi"), **MONEY_FIELD, default=ZERO)
    applied_on = models.DateField(_("tanggal pengajuan"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    analysis_notes = models.TextField(_("catatan analisis"), blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_on = models.DateField(_("tanggal persetujuan"), null=True, blank=True)
    decision_reason = models.CharField(_("alasan penolakan/pembatalan"), max_length=255, blank=True)
    disbursed_on = models.DateField(_("tanggal pencairan"), null=True, blank=True)
    disbursed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    disbursed_to = models.CharField(_("dicairkan ke"), max_length=10, blank=True)
    disbursement_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_due_date = models.DateField(_("jatuh tempo pertama"), null=True, blank=True)
    maturity_date = models.DateField(_("jatuh tempo akhir"), null=True, blank=True)
    # Caches, updated in the transaction of the action that changes them.
    outstanding = models.DecimalField(_("sisa pokok"), **MONEY_FIELD, default=ZERO)
    days_past_due = models.PositiveIntegerField(_("hari tunggakan"), default=0)
    kolektibilitas = models.CharField(
        _("kolektibilitas"), max_length=14, choices=Kolektibilitas.choices, default=Kolektibilitas.LANCAR
    )
    arrears_date = models.DateField(_("tanggal hitung tunggakan"), null=True, blank=True)
    closed_on = models.DateField(_("tanggal lunas"), null=True, blank=True)
    writeoff_requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    writeoff_reason = models.CharField(_("alasan hapus buku"), max_length=255, blank=True)
    written_off_on = models.DateField(_("tanggal hapus buku"), null=True, blank=True)
    written_off_amount = models.DecimalField(_("jumlah dihapusbukukan"), **MONEY_FIELD, default=ZERO)
    recovered_amount = models.DecimalField(_("pemulihan"), **MONEY_FIELD, default=ZERO)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="loan_number_unique"),
            models.CheckConstraint(condition=Q(outstanding__gte=0), name="loan_outstanding_not_negative"),
        ]
        indexes = [
            models.Index(fields=["cooperative", "status"]),
            models.Index(fields=["cooperative", "member"]),
            models.Index(fields=["cooperative", "disbursed_on"]),
        ]

    def __str__(self):
        return self.number

    @property
    def is_open(self):
        return self.status == self.Status.ACTIVE


class LoanGuarantor(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="guarantors")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="guaranteed_loans")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "loan", "member"], name="loan_guarantor_unique")
        ]


class LoanCollateral(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="collaterals")
    kind = models.CharField(_("jenis agunan"), max_length=60)
    description = models.CharField(_("keterangan"), max_length=255, blank=True)
    value = models.DecimalField(_("nilai taksiran"), **MONEY_FIELD)


class Installment(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.CASCADE, related_name="installments")
    number = models.PositiveSmallIntegerField()
    due_date = models.DateField()
    pokok = models.DecimalField(**MONEY_FIELD)
    jasa = models.DecimalField(**MONEY_FIELD)
    # Jasa forgiven by an early payoff (product rule); never collected.
    jasa_waived = models.DecimalField(**MONEY_FIELD, default=ZERO)
    denda = models.DecimalField(**MONEY_FIELD, default=ZERO)  # assessed so far
    denda_through = models.DateField(null=True, blank=True)  # per-day denda accrued up to this date
    pokok_paid = models.DecimalField(**MONEY_FIELD, default=ZERO)
    jasa_paid = models.DecimalField(**MONEY_FIELD, default=ZERO)
    denda_paid = models.DecimalField(**MONEY_FIELD, default=ZERO)
    paid_on = models.DateField(null=True, blank=True)  # when pokok and jasa were fully paid

    class Meta:
        ordering = ["loan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "loan", "number"], name="installment_unique"),
            models.CheckConstraint(
                condition=Q(pokok_paid__lte=models.F("pokok")), name="installment_pokok_le"
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "due_date"])]

    @property
    def total(self):
        return self.pokok + self.jasa

    @property
    def pokok_due(self):
        return self.pokok - self.pokok_paid

    @property
    def jasa_due(self):
        return self.jasa - self.jasa_waived - self.jasa_paid

    @property
    def denda_due(self):
        return self.denda - self.denda_paid

    @property
    def is_paid(self):
        return self.pokok_due == 0 and self.jasa_due == 0


class Repayment(models.Model):
    class Kind(models.TextChoices):
        REGULAR = "angsuran", _("Angsuran")
        PAYOFF = "pelunasan", _("Pelunasan dipercepat")
        EXIT = "keluar", _("Potong simpanan anggota keluar")
        RECOVERY = "pemulihan", _("Pemulihan setelah hapus buku")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    loan = models.ForeignKey(Loan, on_delete=models.PROTECT, related_name="repayments")
    number = models.CharField(_("no. kuitansi"), max_length=20)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REGULAR)
    date = models.DateField(_("tanggal"))
    amount = models.DecimalField(_("jumlah diterima"), **MONEY_FIELD)
    denda = models.DecimalField(**MONEY_FIELD, default=ZERO)
    jasa = models.DecimalField(**MONEY_FIELD, default=ZERO)
    pokok = models.DecimalField(**MONEY_FIELD, default=ZERO)
    to_sukarela = models.DecimalField(**MONEY_FIELD, default=ZERO)
    recovery = models.DecimalField(**MONEY_FIELD, default=ZERO)
    debit_account = models.CharField(max_length=40, default="kas")
    # Installment allocations [{"n": 3, "denda": "..", "jasa": "..", "pokok": "..", "waived": ".."}] so a
    # reversal restores the schedule exactly.
    allocations = models.JSONField(default=list)
    closed_loan = models.BooleanField(default=False)
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    reversed = models.BooleanField(default=False)
    reversal_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reversal_reason = models.CharField(max_length=255, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["loan", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="repayment_number_unique")
        ]
        indexes = [models.Index(fields=["cooperative", "date"])]


class ArrearsRun(models.Model):
    class Status(models.TextChoices):
        RUNNING = "berjalan", _("Berjalan")
        DONE = "selesai", _("Selesai")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    date = models.DateField(_("tanggal"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    last_loan_id = models.BigIntegerField(default=0)  # resume point
    summary = models.JSONField(default=dict)
    reserve_entry = models.ForeignKey(
        "ledger.JournalEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["cooperative", "-date"]
        constraints = [models.UniqueConstraint(fields=["cooperative", "date"], name="arrears_run_unique")]
