from django import forms
from django.utils.translation import gettext_lazy as _

from kopdig.programs.models import Event, Organisation
from kopdig.tenancy.models import Cooperative
from kopdig.usaha.models import Category

from .models import AgreementEvaluation, AgreementParty, Listing, TradeAgreement

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY = {"max_digits": 20, "decimal_places": 2, "min_value": 0, "required": False}
QTY = {"max_digits": 14, "decimal_places": 3, "min_value": 0, "required": False}


class ListingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=Listing.Kind.choices)
    commodity = forms.CharField(label=_("Komoditas / kebutuhan"), max_length=120)
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    need_type = forms.ChoiceField(
        label=_("Jenis kebutuhan"), choices=[("", "—")] + Listing.NeedType.choices, required=False
    )
    quantity_per_month = forms.DecimalField(label=_("Jumlah per bulan"), **QTY)
    unit = forms.CharField(label=_("Satuan"), max_length=20, initial="kg")
    price_min = forms.DecimalField(label=_("Harga terendah (Rp)"), **MONEY)
    price_max = forms.DecimalField(label=_("Harga tertinggi (Rp)"), **MONEY)
    quality = forms.CharField(label=_("Mutu"), max_length=200, required=False)
    certifications = forms.CharField(label=_("Sertifikasi (halal, PIRT, …)"), max_length=200, required=False)
    note = forms.CharField(
        label=_("Keterangan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DinasListingForm(ListingForm):
    cooperative = forms.ModelChoiceField(
        label=_("Koperasi"), queryset=Cooperative.objects.none(), to_field_name="slug", required=False
    )
    organisation = forms.ModelChoiceField(
        label=_("Pihak luar"), queryset=Organisation.objects.none(), to_field_name="code", required=False
    )

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
        self.fields["organisation"].queryset = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids)


class AgreementForm(forms.Form):
    subject = forms.CharField(label=_("Perihal"), max_length=255)
    commodity = forms.CharField(label=_("Komoditas"), max_length=120)
    category = forms.ChoiceField(label=_("Kategori"), choices=Category.choices)
    unit = forms.CharField(label=_("Satuan"), max_length=20, initial="kg")
    planned_volume = forms.DecimalField(label=_("Rencana volume per bulan"), **QTY)
    planned_value = forms.DecimalField(label=_("Rencana nilai per bulan (Rp)"), **MONEY)
    price_terms = forms.CharField(label=_("Ketentuan harga"), max_length=255, required=False)
    start = forms.DateField(label=_("Mulai"), widget=DATE)
    end = forms.DateField(label=_("Berakhir"), widget=DATE, required=False)
    event = forms.ModelChoiceField(
        label=_("Temu usaha asal"), queryset=Event.objects.none(), to_field_name="code", required=False
    )
    sellers = forms.ModelMultipleChoiceField(
        label=_("Koperasi penjual"), queryset=Cooperative.objects.none(), to_field_name="slug", required=False
    )
    buyers = forms.ModelMultipleChoiceField(
        label=_("Koperasi pembeli"), queryset=Cooperative.objects.none(), to_field_name="slug", required=False
    )
    external_sellers = forms.ModelMultipleChoiceField(
        label=_("Pihak luar penjual"),
        to_field_name="code",
        queryset=Organisation.objects.none(),
        required=False,
    )
    external_buyers = forms.ModelMultipleChoiceField(
        label=_("Pihak luar pembeli"),
        to_field_name="code",
        queryset=Organisation.objects.none(),
        required=False,
    )
    document = forms.FileField(label=_("Dokumen (PDF)"), required=False)

    def __init__(self, *args, kabupaten_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        coops = Cooperative.objects.filter(kabupaten_id__in=kabupaten_ids)
        orgs = Organisation.objects.filter(kabupaten_id__in=kabupaten_ids)
        self.fields["sellers"].queryset = self.fields["buyers"].queryset = coops
        self.fields["external_sellers"].queryset = self.fields["external_buyers"].queryset = orgs
        self.fields["event"].queryset = Event.objects.filter(kabupaten_id__in=kabupaten_ids)

    def parties(self) -> list[dict]:
        d, S, B = self.cleaned_data, AgreementParty.Role.SELLER, AgreementParty.Role.BUYER
        return (
            [{"cooperative": c, "role": S} for c in d["sellers"]]
            + [{"cooperative": c, "role": B} for c in d["buyers"]]
            + [{"organisation": o, "role": S} for o in d["external_sellers"]]
            + [{"organisation": o, "role": B} for o in d["external_buyers"]]
        )

    def fields_for_action(self) -> dict:
        d = dict(self.cleaned_data)
        for key in ("sellers", "buyers", "external_sellers", "external_buyers"):
            d.pop(key)
        d["document"] = d["document"] or ""
        return d


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=TradeAgreement.Status.choices)
    reason = forms.CharField(label=_("Alasan (jika gagal)"), max_length=255, required=False)


class RealisationForm(forms.Form):
    party = forms.ModelChoiceField(label=_("Pihak"), queryset=AgreementParty.objects.none())
    month = forms.DateField(
        label=_("Bulan"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
    volume = forms.DecimalField(label=_("Volume"), max_digits=14, decimal_places=3, min_value=0)
    value = forms.DecimalField(label=_("Nilai (Rp)"), max_digits=20, decimal_places=2, min_value=0)

    def __init__(self, *args, parties=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["party"].queryset = parties if parties is not None else AgreementParty.objects.none()
        self.fields["party"].label_from_instance = lambda p: f"{p.party_name} ({p.get_role_display()})"


QUESTIONS = [
    ("volume_sesuai", _("Apakah volume yang diperdagangkan sesuai rencana?")),
    ("harga_sesuai", _("Apakah harga sesuai kesepakatan?")),
    ("pembayaran_lancar", _("Apakah pembayaran lancar?")),
    ("mutu_sesuai", _("Apakah mutu barang sesuai?")),
    ("ingin_lanjut", _("Apakah para pihak ingin melanjutkan?")),
]


class EvaluationForm(forms.Form):
    held_on = forms.DateField(label=_("Tanggal evaluasi"), widget=DATE)
    judgement = forms.ChoiceField(label=_("Keputusan"), choices=AgreementEvaluation.Judgement.choices)
    note = forms.CharField(
        label=_("Catatan"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in QUESTIONS:
            self.fields[f"q_{key}"] = forms.BooleanField(label=label, required=False)

    def answers(self) -> dict:
        return {key: bool(self.cleaned_data.get(f"q_{key}")) for key, _label in QUESTIONS}
