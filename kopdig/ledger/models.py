"""The ledger: chart of accounts, journal entries and lines, per-month balance caches.

Invariants (architecture §3): lines are one-sided and positive (CheckConstraints); an entry's
debits equal its credits (checked by ``posting.post`` and, on PostgreSQL, by a deferred
constraint trigger); posted entries are immutable (corrections are reversals); no posting on or
before the cooperative's ``closed_through`` date; ``AccountDayBalance`` (running totals per
account and day) and ``AccountMonthBalance`` (sums per account and month) rows are updated in
the posting transaction and can always be recomputed from the lines (``kopdig ledger verify``).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD, ZERO


class Account(models.Model):
    class Type(models.TextChoices):
        ASET = "aset", _("Aset")
        KEWAJIBAN = "kewajiban", _("Kewajiban")
        EKUITAS = "ekuitas", _("Ekuitas")
        PENDAPATAN = "pendapatan", _("Pendapatan")
        BEBAN = "beban", _("Beban")

    class Side(models.TextChoices):
        DEBIT = "D", _("Debit")
        CREDIT = "C", _("Kredit")

    class CashFlow(models.TextChoices):
        KAS = "kas", _("Kas dan setara kas")
        OPERASI = "operasi", _("Aktivitas operasi")
        INVESTASI = "investasi", _("Aktivitas investasi")
        PENDANAAN = "pendanaan", _("Aktivitas pendanaan")

    class Participation(models.TextChoices):
        NONE = "", _("—")
        ANGGOTA = "anggota", _("Partisipasi anggota")
        NON_ANGGOTA = "non_anggota", _("Non-anggota")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.CASCADE, related_name="accounts")
    code = models.CharField(_("kode"), max_length=20)
    name = models.CharField(_("nama akun"), max_length=150)
    type = models.CharField(_("tipe"), max_length=12, choices=Type.choices)
    normal_side = models.CharField(_("saldo normal"), max_length=1, choices=Side.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    is_group = models.BooleanField(_("akun induk (tidak dapat diposting)"), default=False)
    is_cash = models.BooleanField(_("kas/bank"), default=False)
    cash_flow = models.CharField(_("kategori arus kas"), max_length=10, choices=CashFlow.choices)
    participation = models.CharField(
        _("partisipasi"), max_length=12, choices=Participation.choices, blank=True, default=""
    )
    # A stable key the modules use to find the account whatever the cooperative calls it
    # (kas, simpanan_wajib, piutang_pinjaman…); empty for accounts a cooperative adds itself.
    system_key = models.CharField(max_length=40, blank=True, default="")
    closed = models.BooleanField(_("ditutup"), default=False)

    class Meta:
        ordering = ["cooperative", "code"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="account_code_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "system_key"], condition=~Q(system_key=""), name="account_key_unique"
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def sign(self) -> int:
        """+1 when the account's normal balance is debit, -1 when credit."""
        return 1 if self.normal_side == self.Side.DEBIT else -1


class LedgerSettings(models.Model):
    """Per-cooperative ledger settings and the period lock."""

    cooperative = models.OneToOneField(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="ledger_settings"
    )
    # Books are closed through this date (end of the last closed month): no posting on or before it.
    closed_through = models.DateField(null=True, blank=True)
    # Manual journal entries above this total need a second user's approval before they post.
    approval_threshold = models.DecimalField(**MONEY_FIELD, default=10_000_000)


class JournalEntry(models.Model):
    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.PROTECT, related_name="journal_entries"
    )
    number = models.CharField(_("nomor jurnal"), max_length=20)  # 2025-000123, gapless per year
    date = models.DateField(_("tanggal"))
    memo = models.CharField(_("keterangan"), max_length=255)
    # What posted it: a module's document type and its business reference (e.g. savings.deposit / KW-2025-000012).
    source_type = models.CharField(max_length=40, default="manual")
    source_ref = models.CharField(max_length=80, blank=True, default="")
    reversal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    total = models.DecimalField(**MONEY_FIELD)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    posted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="journal_number_unique")
        ]
        indexes = [
            models.Index(fields=["cooperative", "date"]),
            models.Index(fields=["cooperative", "source_type", "source_ref"]),
        ]

    def __str__(self):
        return f"{self.number} {self.memo}"


class JournalLine(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    entry = models.ForeignKey(JournalEntry, on_delete=models.PROTECT, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="lines")
    date = models.DateField()  # the entry's date, kept on the line for range reads without a join
    debit = models.DecimalField(**MONEY_FIELD, default=ZERO)
    credit = models.DecimalField(**MONEY_FIELD, default=ZERO)
    memo = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="line_one_sided_positive",
            )
        ]
        indexes = [
            models.Index(fields=["cooperative", "account", "date"]),
            # Statements read the lines of one month across all accounts (the date's own month).
            models.Index(fields=["cooperative", "date"], name="ledger_line_coop_date"),
        ]


class AccountMonthBalance(models.Model):
    """Sum of debits and credits of one account in one calendar month (a cache of the lines)."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="month_balances")
    year = models.PositiveSmallIntegerField()
    month = models.PositiveSmallIntegerField()
    debit = models.DecimalField(**MONEY_FIELD, default=ZERO)
    credit = models.DecimalField(**MONEY_FIELD, default=ZERO)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "account", "year", "month"], name="month_balance_unique"
            )
        ]
        indexes = [models.Index(fields=["cooperative", "year", "month"])]


class AccountDayBalance(models.Model):
    """Running totals of one account at the end of a day it moved (a cache of the lines).

    ``debit_to_date``/``credit_to_date``: the account's debits and credits of every line dated
    on or before ``date``, in sen (integers, so exact on SQLite as on PostgreSQL). The totals at
    any date are the latest row on or before it: one index seek per account, whatever the size
    of the journal (``selectors.net_movements``). ``posting.post`` inserts the day's row and
    adds the entry to it and to every later row of the account, in the posting transaction.
    """

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="day_balances")
    date = models.DateField()
    debit_to_date = models.BigIntegerField(default=0)
    credit_to_date = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "account", "date"], name="day_balance_unique")
        ]


class JournalDraft(models.Model):
    """A manual journal entry above the approval threshold, waiting for a second user (maker-checker).

    Drafts are not part of the books: nothing is posted until another pengurus/manajer approves.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu persetujuan")
        APPROVED = "approved", _("Disetujui dan diposting")
        REJECTED = "rejected", _("Ditolak")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.PROTECT, related_name="journal_drafts"
    )
    number = models.CharField(_("nomor usulan"), max_length=20)  # U-2025-000001, gapless per year
    date = models.DateField(_("tanggal"))
    memo = models.CharField(_("keterangan"), max_length=255)
    total = models.DecimalField(**MONEY_FIELD)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.CharField(_("alasan penolakan"), max_length=255, blank=True, default="")
    entry = models.OneToOneField(
        JournalEntry, null=True, blank=True, on_delete=models.PROTECT, related_name="draft"
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="journal_draft_number_unique")
        ]

    def __str__(self):
        return f"{self.number} {self.memo}"


class JournalDraftLine(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    draft = models.ForeignKey(JournalDraft, on_delete=models.CASCADE, related_name="lines")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="+")
    debit = models.DecimalField(**MONEY_FIELD, default=ZERO)
    credit = models.DecimalField(**MONEY_FIELD, default=ZERO)
    memo = models.CharField(max_length=255, blank=True, default="")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(debit__gt=0) & Q(credit=0)) | (Q(debit=0) & Q(credit__gt=0)),
                name="draft_line_one_sided_positive",
            )
        ]
