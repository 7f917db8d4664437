"""Member savings: products, accounts (with a balance cache), transactions, receipts, dues, runs.

Invariants: every change of an account's balance is one ``SavingsTransaction`` (signed amount)
that references the journal entry that posted it, written in the same transaction as the
posting; ``SavingsAccount.balance`` is a cache equal to the sum of its transactions; the sum of
the balances of a kind equals the balance of the ledger account the product maps to.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD, ZERO, D

RATE_FIELD = {"max_digits": 7, "decimal_places": 4}


class Kind(models.TextChoices):
    POKOK = "pokok", _("Simpanan pokok")
    WAJIB = "wajib", _("Simpanan wajib")
    SUKARELA = "sukarela", _("Simpanan sukarela")
    BERJANGKA = "berjangka", _("Simpanan berjangka")


LEDGER_KEY = {
    Kind.POKOK: "simpanan_pokok",
    Kind.WAJIB: "simpanan_wajib",
    Kind.SUKARELA: "simpanan_sukarela",
    Kind.BERJANGKA: "simpanan_berjangka",
}
# Member capital that may not be withdrawn while a member.
LOCKED_KINDS = (Kind.POKOK, Kind.WAJIB)
ACCOUNT_PREFIX = {Kind.POKOK: "SP", Kind.WAJIB: "SW", Kind.SUKARELA: "SS", Kind.BERJANGKA: "SB"}


class SavingsProduct(models.Model):
    class Basis(models.TextChoices):
        DAILY = "daily", _("Saldo harian")
        AVERAGE = "average", _("Saldo rata-rata harian")
        LOWEST = "lowest", _("Saldo terendah bulan berjalan")

    class MaturityAction(models.TextChoices):
        PAY_OUT = "pay_out", _("Dibayar tunai")
        ROLL_OVER = "roll_over", _("Diperpanjang otomatis")
        TO_SUKARELA = "to_sukarela", _("Dipindahkan ke simpanan sukarela")

    class TaxBase(models.TextChoices):
        EXCESS = "excess", _("Bagian di atas batas")
        GROSS = "gross", _("Seluruh jasa bila melebihi batas")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.PROTECT, related_name="savings_products"
    )
    code = models.SlugField(_("kode"), max_length=20)
    name = models.CharField(_("nama produk"), max_length=100)
    kind = models.CharField(_("jenis simpanan"), max_length=10, choices=Kind.choices)
    active = models.BooleanField(_("aktif"), default=True)
    ledger_key = models.CharField(_("akun buku besar (kunci sistem)"), max_length=40)
    # pokok: the one amount on joining; wajib: the monthly amount (default class).
    amount = models.DecimalField(_("jumlah"), **MONEY_FIELD, default=ZERO)
    # wajib: {"golongan": "amount"} overrides per member class.
    class_amounts = models.JSONField(_("jumlah per golongan"), default=dict, blank=True)
    # sukarela / berjangka
    rate = models.DecimalField(_("jasa per tahun (%)"), **RATE_FIELD, default=ZERO)
    basis = models.CharField(
        _("dasar perhitungan jasa"), max_length=10, choices=Basis.choices, default=Basis.DAILY
    )
    min_balance = models.DecimalField(_("saldo minimum"), **MONEY_FIELD, default=ZERO)
    admin_fee = models.DecimalField(_("biaya administrasi bulanan"), **MONEY_FIELD, default=ZERO)
    tax_enabled = models.BooleanField(_("potong pajak jasa simpanan"), default=True)
    tax_threshold = models.DecimalField(
        _("batas bebas pajak per anggota per bulan"), **MONEY_FIELD, default=240000
    )
    tax_rate = models.DecimalField(_("tarif pajak (%)"), **RATE_FIELD, default=10)
    tax_base = models.CharField(
        _("dasar pajak"), max_length=10, choices=TaxBase.choices, default=TaxBase.EXCESS
    )
    term_months = models.PositiveSmallIntegerField(_("jangka waktu (bulan)"), default=0)
    maturity_action = models.CharField(
        _("saat jatuh tempo"), max_length=12, choices=MaturityAction.choices, default=MaturityAction.PAY_OUT
    )
    penalty_pct = models.DecimalField(
        _("denda pencairan sebelum jatuh tempo (%)"), **RATE_FIELD, default=ZERO
    )

    class Meta:
        ordering = ["cooperative", "kind", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="savings_product_code_unique")
        ]

    def __str__(self):
        return self.name

    def wajib_amount(self, member_class: str):
        value = self.class_amounts.get(member_class or "") if self.class_amounts else None
        return D(value) if value not in (None, "") else self.amount


class SavingsAccount(models.Model):
    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        DITUTUP = "ditutup", _("Ditutup")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="savings_accounts")
    product = models.ForeignKey(SavingsProduct, on_delete=models.PROTECT, related_name="accounts")
    kind = models.CharField(
        max_length=10, choices=Kind.choices
    )  # the product's, kept for constraints and reads
    number = models.CharField(_("no. rekening"), max_length=20)  # SS-000123, gapless per cooperative
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.AKTIF)
    opened_on = models.DateField(_("tanggal buka"))
    closed_on = models.DateField(_("tanggal tutup"), null=True, blank=True)
    balance = models.DecimalField(_("saldo"), **MONEY_FIELD, default=ZERO)  # cache: Σ transactions
    # wajib: payments received beyond the open dues, used by the next billing runs.
    wajib_credit = models.DecimalField(**MONEY_FIELD, default=ZERO)
    # berjangka: terms fixed at opening.
    rate = models.DecimalField(**RATE_FIELD, default=ZERO)
    term_months = models.PositiveSmallIntegerField(default=0)
    term_start = models.DateField(null=True, blank=True)
    maturity_on = models.DateField(_("jatuh tempo"), null=True, blank=True)
    maturity_action = models.CharField(max_length=12, blank=True, default="")

    class Meta:
        ordering = ["cooperative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="savings_account_number_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "member", "product"],
                condition=~Q(kind="berjangka") & Q(status="aktif"),
                name="savings_account_one_per_product",
            ),
            models.CheckConstraint(condition=Q(wajib_credit__gte=0), name="savings_wajib_credit_nonneg"),
        ]
        indexes = [
            models.Index(fields=["cooperative", "member"]),
            models.Index(fields=["cooperative", "kind", "status"]),
        ]

    def __str__(self):
        return f"{self.number} {self.product.name}"


class Receipt(models.Model):
    """Kuitansi: KW-2025-000123, gapless per cooperative and year."""

    class Type(models.TextChoices):
        SETORAN = "setoran", _("Setoran")
        PENARIKAN = "penarikan", _("Penarikan")
        PEMINDAHBUKUAN = "pemindahbukuan", _("Pemindahbukuan")
        PENUTUPAN = "penutupan", _("Penutupan / keluar")
        POTONG_GAJI = "potong_gaji", _("Potong gaji")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    number = models.CharField(_("no. kuitansi"), max_length=20)
    date = models.DateField(_("tanggal"))
    type = models.CharField(max_length=15, choices=Type.choices)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="receipts"
    )
    amount = models.DecimalField(_("jumlah"), **MONEY_FIELD)
    memo = models.CharField(_("keterangan"), max_length=255, blank=True, default="")
    cashier = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="receipt_number_unique")
        ]
        indexes = [models.Index(fields=["cooperative", "date"])]

    def __str__(self):
        return self.number


class SavingsTransaction(models.Model):
    class Type(models.TextChoices):
        DEPOSIT = "deposit", _("Setoran")
        WITHDRAWAL = "withdrawal", _("Penarikan")
        TRANSFER_IN = "transfer_in", _("Pemindahbukuan masuk")
        TRANSFER_OUT = "transfer_out", _("Pemindahbukuan keluar")
        INTEREST = "interest", _("Jasa simpanan")
        TAX = "tax", _("Pajak jasa simpanan")
        ADMIN_FEE = "admin_fee", _("Biaya administrasi")
        PENALTY = "penalty", _("Denda pencairan")
        CREDIT = "credit", _("Kredit (pinjaman/SHU)")
        CLOSING = "closing", _("Penutupan rekening")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    account = models.ForeignKey(SavingsAccount, on_delete=models.PROTECT, related_name="transactions")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    date = models.DateField(_("tanggal"))
    type = models.CharField(max_length=15, choices=Type.choices)
    amount = models.DecimalField(_("jumlah"), **MONEY_FIELD)  # signed: + raises the balance, − lowers it
    memo = models.CharField(_("keterangan"), max_length=255, blank=True, default="")
    entry = models.ForeignKey("ledger.JournalEntry", on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(
        Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="transactions"
    )
    # Runs (interest, admin fee, maturity): the month it belongs to; unique per account, type and period.
    period = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(amount=0), name="savings_tx_nonzero"),
            models.UniqueConstraint(
                fields=["cooperative", "account", "type", "period"],
                condition=Q(period__isnull=False),
                name="savings_tx_one_per_period",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "account", "date"]),
            models.Index(fields=["cooperative", "member", "date"]),
            models.Index(fields=["cooperative", "kind", "date"]),
        ]


class Due(models.Model):
    """A month's simpanan wajib obligation of one member (not a posting; a payment posts)."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="dues")
    period = models.DateField(_("bulan"))  # first day of the month
    amount = models.DecimalField(_("tagihan"), **MONEY_FIELD)
    paid = models.DecimalField(_("dibayar"), **MONEY_FIELD, default=ZERO)

    class Meta:
        ordering = ["cooperative", "member", "period"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "member", "period"], name="due_one_per_month"),
            models.CheckConstraint(
                condition=Q(paid__gte=0) & Q(paid__lte=models.F("amount")), name="due_paid_range"
            ),
        ]
        indexes = [models.Index(fields=["cooperative", "period"])]

    @property
    def outstanding(self):
        return self.amount - self.paid


class Run(models.Model):
    """A monthly job (billing, interest, maturity) of one cooperative: unique per kind and period."""

    class Kind(models.TextChoices):
        BILLING = "billing", _("Tagihan simpanan wajib")
        INTEREST = "interest", _("Jasa simpanan sukarela")
        MATURITY = "maturity", _("Jatuh tempo simpanan berjangka")

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        RUNNING = "running", _("Berjalan")
        DONE = "done", _("Selesai")
        FAILED = "failed", _("Gagal")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    period = models.DateField()  # first day of the month
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    amount = models.DecimalField(**MONEY_FIELD, default=ZERO)
    error = models.TextField(blank=True, default="")
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-period", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "kind", "period"], name="savings_run_unique")
        ]

    @property
    def percent(self):
        return 100 if not self.total else int(self.done * 100 / self.total)
