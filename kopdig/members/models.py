"""The member registry (anggota)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Member(models.Model):
    class Gender(models.TextChoices):
        L = "L", _("Laki-laki")
        P = "P", _("Perempuan")

    class Status(models.TextChoices):
        CALON = "calon", _("Calon anggota")
        AKTIF = "aktif", _("Aktif")
        KELUAR = "keluar", _("Keluar")
        MENINGGAL = "meninggal", _("Meninggal")
        DIBERHENTIKAN = "diberhentikan", _("Diberhentikan")

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="members")
    number = models.CharField(_("no. anggota"), max_length=20)  # gapless per cooperative
    nik = models.CharField(_("NIK"), max_length=16)
    name = models.CharField(_("nama"), max_length=150)
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices)
    birth_place = models.CharField(_("tempat lahir"), max_length=80, blank=True)
    birth_date = models.DateField(_("tanggal lahir"), null=True, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kecamatan = models.ForeignKey(
        "tenancy.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        "tenancy.Region", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    phone = models.CharField(_("no. HP"), max_length=20, blank=True)
    occupation = models.CharField(_("pekerjaan"), max_length=100, blank=True)
    heir_name = models.CharField(_("ahli waris"), max_length=150, blank=True)
    heir_relation = models.CharField(_("hubungan ahli waris"), max_length=50, blank=True)
    member_class = models.CharField(_("golongan"), max_length=30, blank=True, default="")
    status = models.CharField(_("status"), max_length=15, choices=Status.choices, default=Status.AKTIF)
    joined_on = models.DateField(_("tanggal masuk"))
    left_on = models.DateField(_("tanggal keluar"), null=True, blank=True)
    exit_reason = models.CharField(_("alasan keluar"), max_length=255, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="member"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cooperative", "number"]
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "number"], name="member_number_unique"),
            models.UniqueConstraint(
                fields=["cooperative", "nik"],
                condition=Q(status__in=["calon", "aktif"]),
                name="member_nik_active_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["cooperative", "status"]),
            models.Index(fields=["cooperative", "name"]),
        ]

    def __str__(self):
        return f"{self.number} {self.name}"

    @property
    def is_active(self):
        return self.status == self.Status.AKTIF


class MemberStatusChange(models.Model):
    """One status change of a member (admission, activation, exit), with its date and reason."""

    cooperative = models.ForeignKey("tenancy.Cooperative", on_delete=models.PROTECT, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="status_changes")
    date = models.DateField(_("tanggal"))
    from_status = models.CharField(max_length=15, blank=True, default="")
    to_status = models.CharField(max_length=15, choices=Member.Status.choices)
    reason = models.CharField(_("alasan"), max_length=255, blank=True, default="")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["member", "date", "id"]
        indexes = [models.Index(fields=["cooperative", "member"])]
