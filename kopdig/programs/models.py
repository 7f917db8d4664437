"""Programmes of the Dinas (domain §10): events (rakor, workshop, pelatihan, …), the persons who
take part, attendance per day, materials, evaluations, certificates, follow-up actions and
agreements (MoU), and the organisation registry shared with the business network.

Every table is Dinas data keyed by kabupaten (architecture §4): an event spans cooperatives, so
it is not a tenant row. Persons are identified by NIK within a kabupaten.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD
from kopdig.tenancy.models import opaque_code

KAB = {"on_delete": models.PROTECT, "related_name": "+", "to": "tenancy.Region"}


def default_cohorts() -> list:
    """Generations by birth year (domain §10, the programme's millennial goal): a setting."""
    return [
        {"key": "gen_z", "label": "Gen Z", "from": 1997, "to": 2012},
        {"key": "milenial", "label": "Milenial", "from": 1981, "to": 1996},
        {"key": "gen_x", "label": "Gen X", "from": 1965, "to": 1980},
        {"key": "lebih_tua", "label": "Lebih tua", "from": 1900, "to": 1964},
    ]


class ProgramSettings(models.Model):
    """Programme settings of one regency office."""

    kabupaten = models.OneToOneField(**{**KAB, "on_delete": models.PROTECT}, verbose_name=_("kabupaten"))
    cohorts = models.JSONField(_("generasi menurut tahun lahir"), default=default_cohorts)
    youth_min_age = models.PositiveSmallIntegerField(_("usia pemuda terendah"), default=16)  # UU 40/2009
    youth_max_age = models.PositiveSmallIntegerField(_("usia pemuda tertinggi"), default=30)


class Organisation(models.Model):
    """A body outside the regency's cooperative registry: university, HIPMI, Karang Taruna, OJK, a
    bank, Dekopinda, a training unit, or a cooperative of another region (the business network's
    partners outside the regency)."""

    class Kind(models.TextChoices):
        UNIVERSITAS = "universitas", _("Perguruan tinggi")
        SEKOLAH = "sekolah", _("Sekolah")
        PEMUDA = "pemuda", _("Organisasi pemuda (Karang Taruna, KNPI, …)")
        USAHA = "usaha", _("Asosiasi usaha (HIPMI, Kadin, …)")
        DEKOPIN = "dekopin", _("Dekopin/Dekopinda")
        PEMERINTAH = "pemerintah", _("Instansi pemerintah (UPT, OJK, …)")
        BANK = "bank", _("Bank / lembaga keuangan")
        KOPERASI_LUAR = "koperasi_luar", _("Koperasi di luar kabupaten")
        LAINNYA = "lainnya", _("Lainnya")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    name = models.CharField(_("nama"), max_length=200)
    kind = models.CharField(_("jenis lembaga"), max_length=20, choices=Kind.choices)
    region = models.ForeignKey(
        "tenancy.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("wilayah"),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    contact = models.CharField(_("narahubung"), max_length=150, blank=True)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="organisation_code_unique"),
            models.UniqueConstraint(fields=["kabupaten", "name"], name="organisation_name_unique"),
        ]

    def __str__(self):
        return self.name


class Person(models.Model):
    """Someone who takes part in programmes, identified by a validated NIK (birth date and gender
    follow from it). Linked to a cooperative of the registry, to its Member record where the
    cooperative is on Kopdig, or to an organisation."""

    class Gender(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_date = models.DateField(_("tanggal lahir"))
    phone = models.CharField(_("no. HP"), max_length=20, blank=True)
    position = models.CharField(_("jabatan"), max_length=100, blank=True)
    cooperative = models.ForeignKey(
        "tenancy.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("koperasi"),
    )
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
        verbose_name=_("lembaga"),
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "nik"], name="person_nik_unique"),
            models.UniqueConstraint(fields=["kabupaten", "code"], name="person_code_unique"),
        ]
        indexes = [models.Index(fields=["kabupaten", "cooperative"])]

    def __str__(self):
        return self.name

    @property
    def affiliation(self):
        return self.cooperative or self.organisation


class Event(models.Model):
    class Kind(models.TextChoices):
        RAKOR = "rakor", _("Rapat koordinasi")
        WORKSHOP = "workshop", _("Workshop")
        PELATIHAN = "pelatihan", _("Pelatihan")
        SOSIALISASI = "sosialisasi", _("Sosialisasi")
        FGD = "fgd", _("FGD")
        SEMINAR = "seminar", _("Seminar")
        TEMU_USAHA = "temu_usaha", _("Temu usaha")
        LAINNYA = "lainnya", _("Lainnya")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draf")
        OPEN = "open", _("Pendaftaran dibuka")
        CLOSED = "closed", _("Pendaftaran ditutup")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(_("kode"), max_length=12)  # per kabupaten: 2021-003
    kind = models.CharField(_("jenis kegiatan"), max_length=12, choices=Kind.choices)
    title = models.CharField(_("tema"), max_length=200)
    objectives = models.TextField(_("tujuan"), blank=True)
    start_date = models.DateField(_("tanggal mulai"))
    end_date = models.DateField(_("tanggal selesai"))
    venue = models.CharField(_("tempat"), max_length=200, blank=True)
    kecamatan = models.ForeignKey(
        "tenancy.Region",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("kecamatan"),
    )
    organiser = models.CharField(_("penyelenggara"), max_length=200, blank=True)
    co_organisers = models.ManyToManyField(
        Organisation, blank=True, related_name="events", verbose_name=_("penyelenggara bersama")
    )
    budget_line = models.CharField(_("mata anggaran"), max_length=200, blank=True)
    budget = models.DecimalField(_("anggaran"), **MONEY_FIELD, null=True, blank=True)
    realised_cost = models.DecimalField(_("realisasi biaya"), **MONEY_FIELD, null=True, blank=True)
    capacity = models.PositiveIntegerField(_("kapasitas peserta"), null=True, blank=True)
    target_jenis = models.JSONField(_("sasaran jenis koperasi"), default=list, blank=True)
    target_kelompok = models.JSONField(_("sasaran kelompok koperasi"), default=list, blank=True)
    target_note = models.CharField(_("sasaran lain"), max_length=200, blank=True)
    min_days = models.PositiveSmallIntegerField(
        _("hari hadir minimal untuk sertifikat"), null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    certificate_count = models.PositiveIntegerField(default=0)  # gapless certificate counter
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "code"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="event_code_unique"),
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="event_dates_order"
            ),
        ]
        indexes = [models.Index(fields=["kabupaten", "start_date"])]

    def __str__(self):
        return self.title

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1


class Participation(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Terdaftar")
        WAITING = "waiting", _("Daftar tunggu")
        CANCELLED = "cancelled", _("Batal")

    class Role(models.TextChoices):
        PESERTA = "peserta", _("Peserta")
        NARASUMBER = "narasumber", _("Narasumber")
        PANITIA = "panitia", _("Panitia")

    kabupaten = models.ForeignKey(**KAB)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="participations")
    role = models.CharField(_("peran"), max_length=12, choices=Role.choices, default=Role.PESERTA)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    cooperative = models.ForeignKey(  # the cooperative the person represented at this event
        "tenancy.Cooperative", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    topic = models.CharField(_("materi"), max_length=200, blank=True)  # for a narasumber
    token_hash = models.CharField(max_length=64, unique=True)  # the personal QR link (raw shown once)
    waiting_position = models.PositiveIntegerField(null=True, blank=True)
    certificate_number = models.CharField(_("nomor sertifikat"), max_length=40, blank=True, default="")
    certificate_issued_on = models.DateField(null=True, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "status", "waiting_position", "person__name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="participation_once"),
            models.UniqueConstraint(
                fields=["kabupaten", "certificate_number"],
                condition=~Q(certificate_number=""),
                name="certificate_number_unique",
            ),
        ]
        indexes = [models.Index(fields=["kabupaten", "cooperative"])]


class Attendance(models.Model):
    class Method(models.TextChoices):
        QR = "qr", _("Pindai QR")
        LIST = "list", _("Daftar hadir")

    kabupaten = models.ForeignKey(**KAB)
    participation = models.ForeignKey(Participation, on_delete=models.CASCADE, related_name="attendances")
    day = models.DateField(_("hari"))
    method = models.CharField(max_length=6, choices=Method.choices)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["participation", "day"], name="attendance_once_a_day")]


class Material(models.Model):
    kabupaten = models.ForeignKey(**KAB)
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="materials")
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    title = models.CharField(_("judul"), max_length=200)
    speaker = models.ForeignKey(
        Participation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(_("berkas"), upload_to="program/materi/%Y/")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["kabupaten", "code"], name="material_code_unique")]


class Evaluation(models.Model):
    """A participant's rating of the event (1–5) and of each speaker, with a comment."""

    kabupaten = models.ForeignKey(**KAB)
    participation = models.OneToOneField(Participation, on_delete=models.CASCADE, related_name="evaluation")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="evaluations")
    rating = models.PositiveSmallIntegerField(_("nilai kegiatan"))
    speaker_ratings = models.JSONField(default=dict)  # {participation id of the speaker: 1–5}
    comment = models.TextField(_("saran dan komentar"), blank=True, max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluation_1_5")
        ]


class Agreement(models.Model):
    """A nota kesepahaman (MoU) between the Dinas, Dekopinda, universities, youth bodies and
    cooperatives."""

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    number = models.CharField(_("nomor"), max_length=100, blank=True)
    subject = models.CharField(_("perihal"), max_length=255)
    signed_on = models.DateField(_("tanggal penandatanganan"))
    valid_until = models.DateField(_("berlaku sampai"), null=True, blank=True)
    event = models.ForeignKey(
        Event,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agreements",
        verbose_name=_("kegiatan asal"),
    )
    organisations = models.ManyToManyField(
        Organisation, blank=True, related_name="agreements", verbose_name=_("lembaga")
    )
    cooperatives = models.ManyToManyField(
        "tenancy.Cooperative", blank=True, related_name="+", verbose_name=_("koperasi")
    )
    dinas_party = models.BooleanField(_("Dinas sebagai pihak"), default=True)
    document = models.FileField(_("dokumen"), upload_to="program/mou/%Y/", blank=True)

    class Meta:
        ordering = ["-signed_on"]
        constraints = [
            models.UniqueConstraint(fields=["kabupaten", "code"], name="agreement_code_unique"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gte=models.F("signed_on")),
                name="agreement_dates_order",
            ),
        ]

    def __str__(self):
        return self.subject


class FollowUp(models.Model):
    """A tindak lanjut of an event or an agreement: what, who owns it, by when, how far."""

    class Status(models.TextChoices):
        OPEN = "open", _("Belum mulai")
        IN_PROGRESS = "in_progress", _("Berjalan")
        DONE = "done", _("Selesai")
        CANCELLED = "cancelled", _("Dibatalkan")

    kabupaten = models.ForeignKey(**KAB)
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    event = models.ForeignKey(
        Event, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    agreement = models.ForeignKey(
        Agreement, null=True, blank=True, on_delete=models.CASCADE, related_name="follow_ups"
    )
    what = models.CharField(_("tindak lanjut"), max_length=255)
    owner_section = models.CharField(_("penanggung jawab (bidang Dinas)"), max_length=150, blank=True)
    owner_cooperative = models.ForeignKey(
        "tenancy.Cooperative",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("koperasi penanggung jawab"),
    )
    owner_organisation = models.ForeignKey(
        Organisation,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("lembaga penanggung jawab"),
    )
    deadline = models.DateField(_("tenggat"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    progress_note = models.TextField(_("catatan kemajuan"), blank=True)
    evidence = models.FileField(_("bukti"), upload_to="program/bukti/%Y/", blank=True)
    done_on = models.DateField(_("tanggal selesai"), null=True, blank=True)

    class Meta:
        ordering = ["deadline"]
        constraints = [models.UniqueConstraint(fields=["kabupaten", "code"], name="followup_code_unique")]
        indexes = [models.Index(fields=["kabupaten", "status", "deadline"])]

    @property
    def owner(self):
        return self.owner_cooperative or self.owner_organisation or self.owner_section
