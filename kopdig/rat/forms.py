"""RAT forms: rules, schedule, agenda item (validation only; the actions decide)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import AgendaItem, RatSettings


class SettingsForm(forms.ModelForm):
    class Meta:
        model = RatSettings
        fields = [
            "notice_days",
            "quorum_first",
            "quorum_second",
            "min_member_months",
            "require_pokok",
            "max_wajib_arrears_months",
            "term_years",
        ]


class ScheduleForm(forms.Form):
    book_year = forms.IntegerField(label=_("Tahun buku"), min_value=2000, max_value=2100)
    date = forms.DateField(label=_("Tanggal"), widget=forms.DateInput(attrs={"type": "date"}))
    first_call = forms.TimeField(label=_("Panggilan pertama"), widget=forms.TimeInput(attrs={"type": "time"}))
    second_call = forms.TimeField(
        label=_("Panggilan kedua"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    venue = forms.CharField(label=_("Tempat"), required=False, max_length=200)
    online_url = forms.URLField(label=_("Tautan rapat daring"), required=False, assume_scheme="https")
    decision_number = forms.CharField(label=_("Nomor keputusan RAT"), required=False, max_length=100)


class ItemForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=AgendaItem.Kind.choices)
    title = forms.CharField(label=_("Judul"), max_length=200)
    mode = forms.ChoiceField(label=_("Cara keputusan"), choices=AgendaItem.Mode.choices)
    ballot = forms.ChoiceField(label=_("Pemungutan suara"), choices=AgendaItem.Ballot.choices)
    threshold = forms.ChoiceField(label=_("Ambang"), choices=AgendaItem.Threshold.choices)
    seats = forms.IntegerField(label=_("Kursi (pemilihan)"), min_value=0, max_value=50, required=False)
    candidates = forms.CharField(
        label=_("Calon (satu per baris: nama; jabatan; no. anggota)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def action_kwargs(self) -> dict:
        d = self.cleaned_data
        cands = []
        for line in (d.get("candidates") or "").splitlines():
            parts = [p.strip() for p in line.split(";")]
            if parts and parts[0]:
                cands.append(
                    (
                        parts[0],
                        parts[1] if len(parts) > 1 and parts[1] else "anggota",
                        parts[2] if len(parts) > 2 else "",
                    )
                )
        return {
            "kind": d["kind"],
            "title": d["title"],
            "mode": d["mode"],
            "ballot": d["ballot"],
            "threshold": d["threshold"],
            "seats": d.get("seats") or 0,
            "candidates": cands,
        }
