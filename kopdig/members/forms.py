from django import forms
from django.utils.translation import gettext_lazy as _

from kopdig.lib.formfields import DateInput, EventDateField, UploadField, bind_cooperative
from kopdig.tenancy.models import Region

from .models import Member


def region_fields(form, cooperative):
    form.fields["kecamatan"].queryset = Region.objects.filter(
        parent=cooperative.kabupaten, level=Region.Level.KECAMATAN
    )
    form.fields["desa"].queryset = (
        Region.objects.filter(parent__parent=cooperative.kabupaten, level=Region.Level.DESA)
        .select_related("parent")
        .order_by("parent__name", "name")
    )
    form.fields["desa"].label_from_instance = lambda r: f"{r.name} ({r.parent.name})"


class MemberForm(forms.Form):
    nik = forms.CharField(
        label=_("NIK (16 angka)"),
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    name = forms.CharField(label=_("Nama lengkap"), max_length=150)
    gender = forms.ChoiceField(label=_("Jenis kelamin"), choices=Member.Gender.choices)
    birth_place = forms.CharField(label=_("Tempat lahir"), max_length=80, required=False)
    birth_date = forms.DateField(label=_("Tanggal lahir"), required=False, widget=DateInput())
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    kecamatan = forms.ModelChoiceField(label=_("Kecamatan"), queryset=Region.objects.none(), required=False)
    desa = forms.ModelChoiceField(label=_("Desa/kelurahan"), queryset=Region.objects.none(), required=False)
    phone = forms.CharField(
        label=_("No. HP"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "placeholder": "0812…"}),
    )
    occupation = forms.CharField(label=_("Pekerjaan"), max_length=100, required=False)
    heir_name = forms.CharField(label=_("Ahli waris"), max_length=150, required=False)
    heir_relation = forms.CharField(label=_("Hubungan ahli waris"), max_length=50, required=False)
    member_class = forms.CharField(label=_("Golongan"), max_length=30, required=False)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        region_fields(self, cooperative)
        bind_cooperative(self, cooperative)


class AdmitForm(MemberForm):
    joined_on = EventDateField(label=_("Tanggal masuk"), widget=DateInput())
    status = forms.ChoiceField(
        label=_("Status"), choices=[("aktif", _("Anggota aktif")), ("calon", _("Calon anggota"))]
    )
    token = forms.CharField(widget=forms.HiddenInput)


class EditForm(MemberForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["nik"]


class ExitForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Alasan berhenti"),
        choices=[
            ("keluar", _("Keluar atas permintaan sendiri")),
            ("meninggal", _("Meninggal dunia")),
            ("diberhentikan", _("Diberhentikan")),
        ],
    )
    date = EventDateField(label=_("Tanggal"), widget=DateInput())
    reason = forms.CharField(label=_("Keterangan"), max_length=255, required=False)
    token = forms.CharField(widget=forms.HiddenInput)


class LoginForm(forms.Form):
    password1 = forms.CharField(
        label=_("Kata sandi baru"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("Ulangi kata sandi"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("Kedua kata sandi tidak sama."))
        return data


class ImportForm(forms.Form):
    file = UploadField(label=_("Berkas Excel (.xlsx)"))
    joined_on = EventDateField(label=_("Tanggal masuk (bila kolom tanggal_masuk kosong)"), widget=DateInput())
    pay_pokok = forms.BooleanField(
        label=_("Simpanan pokok dibayar tunai saat masuk"), required=False, initial=True
    )
