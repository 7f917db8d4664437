"""Forms: validate input for the views; they never save domain models (views call actions)."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kopdig.lib.formfields import EventDateField, MoneyField, PlannedDateField, bind_cooperative
from kopdig.lib.money import MONEY_FIELD
from kopdig.lib.tokens import form_token

from .actions import PRODUCT_FIELDS, SETTINGS_FIELDS
from .models import LoanProduct, LoanSettings

DATE = forms.DateInput(attrs={"type": "date"})


def money(label, **kw):
    return MoneyField(label=label, min_value=0, **MONEY_FIELD, **kw)


class TokenForm(forms.Form):
    """A one-time token so a double submit runs the action once (api.idempotency.run_once)."""

    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("token", form_token())


class ProductForm(forms.ModelForm):
    class Meta:
        model = LoanProduct
        fields = ["code", *PRODUCT_FIELDS]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = LoanSettings
        fields = SETTINGS_FIELDS


class PreviewForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Produk"), queryset=LoanProduct.objects.none(), to_field_name="code"
    )
    principal = money(_("Jumlah pinjaman"))
    term = forms.IntegerField(label=_("Jangka waktu (bulan)"), min_value=1, max_value=360)
    grace_months = forms.IntegerField(
        label=_("Masa tenggang (bulan)"), min_value=0, initial=0, required=False
    )
    first_due_date = PlannedDateField(label=_("Jatuh tempo pertama"), required=False, widget=DATE)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        bind_cooperative(self, cooperative)
        self.fields["product"].queryset = LoanProduct.objects.filter(cooperative=cooperative, active=True)


class ApplyForm(PreviewForm, TokenForm):
    member_number = forms.CharField(label=_("No. anggota"), max_length=20)
    purpose = forms.CharField(label=_("Tujuan pinjaman"), max_length=255)
    applied_on = EventDateField(label=_("Tanggal pengajuan"), widget=DATE, initial=timezone.localdate)
    guarantor_numbers = forms.CharField(
        label=_("No. anggota penjamin (pisahkan dengan koma)"), required=False
    )
    collateral_kind = forms.CharField(label=_("Jenis agunan"), max_length=60, required=False)
    collateral_description = forms.CharField(label=_("Keterangan agunan"), max_length=255, required=False)
    collateral_value = money(_("Nilai taksiran agunan"), required=False)
    analysis_notes = forms.CharField(
        label=_("Catatan analisis"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Alasan"), max_length=255)


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Catatan analisis"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )


class DateForm(forms.Form):
    date = EventDateField(label=_("Tanggal"), widget=DATE, initial=timezone.localdate)


class DisburseForm(TokenForm):
    date = EventDateField(label=_("Tanggal pencairan"), widget=DATE, initial=timezone.localdate)
    first_due_date = PlannedDateField(label=_("Jatuh tempo pertama"), widget=DATE, required=False)
    to = forms.ChoiceField(label=_("Pencairan ke"), choices=LoanProduct.DisburseTo.choices)


class RepayForm(TokenForm):
    amount = money(_("Jumlah diterima"))
    date = EventDateField(label=_("Tanggal"), widget=DATE, initial=timezone.localdate)
    account = forms.ChoiceField(label=_("Diterima di"), choices=[("kas", _("Kas")), ("bank", _("Bank"))])
    payoff = forms.BooleanField(label=_("Pelunasan dipercepat"), required=False)


class RecoverForm(TokenForm):
    amount = money(_("Jumlah diterima"))
    date = EventDateField(label=_("Tanggal"), widget=DATE, initial=timezone.localdate)
    account = forms.ChoiceField(label=_("Diterima di"), choices=[("kas", _("Kas")), ("bank", _("Bank"))])


class ReverseForm(ReasonForm):
    receipt = forms.CharField(label=_("No. kuitansi"), max_length=20)
