from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdig.lib.formfields import UploadField
from kopdig.lib.tokens import form_token
from kopdig.tenancy.models import Cooperative, Region

from .models import CoopOfficer, CoopStaff

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OnceForm(forms.Form):
    """A hidden one-time token so that a double submit runs the action once (api.idempotency.run_once)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.fields["token"].initial = form_token()


class RegionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.level == Region.Level.DESA and obj.parent_id:
            return f"{obj.name} ({obj.parent.name})"
        return obj.name


class CooperativeForm(forms.Form):
    name = forms.CharField(label=_("Nama koperasi"), max_length=200)
    jenis = forms.ChoiceField(label=_("Jenis"), choices=Cooperative.Jenis.choices)
    kelompok = forms.ChoiceField(label=_("Kelompok"), choices=Cooperative.Kelompok.choices)
    bentuk = forms.ChoiceField(label=_("Bentuk"), choices=Cooperative.Bentuk.choices)
    has_usp = forms.BooleanField(label=_("Punya unit simpan pinjam (USP)"), required=False)
    badan_hukum_number = forms.CharField(label=_("No. badan hukum"), max_length=100, required=False)
    badan_hukum_date = forms.DateField(label=_("Tanggal badan hukum"), required=False, widget=DATE)
    nik = forms.RegexField(label=_("NIK koperasi"), regex=r"^\d{1,20}$", required=False)
    npwp = forms.CharField(label=_("NPWP"), max_length=20, required=False)
    kbli = forms.CharField(label=_("Sektor/KBLI"), max_length=10, required=False)
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    kecamatan = RegionChoiceField(
        label=_("Kecamatan"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    desa = RegionChoiceField(
        label=_("Desa/kelurahan"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    founded_on = forms.DateField(label=_("Tanggal berdiri"), required=False, widget=DATE)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)
    email = forms.EmailField(label=_("E-mail"), required=False)
    open_loop = forms.BooleanField(label=_("Open loop (melayani non-anggota, diawasi OJK)"), required=False)

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = Region.objects.filter(parent_id__in=kabupaten_ids).order_by(
            "name"
        )
        self.fields["desa"].queryset = (
            Region.objects.filter(parent__parent_id__in=kabupaten_ids)
            .select_related("parent")
            .order_by("name")
        )

    @classmethod
    def initial_from(cls, coop):
        data = {name: getattr(coop, name) for name in cls.base_fields if name not in ("kecamatan", "desa")}
        data["kecamatan"] = coop.kecamatan.code if coop.kecamatan_id else None
        data["desa"] = coop.desa.code if coop.desa_id else None
        return data


class RegisterForm(CooperativeForm):
    on_kopdig = forms.BooleanField(label=_("Pembukuan di Kopdig"), required=False)


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Nama pengurus"), max_length=150)
    title = forms.CharField(label=_("Jabatan"), max_length=60, initial="Ketua")
    username = forms.RegexField(label=_("Nama pengguna"), regex=r"^[a-zA-Z0-9._-]{3,150}$", max_length=150)
    email = forms.EmailField(label=_("E-mail"), required=False)
    phone = forms.CharField(label=_("No. HP"), max_length=20, required=False)


class OfficerForm(OnceForm):
    body = forms.ChoiceField(label=_("Organ"), choices=CoopOfficer.Body.choices)
    position = forms.ChoiceField(label=_("Jabatan"), choices=CoopOfficer.Position.choices)
    name = forms.CharField(label=_("Nama"), max_length=150)
    phone = forms.CharField(label=_("No. HP"), max_length=20, required=False)
    term_start = forms.DateField(label=_("Awal masa jabatan"), required=False, widget=DATE)
    term_end = forms.DateField(label=_("Akhir masa jabatan"), required=False, widget=DATE)


class StaffForm(OnceForm):
    position = forms.ChoiceField(label=_("Jabatan"), choices=CoopStaff.Position.choices)
    name = forms.CharField(label=_("Nama"), max_length=150)
    phone = forms.CharField(label=_("No. HP"), max_length=20, required=False)
    since = forms.DateField(label=_("Mulai bekerja"), required=False, widget=DATE)
    until = forms.DateField(label=_("Berhenti"), required=False, widget=DATE)


class AnnualReportForm(forms.Form):
    anggota_l = forms.IntegerField(label=_("Anggota laki-laki"), min_value=0, required=False)
    anggota_p = forms.IntegerField(label=_("Anggota perempuan"), min_value=0, required=False)
    manajer = forms.IntegerField(label=_("Manajer"), min_value=0, required=False)
    karyawan = forms.IntegerField(label=_("Karyawan"), min_value=0, required=False)
    modal_sendiri = forms.DecimalField(
        label=_("Modal sendiri (Rp)"), max_digits=20, decimal_places=2, required=False
    )
    modal_luar = forms.DecimalField(
        label=_("Modal luar (Rp)"), max_digits=20, decimal_places=2, min_value=0, required=False
    )
    aset = forms.DecimalField(
        label=_("Aset (Rp)"), max_digits=20, decimal_places=2, min_value=0, required=False
    )
    volume_usaha = forms.DecimalField(
        label=_("Volume usaha (Rp)"), max_digits=20, decimal_places=2, min_value=0, required=False
    )
    shu = forms.DecimalField(label=_("SHU (Rp)"), max_digits=20, decimal_places=2, required=False)


class RatForm(OnceForm):
    year = forms.IntegerField(label=_("Tahun buku"), min_value=1945)
    held_on = forms.DateField(label=_("Tanggal RAT"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year - 1
        self.fields["year"].initial = timezone.localdate().year - 1


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Cooperative.Status.choices)
    note = forms.CharField(label=_("Catatan"), max_length=255, required=False)


class SettingsForm(forms.Form):
    rat_deadline_months = forms.IntegerField(
        label=_("Batas waktu RAT (bulan setelah tahun buku berakhir)"), min_value=1, max_value=12
    )


class ImportForm(forms.Form):
    file = UploadField(label=_("Berkas Excel (.xlsx)"))
    year = forms.IntegerField(label=_("Tahun buku angka anggota/aset/volume/SHU"), min_value=1945)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].max_value = timezone.localdate().year - 1
        self.fields["year"].initial = timezone.localdate().year - 1
