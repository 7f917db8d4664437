import datetime as dt
from decimal import Decimal
from types import SimpleNamespace

from django import forms
from django.utils import timezone

from kopdig.ledger.forms import MAX_LINES, EntryLineFormSet
from kopdig.lib.formfields import (
    EventDateField,
    MoneyField,
    PlannedDateField,
    QueryDateField,
    YearField,
    bind_cooperative,
)
from kopdig.lib.money import MONEY_FIELD


class Sample(forms.Form):
    amount = MoneyField(label="Jumlah", min_value=0, **MONEY_FIELD)
    date = EventDateField(label="Tanggal")
    due = PlannedDateField(label="Jatuh tempo", required=False)
    at = QueryDateField(label="Per tanggal", required=False)
    year = YearField(label="Tahun", required=False)


def _errors(**data):
    base = {"amount": "1500000.50", "date": timezone.localdate().isoformat()}
    form = Sample({**base, **data})
    form.is_valid()
    return form


def test_money_field_takes_plain_decimals_only():
    assert _errors().cleaned_data["amount"] == Decimal("1500000.50")
    for bad in ("１２３", "NaN", "Infinity", "1e9", "1.234", "1" * 19):
        form = _errors(amount=bad)
        assert "amount" in form.errors, bad
    assert "18 digit" in _errors(amount="1e9").errors["amount"][0]
    assert "amount" in _errors(amount="-1").errors  # min_value still applies


def test_date_fields_keep_their_windows():
    assert "date" in _errors(date="9999-12-31").errors
    assert "antara 1900-01-01 dan" in _errors(date="0001-01-01").errors["date"][0]
    assert "due" in _errors(due="9999-12-31").errors and not _errors(due="2040-01-01").errors
    assert "at" in _errors(at="0001-01-01").errors and not _errors(at="2100-12-31").errors
    assert "year" in _errors(year="0").errors and "year" in _errors(year="99999").errors


def test_event_date_field_uses_the_bound_cooperatives_window():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    form = Sample({"amount": "1", "date": tomorrow.isoformat()})
    bind_cooperative(form, SimpleNamespace(founded_on=dt.date(2000, 1, 1), event_days_ahead=1))
    assert form.is_valid(), form.errors
    form = Sample({"amount": "1", "date": "1999-12-31"})
    bind_cooperative(form, SimpleNamespace(founded_on=dt.date(2000, 1, 1), event_days_ahead=1))
    assert "2000-01-01" in form.errors["date"][0]


def test_journal_formset_total_forms_is_capped():
    data = {"form-TOTAL_FORMS": "100000", "form-INITIAL_FORMS": "0"}
    formset = EntryLineFormSet(data, form_kwargs={"choices": []})
    assert len(formset.forms) == MAX_LINES and not formset.is_valid()
