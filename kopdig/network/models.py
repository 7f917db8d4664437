"""The business network between cooperatives (domain §10): offers and needs, introductions
(matches proposed and answered), trade agreements between two or more parties, their monthly
realisation (from the books where the parties keep them on Kopdig, reported otherwise) and the
scheduled evaluations.

Network data spans cooperatives, so it is Dinas data keyed by kabupaten (architecture §4); a
party is a cooperative of the registry or an external party of the Dinas's organisation registry
(``programs.Organisation``: cooperatives of other regions, universities, …).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD
from kopdig.tenancy.models import opaque_code
from kopdig.usaha.models import Category

KAB = {"to": "tenancy.Region", "on_delete": models.PROTECT, "related_name": "+"}
QTY = {"max_digits": 14, "decimal_places": 3}


class Party(models.Model):
    """Abstract: exactly one of a registry cooperative or an external organisation."""

    cooperative = models.ForeignKey(
        "tenancy.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("koperasi"),
    )
    organisation = models.ForeignKey(
        "programs.Organisation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("pihak luar"),
    )

    class Meta:
        abstract = True

    @property
    def party(self):
        return self.cooperative or self.organisation

    @property
    def party_name(self) -> str:
        return str(self.party)


ONE_PARTY = Q(cooperative__isnull=False, organisation__isnull=True) | Q(
    cooperative__isnull=True, organisation__isnull=False
)


class Listing(Party):
    """An offer (what a party sells) or a need (what it looks for), published to the network."""

    class Kind(models.TextChoices):
        OFFER = "offer", _("Penawaran")
        NEED = "need", _("Kebutuhan")

    class NeedType(models.TextChoices):
        INPUT = "input", _("Bahan baku / input")
        RESALE = "resale", _("Barang untuk dijual kembali")
        SERVICE = "service", _("Jasa")
        CAPITAL = "capital", _("Permodalan")
        TRAINING = "training", _("Pelatihan / pendampingan")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    kind = models.CharField(_("jenis"), max_length=5, choices=Kind.choices)
    need_type = models.CharField(
        _("jenis kebutuhan"), max_length=10, choices=NeedType.choices, blank=True, default=""
    )
    product = models.ForeignKey(
        "usaha.Product",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("produk katalog"),
    )
    commodity = models.CharField(_("komoditas"), max_length=120)
    category = models.CharField(
        _("kategori"), max_length=20, choices=Category.choices, default=Category.LAINNYA
    )
    quantity_per_month = models.DecimalField(_("jumlah per bulan"), **QTY, null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=20, default="kg")
    price_min = models.DecimalField(_("harga terendah"), **MONEY_FIELD, null=True, blank=True)
    price_max = models.DecimalField(_("harga tertinggi"), **MONEY_FIELD, null=True, blank=True)
    quality = models.CharField(_("mutu"), max_length=200, blank=True, default="")
    certifications = models.CharField(
        _("sertifikasi (halal, PIRT, …)"), max_length=200, blank=True, default=""
    )
    note = models.TextField(_("keterangan"), blank=True, default="", max_length=2000)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="listing_code_unique"),
            models.CheckConstraint(condition=ONE_PARTY, name="listing_one_party"),
            models.CheckConstraint(
                condition=Q(price_min__isnull=True)
                | Q(price_max__isnull=True)
                | Q(price_max__gte=models.F("price_min")),
                name="listing_price_order",
            ),
        ]
        indexes = [models.Index(fields=["kabupaten", "kind", "category", "active"])]

    def __str__(self):
        return f"{self.commodity} ({self.party_name})"


class Introduction(models.Model):
    """A proposed match of a need with an offer; both sides accept or decline."""

    class Answer(models.TextChoices):
        PENDING = "pending", _("Menunggu jawaban")
        ACCEPTED = "accepted", _("Menerima")
        DECLINED = "declined", _("Menolak")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    need = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="introductions_as_need")
    offer = models.ForeignKey(Listing, on_delete=models.CASCADE, related_name="introductions_as_offer")
    event = models.ForeignKey(
        "programs.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("temu usaha"),
    )
    score = models.DecimalField(max_digits=6, decimal_places=2, default=0)
    reasons = models.JSONField(default=list)  # the signals behind the score, shown with the match
    need_answer = models.CharField(max_length=9, choices=Answer.choices, default=Answer.PENDING)
    offer_answer = models.CharField(max_length=9, choices=Answer.choices, default=Answer.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    note = models.CharField(_("catatan"), max_length=255, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="introduction_code_unique"),
            models.UniqueConstraint(fields=["need", "offer"], name="introduction_once"),
        ]

    @property
    def status(self) -> str:
        if self.Answer.DECLINED in (self.need_answer, self.offer_answer):
            return "declined"
        if self.need_answer == self.offer_answer == self.Answer.ACCEPTED:
            return "accepted"
        return "pending"


class TradeAgreement(models.Model):
    """A kerja sama between two or more parties; its ``code`` is the trade reference that sales
    and purchases in the business unit carry, so realisation is read from the books."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SIGNED = "signed", _("Ditandatangani")
        ACTIVE = "active", _("Berjalan")
        ENDED = "ended", _("Selesai")
        FAILED = "failed", _("Gagal")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(_("kode kerja sama"), max_length=20)  # KS-2018-001, the trade reference
    subject = models.CharField(_("perihal"), max_length=255)
    commodity = models.CharField(_("komoditas"), max_length=120)
    category = models.CharField(
        _("kategori"), max_length=20, choices=Category.choices, default=Category.LAINNYA
    )
    unit = models.CharField(_("satuan"), max_length=20, default="kg")
    planned_volume = models.DecimalField(_("rencana volume per bulan"), **QTY, null=True, blank=True)
    planned_value = models.DecimalField(_("rencana nilai per bulan"), **MONEY_FIELD, null=True, blank=True)
    price_terms = models.CharField(_("ketentuan harga"), max_length=255, blank=True, default="")
    start = models.DateField(_("mulai"))
    end = models.DateField(_("berakhir"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=7, choices=Status.choices, default=Status.DRAFT)
    failure_reason = models.CharField(_("alasan gagal"), max_length=255, blank=True, default="")
    event = models.ForeignKey(
        "programs.Event",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("temu usaha asal"),
    )
    introduction = models.ForeignKey(
        Introduction, null=True, blank=True, on_delete=models.SET_NULL, related_name="agreements"
    )
    document = models.FileField(_("dokumen"), upload_to="jejaring/%Y/", blank=True)
    evaluate_after_months = models.JSONField(_("evaluasi setelah (bulan)"), default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="trade_agreement_code_unique"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
                name="trade_agreement_dates_order",
            ),
        ]

    def __str__(self):
        return self.subject


class AgreementParty(Party):
    class Role(models.TextChoices):
        SELLER = "seller", _("Penjual / pemasok")
        BUYER = "buyer", _("Pembeli")
        OTHER = "other", _("Mitra lain")

    kabupaten = models.ForeignKey(**KAB)
    agreement = models.ForeignKey(TradeAgreement, on_delete=models.CASCADE, related_name="parties")
    role = models.CharField(_("peran"), max_length=6, choices=Role.choices)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=ONE_PARTY, name="agreement_party_one_party"),
            models.UniqueConstraint(
                fields=["agreement", "cooperative"],
                condition=Q(cooperative__isnull=False),
                name="agreement_party_coop_once",
            ),
            models.UniqueConstraint(
                fields=["agreement", "organisation"],
                condition=Q(organisation__isnull=False),
                name="agreement_party_org_once",
            ),
        ]


class Realisation(models.Model):
    """Volume and value traded under an agreement in one month, reported by a party (parties whose
    books are on Kopdig are read from their sales and purchases instead, never stored)."""

    kabupaten = models.ForeignKey(**KAB)
    agreement = models.ForeignKey(TradeAgreement, on_delete=models.CASCADE, related_name="realisations")
    party = models.ForeignKey(AgreementParty, on_delete=models.CASCADE, related_name="realisations")
    month = models.DateField(_("bulan"))  # the first day of the month
    volume = models.DecimalField(_("volume"), **QTY)
    value = models.DecimalField(_("nilai"), **MONEY_FIELD)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reported_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agreement", "month"]
        constraints = [
            models.UniqueConstraint(fields=["party", "month"], name="realisation_once_a_month"),
            models.CheckConstraint(condition=Q(volume__gte=0, value__gte=0), name="realisation_nonneg"),
        ]


class AgreementEvaluation(models.Model):
    """The evaluation of an agreement N months after it started: planned vs realised, the
    parties' answers and the officer's judgement."""

    class Judgement(models.TextChoices):
        CONTINUE = "continue", _("Lanjutkan")
        FIX = "fix", _("Perbaiki")
        END = "end", _("Akhiri")

    kabupaten = models.ForeignKey(**KAB)
    agreement = models.ForeignKey(TradeAgreement, on_delete=models.CASCADE, related_name="evaluations")
    months_after = models.PositiveSmallIntegerField(_("bulan setelah mulai"))
    due_on = models.DateField(_("jatuh tempo"))
    held_on = models.DateField(_("tanggal evaluasi"), null=True, blank=True)
    planned_value = models.DecimalField(**MONEY_FIELD, null=True, blank=True)
    realised_value = models.DecimalField(**MONEY_FIELD, null=True, blank=True)
    answers = models.JSONField(default=dict, blank=True)
    judgement = models.CharField(
        _("keputusan"), max_length=8, choices=Judgement.choices, blank=True, default=""
    )
    note = models.TextField(_("catatan"), blank=True, default="", max_length=2000)
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["agreement", "months_after"], name="evaluation_once")]
