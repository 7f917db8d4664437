from django import forms
from django.utils.translation import gettext_lazy as _

from kopdig.tenancy.models import Cooperative, Region

from .models import Event, FollowUp, Organisation, Participation

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 20, "decimal_places": 2, "min_value": 0, "required": False}


class EventForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis kegiatan"), choices=Event.Kind.choices)
    title = forms.CharField(label=_("Tema"), max_length=200)
    objectives = forms.CharField(
        label=_("Tujuan"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )
    start_date = forms.DateField(label=_("Tanggal mulai"), widget=DATE)
    end_date = forms.DateField(label=_("Tanggal selesai"), widget=DATE)
    venue = forms.CharField(label=_("Tempat"), max_length=200, required=False)
    kecamatan = forms.ModelChoiceField(
        label=_("Kecamatan"), queryset=Region.objects.none(), to_field_name="code", required=False
    )
    organiser = forms.CharField(label=_("Penyelenggara"), max_length=200, required=False)
    co_organisers = forms.ModelMultipleChoiceField(
        label=_("Penyelenggara bersama"),
        queryset=Organisation.objects.none(),
        to_field_name="code",
        required=False,
    )
    budget_line = forms.CharField(label=_("Mata anggaran"), max_length=200, required=False)
    budget = forms.DecimalField(label=_("Anggaran (Rp)"), **MONEY)
    realised_cost = forms.DecimalField(label=_("Realisasi biaya (Rp)"), **MONEY)
    capacity = forms.IntegerField(label=_("Kapasitas peserta"), min_value=1, max_value=100000, required=False)
    target_jenis = forms.MultipleChoiceField(
        label=_("Sasaran jenis koperasi"),
        choices=Cooperative.Jenis.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_kelompok = forms.MultipleChoiceField(
        label=_("Sasaran kelompok koperasi"),
        choices=Cooperative.Kelompok.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    target_note = forms.CharField(
        label=_("Sasaran lain (mis. pemuda, mahasiswa)"), max_length=200, required=False
    )
    min_days = forms.IntegerField(
        label=_("Hari hadir minimal untuk sertifikat (kosong: semua hari)"),
        min_value=1,
        max_value=60,
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=Event.Status.choices)

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].queryset = Region.objects.filter(parent_id__in=kabupaten_ids).order_by(
            "name"
        )
        self.fields["co_organisers"].queryset = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids)

    @classmethod
    def initial_from(cls, event):
        data = {f: getattr(event, f) for f in cls.base_fields if hasattr(event, f) and f != "co_organisers"}
        data["kecamatan"] = event.kecamatan.code if event.kecamatan_id else None
        data["co_organisers"] = [o.code for o in event.co_organisers.all()]
        return data


class ParticipantForm(forms.Form):
    nik = forms.RegexField(
        label=_("NIK"),
        regex=r"^\s*\d{16}\s*$",
        max_length=20,
        error_messages={"invalid": _("NIK harus 16 angka.")},
    )
    name = forms.CharField(label=_("Nama"), max_length=150)
    phone = forms.CharField(label=_("No. HP"), max_length=20, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=100, required=False)
    cooperative = forms.ModelChoiceField(
        label=_("Koperasi"), queryset=Cooperative.objects.none(), to_field_name="slug", required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Lembaga"), queryset=Organisation.objects.none(), to_field_name="code", required=False
    )
    role = forms.ChoiceField(label=_("Peran"), choices=Participation.Role.choices, initial="peserta")
    topic = forms.CharField(label=_("Materi (narasumber)"), max_length=200, required=False)

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
        self.fields["organisation"].queryset = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids)

    def clean(self):
        data = super().clean()
        if data.get("cooperative") and data.get("organisation"):
            raise forms.ValidationError(_("Pilih koperasi atau lembaga, tidak keduanya."))
        return data


class CoopParticipantForm(forms.Form):
    """A pengurus registers one of the cooperative's people: a member by number, or anyone by NIK."""

    member_number = forms.CharField(label=_("No. anggota"), max_length=20, required=False)
    nik = forms.RegexField(
        label=_("NIK (bukan anggota)"),
        regex=r"^\s*\d{16}\s*$",
        max_length=20,
        required=False,
        error_messages={"invalid": _("NIK harus 16 angka.")},
    )
    name = forms.CharField(label=_("Nama (bukan anggota)"), max_length=150, required=False)
    phone = forms.CharField(label=_("No. HP"), max_length=20, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=100, required=False)

    def clean(self):
        data = super().clean()
        if not data.get("member_number") and not (data.get("nik") and data.get("name")):
            raise forms.ValidationError(_("Isi nomor anggota, atau NIK dan nama."))
        return data


class EvaluationForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("Nilai kegiatan ini"),
        coerce=int,
        choices=[(i, str(i)) for i in range(5, 0, -1)],
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Saran dan komentar"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )

    def __init__(self, *args, speakers=(), **kwargs):
        super().__init__(*args, **kwargs)
        for sp in speakers:
            self.fields[f"speaker_{sp.pk}"] = forms.TypedChoiceField(
                label=_("Nilai narasumber: %(name)s") % {"name": sp.person.name},
                coerce=int,
                required=False,
                choices=[("", "—")] + [(i, str(i)) for i in range(5, 0, -1)],
            )

    def speaker_ratings(self) -> dict:
        return {k.split("_", 1)[1]: v for k, v in self.cleaned_data.items() if k.startswith("speaker_") and v}


class MaterialForm(forms.Form):
    title = forms.CharField(label=_("Judul materi"), max_length=200)
    file = forms.FileField(label=_("Berkas"))


class OrganisationForm(forms.Form):
    name = forms.CharField(label=_("Nama lembaga"), max_length=200)
    kind = forms.ChoiceField(label=_("Jenis lembaga"), choices=Organisation.Kind.choices)
    region = forms.ModelChoiceField(
        label=_("Wilayah (kabupaten/kota)"),
        to_field_name="code",
        required=False,
        queryset=Region.objects.filter(level__lte=Region.Level.KABUPATEN).order_by("name"),
    )
    address = forms.CharField(label=_("Alamat"), max_length=255, required=False)
    contact = forms.CharField(label=_("Narahubung"), max_length=150, required=False)
    phone = forms.CharField(label=_("Telepon"), max_length=20, required=False)


class FollowUpForm(forms.Form):
    what = forms.CharField(label=_("Tindak lanjut"), max_length=255)
    owner_section = forms.CharField(label=_("Bidang Dinas penanggung jawab"), max_length=150, required=False)
    owner_cooperative = forms.ModelChoiceField(
        label=_("Koperasi penanggung jawab"),
        to_field_name="slug",
        queryset=Cooperative.objects.none(),
        required=False,
    )
    owner_organisation = forms.ModelChoiceField(
        label=_("Lembaga penanggung jawab"),
        to_field_name="code",
        queryset=Organisation.objects.none(),
        required=False,
    )
    deadline = forms.DateField(label=_("Tenggat"), widget=DATE)

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner_cooperative"].queryset = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
        self.fields["owner_organisation"].queryset = Organisation.objects.filter(
            kabupaten_id__in=kabupaten_ids
        )


class ProgressForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=FollowUp.Status.choices)
    note = forms.CharField(
        label=_("Catatan"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    evidence = forms.FileField(label=_("Bukti (PDF/foto)"), required=False)


class AgreementForm(forms.Form):
    number = forms.CharField(label=_("Nomor"), max_length=100, required=False)
    subject = forms.CharField(label=_("Perihal"), max_length=255)
    signed_on = forms.DateField(label=_("Tanggal penandatanganan"), widget=DATE)
    valid_until = forms.DateField(label=_("Berlaku sampai"), widget=DATE, required=False)
    dinas_party = forms.BooleanField(label=_("Dinas sebagai pihak"), required=False, initial=True)
    organisations = forms.ModelMultipleChoiceField(
        label=_("Lembaga"), to_field_name="code", required=False, queryset=Organisation.objects.none()
    )
    cooperatives = forms.ModelMultipleChoiceField(
        label=_("Koperasi"), to_field_name="slug", required=False, queryset=Cooperative.objects.none()
    )
    document = forms.FileField(label=_("Dokumen (PDF)"), required=False)

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisations"].queryset = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids)
        self.fields["cooperatives"].queryset = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)


class SettingsForm(forms.Form):
    cohorts = forms.JSONField(
        label=_("Generasi (JSON: key, label, from, to)"), widget=forms.Textarea(attrs={"rows": 6})
    )
    youth_min_age = forms.IntegerField(label=_("Usia pemuda terendah"), min_value=1, max_value=100)
    youth_max_age = forms.IntegerField(label=_("Usia pemuda tertinggi"), min_value=1, max_value=100)
