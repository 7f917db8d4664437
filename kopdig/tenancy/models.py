"""The tenant (Cooperative), regions, users and their roles."""

import secrets

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def opaque_code() -> str:
    return secrets.token_hex(6)


class User(AbstractUser):
    name = models.CharField(_("nama lengkap"), max_length=150, blank=True)
    phone = models.CharField(_("no. HP"), max_length=20, blank=True)

    def __str__(self):
        return self.name or self.username

    @property
    def display_name(self):
        return self.name or self.get_full_name() or self.username


class Region(models.Model):
    """Indonesian administrative regions (Kemendagri codes), loaded from a packaged dataset."""

    class Level(models.IntegerChoices):
        PROVINSI = 1, _("Provinsi")
        KABUPATEN = 2, _("Kabupaten/Kota")
        KECAMATAN = 3, _("Kecamatan")
        DESA = 4, _("Desa/Kelurahan")

    code = models.CharField(max_length=13, unique=True)  # e.g. 35.13.01.2001
    name = models.CharField(max_length=100)
    level = models.PositiveSmallIntegerField(choices=Level.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    class Meta:
        ordering = ["code"]
        indexes = [models.Index(fields=["level", "parent"])]

    def __str__(self):
        return self.name


class Cooperative(models.Model):
    """The tenant: one cooperative, whether or not it keeps its books on Kopdig."""

    class Jenis(models.TextChoices):
        SIMPAN_PINJAM = "simpan_pinjam", _("Simpan Pinjam")
        KONSUMEN = "konsumen", _("Konsumen")
        PRODUSEN = "produsen", _("Produsen")
        PEMASARAN = "pemasaran", _("Pemasaran")
        JASA = "jasa", _("Jasa")
        SERBA_USAHA = "serba_usaha", _("Serba Usaha")

    class Kelompok(models.TextChoices):
        UMUM = "umum", _("Umum")
        WANITA = "wanita", _("Koperasi Wanita")
        KPRI = "kpri", _("KPRI / Pegawai")
        KARYAWAN = "karyawan", _("Karyawan")
        MAHASISWA = "mahasiswa", _("Mahasiswa (Kopma)")
        SEKOLAH = "sekolah", _("Sekolah")
        PONTREN = "pontren", _("Pondok Pesantren")
        KUD = "kud", _("KUD")
        TNI_POLRI = "tni_polri", _("TNI/Polri")
        KDMP = "kdmp", _("Koperasi Desa/Kelurahan Merah Putih")
        TANI = "tani", _("Tani/Nelayan")

    class Bentuk(models.TextChoices):
        PRIMER = "primer", _("Primer")
        SEKUNDER = "sekunder", _("Sekunder")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        TIDAK_AKTIF = "tidak_aktif", _("Tidak aktif")
        DIBUBARKAN = "dibubarkan", _("Dibubarkan")

    code = models.CharField(max_length=12, unique=True, default=opaque_code, editable=False)
    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(_("nama koperasi"), max_length=200)
    badan_hukum_number = models.CharField(_("no. badan hukum"), max_length=100, blank=True)
    badan_hukum_date = models.DateField(_("tanggal badan hukum"), null=True, blank=True)
    nik = models.CharField(_("NIK koperasi"), max_length=20, blank=True)
    npwp = models.CharField(_("NPWP"), max_length=20, blank=True)
    jenis = models.CharField(_("jenis"), max_length=20, choices=Jenis.choices)
    kelompok = models.CharField(_("kelompok"), max_length=20, choices=Kelompok.choices, default=Kelompok.UMUM)
    bentuk = models.CharField(_("bentuk"), max_length=10, choices=Bentuk.choices, default=Bentuk.PRIMER)
    has_usp = models.BooleanField(_("punya unit simpan pinjam (USP)"), default=False)
    kbli = models.CharField(_("sektor/KBLI"), max_length=10, blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    kabupaten = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"level": Region.Level.KABUPATEN},
        verbose_name=_("kabupaten"),
    )
    kecamatan = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": Region.Level.KECAMATAN},
        verbose_name=_("kecamatan"),
    )
    desa = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
        limit_choices_to={"level": Region.Level.DESA},
        verbose_name=_("desa/kelurahan"),
    )
    founded_on = models.DateField(_("tanggal berdiri"), null=True, blank=True)
    book_year_start_month = models.PositiveSmallIntegerField(_("awal tahun buku (bulan)"), default=1)
    # Event dates (postings, payments, admissions, applications) may lie this many days after
    # today (kopdig.lib.validation.event_date); 0: never in the future.
    event_days_ahead = models.PositiveSmallIntegerField(
        _("tanggal transaksi boleh maju (hari)"),
        default=0,
        validators=[MaxValueValidator(31)],
    )
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.AKTIF)
    on_kopdig = models.BooleanField(_("pembukuan di Kopdig"), default=False)
    open_loop = models.BooleanField(_("open loop (melayani non-anggota, diawasi OJK)"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [
            models.Index(fields=["kabupaten", "status"]),
            models.Index(fields=["kabupaten", "kecamatan"]),
            models.Index(fields=["kabupaten", "jenis"]),
        ]

    def __str__(self):
        return self.name


class Role(models.Model):
    """A user's role in one cooperative (one role per user and cooperative)."""

    class Kind(models.TextChoices):
        PENGURUS = "pengurus", _("Pengurus")
        MANAJER = "manajer", _("Manajer")
        KASIR = "kasir", _("Kasir")
        PENGAWAS = "pengawas", _("Pengawas")
        ANGGOTA = "anggota", _("Anggota")

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="roles")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(_("jabatan"), max_length=60, blank=True)  # ketua, sekretaris, bendahara…
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["cooperative", "user"], name="role_one_per_user_coop")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.cooperative}"


class DinasRole(models.Model):
    """An officer of the Dinas Koperasi over one kabupaten: reads its cooperatives, writes supervision data."""

    class Kind(models.TextChoices):
        PETUGAS = "petugas", _("Petugas Dinas")
        PENGAWAS_KOPERASI = "pengawas_koperasi", _("Pengawas Koperasi (JFPK)")
        KEPALA = "kepala", _("Kepala Dinas/Bidang")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="dinas_roles")
    kabupaten = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="+", limit_choices_to={"level": Region.Level.KABUPATEN}
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PETUGAS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kabupaten"], name="dinasrole_one_per_kab")]

    def __str__(self):
        return f"{self.user} · {self.get_kind_display()} · {self.kabupaten}"


class DocumentCounter(models.Model):
    """Gapless numbering per cooperative, series and year (locked and bumped in the posting transaction)."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.CASCADE, related_name="+")
    series = models.CharField(max_length=20)  # journal, kuitansi, loan, member…
    year = models.PositiveSmallIntegerField()  # 0 for series that never restart
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cooperative", "series", "year"], name="counter_unique"),
            models.CheckConstraint(condition=Q(last__gte=0), name="counter_nonneg"),
        ]
