from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Rubric
from .scoring import FIGURES


class OpenForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun buku"), min_value=1990, max_value=2100)
    rubric = forms.ModelChoiceField(
        label=_("Rubrik"), queryset=Rubric.objects.filter(active=True), empty_label=None
    )


class FiguresForm(forms.Form):
    """One optional amount per book figure, as read from the reported statements."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in FIGURES.items():
            self.fields[name] = forms.DecimalField(
                label=label, required=False, max_digits=20, decimal_places=2
            )


class KukForm(forms.Form):
    kuk_class = forms.TypedChoiceField(
        label=_("Klasifikasi usaha koperasi (KUK)"),
        coerce=int,
        required=False,
        empty_value=None,
        choices=[("", "—"), (1, "KUK 1"), (2, "KUK 2"), (3, "KUK 3"), (4, "KUK 4")],
    )
    summary = forms.CharField(
        label=_("Kesimpulan pemeriksa"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    manual_score = forms.DecimalField(label=_("Skor manual"), required=False, max_digits=7, decimal_places=2)
    not_applicable = forms.CharField(label=_("Tidak berlaku karena"), required=False, max_length=255)
    note = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class EvidenceForm(forms.Form):
    file = forms.FileField(label=_("Berkas bukti (PDF/foto, maks. 5 MB)"))
    item_code = forms.CharField(required=False, max_length=30, widget=forms.HiddenInput)


class FollowUpForm(forms.Form):
    recommendation = forms.CharField(label=_("Rekomendasi"), widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.DateField(label=_("Batas waktu"), widget=forms.DateInput(attrs={"type": "date"}))


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pengembalian"), max_length=255)


class FollowUpAnswerForm(forms.Form):
    response = forms.CharField(label=_("Tanggapan"), widget=forms.Textarea(attrs={"rows": 3}))


class RubricImportForm(forms.Form):
    file = forms.FileField(label=_("Berkas rubrik (JSON atau Excel .xlsx)"))


class SelfAssessmentForm(forms.Form):
    year = forms.IntegerField(label=_("Tahun buku"), min_value=1990, max_value=2100)
    rubric = forms.ModelChoiceField(
        label=_("Rubrik"), queryset=Rubric.objects.filter(active=True), empty_label=None
    )


def item_marks(data, indicator) -> dict:
    """{item code: True/False} from the POSTed radio buttons ``item-<code>`` ("1"/"0"; "" = unanswered)."""
    out = {}
    for item in indicator.items.all():
        raw = data.get(f"item-{item.code}", "")
        if raw in ("1", "0"):
            out[item.code] = raw == "1"
    return out
