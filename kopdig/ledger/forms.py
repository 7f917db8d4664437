from django import forms
from django.utils.translation import gettext_lazy as _

from kopdig.lib.formfields import EventDateField, MoneyField, QueryDateField, UploadField
from kopdig.lib.money import MONEY_FIELD

from .models import Account


def account_choices(cooperative, *, groups=False):
    qs = Account.objects.filter(cooperative=cooperative, is_group=groups)
    if not groups:
        qs = qs.filter(closed=False)
    return [("", "—")] + [(a.code, f"{a.code} {a.name}") for a in qs.order_by("code")]


class EntryHeaderForm(forms.Form):
    date = EventDateField(
        label=_("Tanggal"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    memo = forms.CharField(label=_("Keterangan"), max_length=255)
    token = forms.CharField(widget=forms.HiddenInput)


class EntryLineForm(forms.Form):
    account = forms.ChoiceField(label=_("Akun"), required=False)
    debit = MoneyField(label=_("Debit"), required=False, min_value=0, **MONEY_FIELD)
    credit = MoneyField(label=_("Kredit"), required=False, min_value=0, **MONEY_FIELD)
    memo = forms.CharField(label=_("Keterangan baris"), required=False, max_length=255)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["account"].choices = choices

    def is_blank(self):
        d = self.cleaned_data
        return not d.get("account") and not d.get("debit") and not d.get("credit")


# A journal has at most MAX_LINES lines: a forged form-TOTAL_FORMS cannot make Django build more forms.
MAX_LINES = 200
EntryLineFormSet = forms.formset_factory(
    EntryLineForm, extra=0, max_num=MAX_LINES, absolute_max=MAX_LINES, validate_max=True
)


class AccountForm(forms.Form):
    parent_code = forms.ChoiceField(label=_("Akun induk"))
    code = forms.CharField(label=_("Kode"), max_length=20)
    name = forms.CharField(label=_("Nama akun"), max_length=150)
    participation = forms.ChoiceField(
        label=_("Partisipasi (akun pendapatan)"), required=False, choices=Account.Participation.choices
    )
    cash_flow = forms.ChoiceField(
        label=_("Kategori arus kas"),
        required=False,
        choices=[("", _("ikut akun induk"))] + list(Account.CashFlow.choices),
    )
    is_group = forms.BooleanField(label=_("Akun induk (kelompok)"), required=False)

    def __init__(self, *args, cooperative=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent_code"].choices = account_choices(cooperative, groups=True)


class DateForm(forms.Form):
    date = QueryDateField(
        label=_("Per tanggal"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )


class PeriodForm(forms.Form):
    start = QueryDateField(label=_("Dari"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))
    end = QueryDateField(label=_("Sampai"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}))

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Tanggal awal harus sebelum tanggal akhir."))
        return data


class ImportForm(forms.Form):
    file = UploadField(label=_("Berkas Excel (.xlsx) atau CSV"))
    token = forms.CharField(widget=forms.HiddenInput)


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), max_length=255)


class ReopenForm(forms.Form):
    month = forms.CharField(
        label=_("Buka kembali mulai bulan"), widget=forms.TextInput(attrs={"type": "month"})
    )
    reason = forms.CharField(label=_("Alasan"), max_length=255)


class ThresholdForm(forms.Form):
    approval_threshold = MoneyField(
        label=_("Batas jumlah jurnal manual tanpa persetujuan kedua (Rp)"), min_value=0, **MONEY_FIELD
    )
