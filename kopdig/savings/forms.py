from django import forms
from django.utils.translation import gettext_lazy as _

from kopdig.lib.formats import rupiah
from kopdig.lib.formfields import (
    DateInput,
    EventDateField,
    MoneyField,
    QueryDateField,
    UploadField,
    bind_cooperative,
)
from kopdig.lib.money import D

from .models import Run, SavingsProduct


class TellerForm(forms.Form):
    TYPES = [("deposit", _("Setor")), ("withdrawal", _("Tarik")), ("transfer", _("Pindah buku"))]
    account = forms.ChoiceField(label=_("Rekening"))
    type = forms.ChoiceField(label=_("Jenis"), choices=TYPES, widget=forms.RadioSelect, initial="deposit")
    target = forms.ChoiceField(label=_("Ke rekening (pindah buku)"), required=False)
    amount = MoneyField(
        label=_("Jumlah (Rp)"),
        max_digits=20,
        decimal_places=2,
        min_value=D("0.01"),
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "autofocus": True}),
    )
    date = EventDateField(label=_("Tanggal"), widget=DateInput())
    memo = forms.CharField(label=_("Keterangan"), max_length=200, required=False)
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, accounts=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Product and balance first: a phone's select shows the start of the label.
        choices = [
            (a.number, f"{a.product.name} · {rupiah(a.balance)} · {a.number}")
            for a in accounts
            if a.kind != "berjangka"
        ]
        self.fields["account"].choices = choices
        self.fields["target"].choices = [("", "—")] + choices

    def clean(self):
        data = super().clean()
        if data.get("type") == "transfer" and not data.get("target"):
            self.add_error("target", _("Pilih rekening tujuan."))
        return data


class TimeDepositForm(forms.Form):
    product = forms.ModelChoiceField(label=_("Produk"), queryset=SavingsProduct.objects.none())
    amount = MoneyField(label=_("Jumlah (Rp)"), max_digits=20, decimal_places=2, min_value=D("0.01"))
    date = EventDateField(label=_("Tanggal"), widget=DateInput())
    token = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, **kwargs)
        bind_cooperative(self, cooperative)
        self.fields["product"].queryset = SavingsProduct.objects.filter(
            cooperative=cooperative, kind="berjangka", active=True
        )


class ProductForm(forms.ModelForm):
    class_amounts_text = forms.CharField(
        label=_("Jumlah per golongan (satu per baris: golongan=jumlah)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = SavingsProduct
        fields = [
            "name",
            "active",
            "amount",
            "rate",
            "basis",
            "min_balance",
            "admin_fee",
            "tax_enabled",
            "tax_threshold",
            "tax_rate",
            "tax_base",
            "term_months",
            "maturity_action",
            "penalty_pct",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_amounts_text"].initial = "\n".join(
            f"{k}={v}" for k, v in (self.instance.class_amounts or {}).items()
        )
        keep = {
            "pokok": ["name", "active", "amount"],
            "wajib": ["name", "active", "amount", "class_amounts_text"],
            "sukarela": [
                "name",
                "active",
                "rate",
                "basis",
                "min_balance",
                "admin_fee",
                "tax_enabled",
                "tax_threshold",
                "tax_rate",
                "tax_base",
            ],
            "berjangka": [
                "name",
                "active",
                "rate",
                "term_months",
                "maturity_action",
                "penalty_pct",
                "tax_enabled",
                "tax_threshold",
                "tax_rate",
                "tax_base",
            ],
        }[self.instance.kind]
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]

    def clean_class_amounts_text(self):
        out = {}
        for line in (self.cleaned_data.get("class_amounts_text") or "").splitlines():
            if not line.strip():
                continue
            if "=" not in line:
                raise forms.ValidationError(_("Tulis setiap baris sebagai golongan=jumlah."))
            k, v = line.split("=", 1)
            try:
                out[k.strip()] = str(D(v.strip().replace(".", "").replace(",", ".")))
            except ValueError:
                raise forms.ValidationError(_("Jumlah tidak valid: %(v)s") % {"v": v}) from None
        return out


class RunForm(forms.Form):
    kind = forms.ChoiceField(label=_("Proses"), choices=Run.Kind.choices)
    period = forms.RegexField(
        label=_("Bulan (TTTT-BB)"), regex=r"^\d{4}-\d{2}$", widget=forms.TextInput(attrs={"type": "month"})
    )


class PayrollForm(forms.Form):
    file = UploadField(label=_("Daftar potong gaji (.xlsx: no_anggota, jumlah)"))
    employer = forms.CharField(label=_("Instansi/pemberi kerja"), max_length=100, required=False)
    date = EventDateField(label=_("Tanggal diterima"), widget=DateInput())
    cash_account = forms.ChoiceField(label=_("Diterima di"), choices=[("bank", _("Bank")), ("kas", _("Kas"))])
    token = forms.CharField(widget=forms.HiddenInput)


class DateForm(forms.Form):
    date = QueryDateField(label=_("Tanggal"), widget=DateInput(), required=False)
