"""RAT (Rapat Anggota Tahunan): the annual member meeting (domain §7).

Lifecycle of a ``Meeting``: draft (scheduled, outside the notice period) → published (the
eligible-member snapshot is frozen, invitations issued) → open (quorum reached at the first or
second call) → closed (every agenda item decided; the Dinas RAT record is filled). A meeting
whose quorum was never reached is closed as postponed.

Votes belong to the ``Member``. Open votes (``OpenVote``) name the member, one per item (the
database enforces it). Secret ballots (``SecretBallot``) have a random id, the item and the
choice only: no member, no timestamp; who took part is in the separate ``Turnout`` register
(also random ids, no timestamp), so no row links a voter to a choice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kopdig.lib.money import MONEY_FIELD
from kopdig.tenancy.models import opaque_code


class RatSettings(models.Model):
    """The cooperative's RAT rules from its AD/ART (editable by the pengurus)."""

    cooperative = models.OneToOneField(
        "tenancy.Cooperative", on_delete=models.CASCADE, related_name="rat_settings"
    )
    notice_days = models.PositiveSmallIntegerField(
        _("pemberitahuan paling lambat (hari sebelum RAT)"), default=7
    )
    # "1/2+1" = ⌊n/2⌋ + 1; "a/b" = ⌈n × a / b⌉ (tally.quorum_required).
    quorum_first = models.CharField(_("kuorum panggilan pertama"), max_length=10, default="1/2+1")
    quorum_second = models.CharField(_("kuorum panggilan kedua"), max_length=10, default="1/5")
    min_member_months = models.PositiveSmallIntegerField(_("minimal lama menjadi anggota (bulan)"), default=3)
    require_pokok = models.BooleanField(_("simpanan pokok harus lunas"), default=True)
    # None: wajib arrears are not checked.
    max_wajib_arrears_months = models.PositiveSmallIntegerField(
        _("tunggakan simpanan wajib maksimal (bulan)"), null=True, blank=True
    )
    term_years = models.PositiveSmallIntegerField(_("masa jabatan pengurus/pengawas (tahun)"), default=5)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(term_years__gte=1, term_years__lte=10), name="rat_settings_term"
            ),
        ]


class Meeting(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Dijadwalkan")
        PUBLISHED = "published", _("Diumumkan")
        OPEN = "open", _("Berlangsung")
        CLOSED = "closed", _("Selesai")
        POSTPONED = "postponed", _("Ditunda (tidak kuorum)")

    class Call(models.TextChoices):
        FIRST = "first", _("Panggilan pertama")
        SECOND = "second", _("Panggilan kedua")

    cooperative = models.ForeignKey(
        "tenancy.Cooperative", on_delete=models.PROTECT, related_name="rat_meetings"
    )
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    book_year = models.PositiveSmallIntegerField(_("tahun buku"))
    date = models.DateField(_("tanggal"))
    first_call = models.TimeField(_("panggilan pertama"))
    second_call = models.TimeField(_("panggilan kedua"), null=True, blank=True)
    venue = models.CharField(_("tempat"), max_length=200, blank=True, default="")
    online_url = models.URLField(_("tautan rapat daring"), blank=True, default="")
    decision_number = models.CharField(_("nomor keputusan RAT"), max_length=100, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    # Frozen at publication.
    published_at = models.DateTimeField(null=True, blank=True)
    eligible_count = models.PositiveIntegerField(default=0)
    quorum_first_rule = models.CharField(max_length=10, blank=True, default="")
    quorum_second_rule = models.CharField(max_length=10, blank=True, default="")
    quorum_first_required = models.PositiveIntegerField(default=0)
    quorum_second_required = models.PositiveIntegerField(default=0)
    # Set when the meeting opens (quorum reached) and at close.
    call = models.CharField(max_length=6, choices=Call.choices, blank=True, default="")
    present_at_open = models.PositiveIntegerField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    present_total = models.PositiveIntegerField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    chair_name = models.CharField(_("pimpinan rapat"), max_length=150, blank=True, default="")
    secretary_name = models.CharField(_("sekretaris rapat"), max_length=150, blank=True, default="")
    witness_name = models.CharField(_("anggota penanda tangan"), max_length=150, blank=True, default="")
    report_ready_on = models.DateField(_("laporan tahunan siap"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "-book_year"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="rat_meeting_code_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "book_year"],
                condition=~Q(status="postponed"),
                name="rat_meeting_year_unique",
            ),
        ]

    def __str__(self):
        return f"RAT tahun buku {self.book_year}"

    @property
    def quorum_reached(self) -> bool:
        return bool(self.call)


class EligibleMember(models.Model):
    """The snapshot frozen at publication: every member invited, whether they may vote and why not."""

    class Reason(models.TextChoices):
        NOT_ACTIVE = "not_active", _("Bukan anggota aktif")
        TOO_NEW = "too_new", _("Belum cukup lama menjadi anggota")
        POKOK = "pokok", _("Simpanan pokok belum lunas")
        WAJIB = "wajib", _("Tunggakan simpanan wajib")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="eligibility")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    eligible = models.BooleanField()
    reasons = models.CharField(max_length=60, blank=True, default="")  # comma-separated Reason values

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "meeting", "member"], name="rat_eligible_unique"),
        ]
        indexes = [models.Index(fields=["cooperative", "meeting", "eligible"])]

    @property
    def reason_labels(self) -> list[str]:
        return [str(self.Reason(r).label) for r in self.reasons.split(",") if r]


class Invitation(models.Model):
    """A member's invitation: the personal link/QR token (only its hash) and how they were notified."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64)
    letter_at = models.DateTimeField(null=True, blank=True)
    whatsapp_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "meeting", "member"], name="rat_invitation_unique"
            ),
            models.UniqueConstraint(fields=["cooperative", "token_hash"], name="rat_invitation_token_unique"),
        ]
        indexes = [models.Index(fields=["token_hash"])]


class Attendance(models.Model):
    class Mode(models.TextChoices):
        VENUE = "venue", _("Hadir di tempat")
        ONLINE = "online", _("Hadir daring")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(max_length=6, choices=Mode.choices)
    checked_in_at = models.DateTimeField()
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["meeting", "checked_in_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "meeting", "member"], name="rat_attendance_unique"
            ),
        ]


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        LPJ = "lpj", _("Penerimaan laporan pertanggungjawaban pengurus")
        STATEMENTS = "statements", _("Pengesahan laporan keuangan")
        SHU = "shu", _("Penetapan pembagian SHU")
        RAPB = "rapb", _("Pengesahan rencana kerja dan RAPB")
        ELECTION_PENGURUS = "el_pengurus", _("Pemilihan pengurus")
        ELECTION_PENGAWAS = "el_pengawas", _("Pemilihan pengawas")
        ADART = "adart", _("Perubahan AD/ART")
        OTHER = "other", _("Keputusan lain")

    class Mode(models.TextChoices):
        MUSYAWARAH = "musyawarah", _("Musyawarah untuk mufakat")
        VOTE = "vote", _("Pemungutan suara")

    class Ballot(models.TextChoices):
        OPEN = "open", _("Terbuka")
        SECRET = "secret", _("Rahasia")

    class Threshold(models.TextChoices):
        MAJORITY = "majority", _("Lebih dari ½")
        TWO_THIRDS = "two_thirds", _("Sekurang-kurangnya ⅔")
        THREE_QUARTERS = "three_quarters", _("Sekurang-kurangnya ¾")

    class Status(models.TextChoices):
        PENDING = "pending", _("Belum dibahas")
        OPEN = "open", _("Pemungutan suara dibuka")
        CLOSED = "closed", _("Diputuskan")

    class ShuOutcome(models.TextChoices):
        APPROVED = "approved", _("Disetujui")
        AMENDED = "amended", _("Disetujui dengan perubahan")
        REJECTED = "rejected", _("Ditolak")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    position = models.PositiveSmallIntegerField(default=0)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    title = models.CharField(_("judul"), max_length=200)
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.VOTE)
    ballot = models.CharField(max_length=6, choices=Ballot.choices, default=Ballot.OPEN)
    threshold = models.CharField(max_length=15, choices=Threshold.choices, default=Threshold.MAJORITY)
    seats = models.PositiveSmallIntegerField(default=0)  # elections only
    runoff_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="runoffs"
    )
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.PENDING)
    # Salt of secret-vote idempotency digests; cleared (with the keys) when the item closes.
    idem_salt = models.CharField(max_length=64, blank=True, default="")
    # Results (at close).
    hand_counted = models.BooleanField(default=False)
    votes_for = models.PositiveIntegerField(null=True, blank=True)
    votes_against = models.PositiveIntegerField(null=True, blank=True)
    votes_abstain = models.PositiveIntegerField(null=True, blank=True)
    turnout = models.PositiveIntegerField(null=True, blank=True)
    passed = models.BooleanField(null=True, blank=True)
    needs_runoff = models.BooleanField(default=False)
    shu_outcome = models.CharField(max_length=10, choices=ShuOutcome.choices, blank=True, default="")
    note = models.TextField(_("catatan keputusan"), blank=True, default="")

    class Meta:
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="rat_item_code_unique"),
            models.CheckConstraint(condition=Q(seats__lte=50), name="rat_item_seats"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_election(self) -> bool:
        return self.kind in (self.Kind.ELECTION_PENGURUS, self.Kind.ELECTION_PENGAWAS)


class Candidate(models.Model):
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="candidates")
    code = models.CharField(max_length=12, default=opaque_code, editable=False)
    member = models.ForeignKey(
        "members.Member", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    name = models.CharField(_("nama"), max_length=150)
    position = models.CharField(_("jabatan"), max_length=12, default="anggota")  # dinas CoopOfficer.Position
    order = models.PositiveSmallIntegerField(default=0)
    votes = models.PositiveIntegerField(null=True, blank=True)
    elected = models.BooleanField(default=False)

    class Meta:
        ordering = ["item", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "code"], name="rat_candidate_code_unique")
        ]


class Choice(models.TextChoices):
    FOR = "for", _("Setuju")
    AGAINST = "against", _("Tidak setuju")
    ABSTAIN = "abstain", _("Abstain")
    CANDIDATE = "candidate", _("Calon")


class OpenVote(models.Model):
    """An open vote: the member is named. One per member and item (database-unique)."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="open_votes")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "item", "member"], name="rat_open_vote_once")
        ]


class SecretBallot(models.Model):
    """A secret ballot: random id, the item and the choice. No member, no timestamp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="secret_ballots")
    choice = models.CharField(max_length=10, choices=Choice.choices)
    candidate = models.ForeignKey(
        Candidate, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )


class Turnout(models.Model):
    """Who took part in a secret ballot (never what they chose). Random id, no timestamp."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="turnout_rows")
    member = models.ForeignKey("members.Member", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "item", "member"], name="rat_turnout_once")
        ]


class ReportSection(models.Model):
    """A written part of the laporan tahunan: LPJ pengurus sections and the pengawas report."""

    class Author(models.TextChoices):
        PENGURUS = "pengurus", _("Pengurus")
        PENGAWAS = "pengawas", _("Pengawas")

    LPJ_KEYS = [
        ("organisasi", _("Organisasi dan keanggotaan")),
        ("usaha", _("Keadaan dan perkembangan usaha")),
        ("hasil", _("Hasil yang dicapai dan kendala")),
    ]
    PENGAWAS_KEYS = [("kelembagaan", _("Kelembagaan")), ("usaha", _("Usaha")), ("keuangan", _("Keuangan"))]

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="sections")
    author = models.CharField(max_length=8, choices=Author.choices)
    key = models.CharField(max_length=20)
    text = models.TextField(blank=True, default="")
    written_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cooperative", "meeting", "author", "key"], name="rat_section_unique"
            ),
        ]


class RapbLine(models.Model):
    """A line of the next year's work plan and budget (RAPB), by account group."""

    class Group(models.TextChoices):
        PENDAPATAN = "pendapatan", _("Pendapatan")
        BEBAN = "beban", _("Beban")
        INVESTASI = "investasi", _("Investasi/aset")
        MODAL = "modal", _("Permodalan")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rapb_lines")
    position = models.PositiveSmallIntegerField(default=0)
    group = models.CharField(max_length=10, choices=Group.choices)
    name = models.CharField(_("uraian"), max_length=150)
    amount = models.DecimalField(_("anggaran"), **MONEY_FIELD)

    class Meta:
        ordering = ["meeting", "group", "position"]
