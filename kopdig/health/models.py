"""Health examinations (pemeriksaan kesehatan koperasi, domain §9).

Rubrics are versioned reference data (not tenant rows): a ``Rubric`` (code + version) with its
aspects, indicators and checklist items, and the same content as JSON in ``definition`` (what
the scoring kernel reads). A version is never edited once loaded: a correction is a new version.

An ``Examination`` of a cooperative for a book year, by a Dinas pengawas koperasi: draft →
submitted (figures and scores frozen) → approved by a kepala other than the examiner →
published to the cooperative. An approved examination is never edited; a new version
(``supersedes``) replaces it. Answers (``Assessment``), evidence files and follow-up actions
are tenant rows keyed by the cooperative.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kopdig.tenancy.models import opaque_code

from .scoring import band_text

SCORE_FIELD = {"max_digits": 7, "decimal_places": 2}


class Predicate(models.TextChoices):
    SEHAT = "sehat", _("Sehat")
    CUKUP_SEHAT = "cukup_sehat", _("Cukup Sehat")
    DALAM_PENGAWASAN = "dalam_pengawasan", _("Dalam Pengawasan")
    DALAM_PENGAWASAN_KHUSUS = "dalam_pengawasan_khusus", _("Dalam Pengawasan Khusus")


class Rubric(models.Model):
    class Scheme(models.TextChoices):
        SCORE4 = "score4", _("Skor 1–4 per indikator (rata-rata per aspek)")
        NILAI = "nilai", _("Nilai 0–100 × bobot per indikator")

    code = models.SlugField(_("kode"), max_length=40)
    version = models.PositiveSmallIntegerField(_("versi"))
    name = models.CharField(_("nama"), max_length=200)
    scheme = models.CharField(_("skema"), max_length=10, choices=Scheme.choices)
    source = models.TextField(_("sumber"), blank=True, default="")
    applies_to = models.CharField(_("berlaku untuk"), max_length=100, blank=True, default="")
    cutoff_sehat = models.DecimalField(_("batas Sehat"), **SCORE_FIELD)
    cutoff_cukup = models.DecimalField(_("batas Cukup Sehat"), **SCORE_FIELD)
    cutoff_pengawasan = models.DecimalField(_("batas Dalam Pengawasan"), **SCORE_FIELD)
    cutoffs_unconfirmed = models.BooleanField(_("batas predikat belum terkonfirmasi"), default=False)
    definition = models.JSONField()  # the whole rubric as loaded (the kernel's input)
    active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="health_rubric_version_unique")
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"


class Aspect(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="aspects")
    code = models.SlugField(max_length=60)
    name = models.CharField(_("aspek"), max_length=150)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2)
    note = models.TextField(blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="health_aspect_unique")]

    def __str__(self):
        return self.name


class Indicator(models.Model):
    class Kind(models.TextChoices):
        RATIO = "ratio", _("Rasio dari angka buku")
        CHECKLIST = "checklist", _("Daftar periksa (bagian terpenuhi)")
        POINTS = "points", _("Poin per «ya»")
        MANUAL = "manual", _("Diisi pemeriksa")

    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="indicators")
    aspect = models.ForeignKey(Aspect, on_delete=models.CASCADE, related_name="indicators")
    code = models.SlugField(max_length=60)
    name = models.CharField(_("indikator"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)
    weight = models.DecimalField(_("bobot"), max_digits=6, decimal_places=2, default=1)
    formula = models.CharField(_("rumus"), max_length=200, blank=True, default="")
    ladder = models.JSONField(null=True, blank=True)
    applies_if = models.CharField(_("berlaku jika"), max_length=30, blank=True, default="")
    not_applicable_reason = models.CharField(max_length=255, blank=True, default="")
    unconfirmed = models.BooleanField(_("belum terkonfirmasi"), default=False)
    counted = models.BooleanField(_("dihitung dalam skor"), default=True)
    note = models.TextField(blank=True, default="")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["rubric", "position"]
        constraints = [models.UniqueConstraint(fields=["rubric", "code"], name="health_indicator_unique")]

    def __str__(self):
        return self.name

    @property
    def ladder_text(self) -> str:
        """The ladder as users read it: "> 30% → 4; > 20% dan ≤ 30% → 3; …"."""
        if not self.ladder:
            return ""
        if isinstance(self.ladder, dict):
            spec = self.ladder.get("linear", {})
            return (
                f"{spec.get('slope')} per 1% dari {spec.get('origin', 0)}%, "
                f"batas {spec.get('floor', 0)}–{spec.get('cap', 100)}"
            ).replace(".", ",")
        return "; ".join(f"{band_text(b)} → {b['score']}" for b in self.ladder)


class ChecklistItem(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="items")
    code = models.SlugField(max_length=30)
    text = models.CharField(_("butir"), max_length=255)
    points = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["indicator", "position"]
        constraints = [models.UniqueConstraint(fields=["indicator", "code"], name="health_item_unique")]


class Examination(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        SUBMITTED = "submitted", _("Diajukan")
        APPROVED = "approved", _("Disetujui")
        PUBLISHED = "published", _("Dipublikasikan")
        SUPERSEDED = "superseded", _("Diganti versi baru")

    class Source(models.TextChoices):
        BOOKS = "books", _("Dari pembukuan Kopdig")
        REPORTED = "reported", _("Dari laporan keuangan yang dilaporkan")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    year = models.PositiveSmallIntegerField(_("tahun buku"))
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    rubric = models.ForeignKey(Rubric, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    figures_source = models.CharField(_("sumber angka"), max_length=10, choices=Source.choices)
    # Reported figures (entered) or, after submission, the frozen book figures: {name: "123.45"|None}.
    figures = models.JSONField(default=dict, blank=True)
    facts = models.JSONField(default=dict, blank=True)
    kuk_class = models.PositiveSmallIntegerField(_("klasifikasi usaha koperasi (KUK)"), null=True, blank=True)
    summary = models.TextField(_("kesimpulan pemeriksa"), blank=True, default="")
    examiner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(_("skor total"), **SCORE_FIELD, null=True, blank=True)
    predicate = models.CharField(
        _("predikat"), max_length=30, choices=Predicate.choices, blank=True, default=""
    )
    result = models.JSONField(default=dict, blank=True)  # frozen scores per aspect/indicator at submission
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )

    class Meta:
        ordering = ["cooperative", "-year", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="health_exam_code_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "year", "rubric", "version"], name="health_exam_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(kuk_class__isnull=True) | Q(kuk_class__gte=1, kuk_class__lte=4),
                name="health_exam_kuk_1_4",
            ),
            models.CheckConstraint(
                condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("examiner")),
                name="health_exam_four_eyes",
            ),
        ]
        indexes = [models.Index(fields=["year", "status"]), models.Index(fields=["cooperative", "year"])]

    def __str__(self):
        return f"Pemeriksaan {self.year} v{self.version}"

    @property
    def is_frozen(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_visible_to_cooperative(self) -> bool:
        return self.status == self.Status.PUBLISHED


class Assessment(models.Model):
    """The examiner's answer for one indicator: checklist marks, a manual score, not applicable."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="assessments")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    items = models.JSONField(default=dict, blank=True)  # {item code: true/false}
    manual_score = models.DecimalField(**SCORE_FIELD, null=True, blank=True)
    not_applicable = models.CharField(_("alasan tidak berlaku"), max_length=255, blank=True, default="")
    note = models.TextField(_("catatan"), blank=True, default="")
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "examination", "indicator"], name="health_assessment_unique"
            )
        ]

    def as_answer(self) -> dict:
        return {
            "items": self.items or {},
            "manual_score": self.manual_score,
            "not_applicable": self.not_applicable,
            "note": self.note,
        }


class Evidence(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="evidence")
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    item_code = models.CharField(max_length=30, blank=True, default="")
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    file = models.FileField(upload_to="health/evidence/%Y/")
    name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="health_evidence_code_unique")
        ]


class FollowUp(models.Model):
    """A recommendation of the examination as an action with a deadline, answered by the pengurus."""

    class Status(models.TextChoices):
        OPEN = "open", _("Terbuka")
        ANSWERED = "answered", _("Dijawab koperasi")
        DONE = "done", _("Selesai")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    examination = models.ForeignKey(Examination, on_delete=models.CASCADE, related_name="followups")
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    recommendation = models.TextField(_("rekomendasi"))
    deadline = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(_("tanggapan koperasi"), blank=True, default="")
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    responded_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="health_followup_code_unique")
        ]
        indexes = [models.Index(fields=["status", "deadline"])]

    def is_overdue(self, today) -> bool:
        return self.status != self.Status.DONE and self.deadline < today
