"""Form fields that apply ``kopdig.lib.validation`` (the same rules as the API schemas)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat

from . import validation


class DateInput(forms.DateInput):
    """An HTML date input (the browser's date picker), values as YYYY-MM-DD."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _refusal(field: forms.Field, exc: validation.InvalidValue) -> forms.ValidationError:
    return forms.ValidationError(str(exc).split(": ", 1)[-1], code="invalid")


class MoneyField(forms.DecimalField):
    """An amount: ASCII digits with at most 2 decimals (no exponent, NaN or full-width digits)."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return validation.amount(
                str(value),
                str(self.label or "jumlah"),
                allow_negative=True,
                max_digits=self.max_digits or 20,
                decimal_places=self.decimal_places or 2,
            )
        except validation.InvalidValue as exc:
            raise _refusal(self, exc) from None


class _BoundedDateField(forms.DateField):
    """A date checked by ``check`` (query range unless a subclass narrows it)."""

    def check(self, value):
        validation.query_date(value, str(self.label))

    def validate(self, value):
        super().validate(value)
        if value is not None:
            try:
                self.check(value)
            except validation.InvalidValue as exc:
                raise _refusal(self, exc) from None


class EventDateField(_BoundedDateField):
    """A posting, payment, admission or application date: the cooperative's window
    (``bind_cooperative``), else 1900-01-01 .. today."""

    cooperative = None

    def check(self, value):
        validation.event_date(value, str(self.label), self.cooperative)


class PlannedDateField(_BoundedDateField):
    """A first due date, maturity or meeting: up to 30 years ahead."""

    def check(self, value):
        validation.planned_date(value, str(self.label))


class QueryDateField(_BoundedDateField):
    """A report or filter date: 1900-01-01 .. 2100-12-31."""


class YearField(forms.IntegerField):
    """A book year: 1900 .. next year."""

    def validate(self, value):
        super().validate(value)
        if value is not None:
            try:
                validation.year(value, str(self.label))
            except validation.InvalidValue as exc:
                raise _refusal(self, exc) from None


def bind_cooperative(form: forms.Form, cooperative) -> None:
    """Give the form's event-date fields the cooperative whose window they check."""
    for field in form.fields.values():
        if isinstance(field, EventDateField):
            field.cooperative = cooperative


class UploadField(forms.FileField):
    """An uploaded spreadsheet of at most ``settings.KOPDIG_IMPORT_MAX_BYTES``."""

    def validate(self, value):
        super().validate(value)
        limit = settings.KOPDIG_IMPORT_MAX_BYTES
        if value and value.size > limit:
            raise forms.ValidationError(
                f"Berkas terlalu besar: paling besar {filesizeformat(limit)}.", code="too_big"
            )
