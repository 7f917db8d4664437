"""Helpers shared by every app's API router: access, paging, and the field types that carry the
rules of ``kopdig.lib.validation`` into the schemas (and so into the OpenAPI contract)."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils import timezone
from ninja import Schema
from ninja.errors import HttpError
from pydantic import AfterValidator, BeforeValidator, ValidationInfo, WithJsonSchema

from kopdig.lib import validation
from kopdig.lib.money import MONEY_FIELD
from kopdig.tenancy.access import Access, check, coop_access

MAX_LIMIT = validation.MAX_LIMIT
_WHOLE = MONEY_FIELD["max_digits"] - MONEY_FIELD["decimal_places"]


def api_coop(request, slug: str, roles, *, dinas_read: bool = False) -> Access:
    """The caller's access to cooperative ``slug``: 404 if not visible, 403 if the role may not."""
    try:
        access = coop_access(request.user, slug)
        check(access, roles, dinas_read=dinas_read, method=request.method)
    except Http404:
        raise HttpError(404, "Tidak ditemukan.") from None
    except PermissionDenied:
        raise HttpError(403, "Peran Anda tidak mengizinkan tindakan ini.") from None
    return access


def page(qs_or_list, limit: int, offset: int, serialize) -> dict:
    """``{"items": [...], "count": N}`` with limit/offset applied (bounds: lib.validation.paging)."""
    limit, offset = validation.paging(limit, offset)
    count = len(qs_or_list) if isinstance(qs_or_list, list) else qs_or_list.count()
    items = [serialize(obj) for obj in qs_or_list[offset : offset + limit]]
    return {"items": items, "count": count}


def event_dates(cooperative, **dates) -> None:
    """Refuse (422) any event date outside the cooperative's window (lib.validation.event_date)."""
    for field, value in dates.items():
        validation.event_date(value, field, cooperative)


class Detail(Schema):
    """Every API error: ``{"detail": message}`` (422 from the schema: a list of errors)."""

    detail: str | list[dict]


ERRORS = {401: Detail, 403: Detail, 404: Detail, 409: Detail, 422: Detail}


def responses(ok: dict | type, *codes: int) -> dict:
    """``{status: schema}`` for an operation: its successes plus the documented errors
    (401, 403, 404, 422 always; 409 where an Idempotency-Key or a race can conflict)."""
    result = dict(ok) if isinstance(ok, dict) else {200: ok}
    for code in (401, 403, 404, 422, *codes):
        result[code] = Detail
    return result


# --- field types ---------------------------------------------------------------------------


def _field(info: ValidationInfo) -> str:
    return info.field_name or "nilai"


def _money(value, info: ValidationInfo) -> Decimal:
    return validation.amount(value, _field(info))


def _signed_money(value, info: ValidationInfo) -> Decimal:
    return validation.amount(value, _field(info), allow_negative=True)


def _money_schema(minimum: int) -> dict:
    return {
        "anyOf": [
            {
                "type": "string",
                "pattern": validation.AMOUNT_PATTERN
                if minimum < 0
                else validation.AMOUNT_PATTERN.replace("^-?", "^"),
                "maxLength": _WHOLE + 4,
            },
            {"type": "integer", "minimum": minimum, "maximum": 10**_WHOLE - 1},
        ],
        "description": 'Jumlah rupiah: teks desimal ("1500000.00") atau bilangan bulat.',
    }


# An amount in rupiah, >= 0: a decimal string or an integer (no float, bool, exponent, NaN).
Money = Annotated[Decimal, BeforeValidator(_money), WithJsonSchema(_money_schema(0))]
SignedMoney = Annotated[
    Decimal, BeforeValidator(_signed_money), WithJsonSchema(_money_schema(-(10**_WHOLE) + 1))
]


def _rate(value, info: ValidationInfo) -> Decimal:
    return validation.amount(value, _field(info), max_digits=9, decimal_places=4)


# A percentage or rate: a decimal string (up to 4 decimals) or an integer.
Rate = Annotated[
    Decimal,
    BeforeValidator(_rate),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "pattern": r"^[0-9]{1,5}(\.[0-9]{1,4})?$"},
                {"type": "integer", "minimum": 0, "maximum": 99999},
            ]
        }
    ),
]


def _query_date(value, info: ValidationInfo):
    return validation.query_date(value, _field(info))


def _planned_date(value, info: ValidationInfo):
    return validation.planned_date(value, _field(info))


def _coarse_date(value, info: ValidationInfo):
    # The cooperative's own window is checked by the endpoint (event_dates); this is the outer one.
    latest = timezone.localdate() + dt.timedelta(days=validation.MAX_DAYS_AHEAD)
    return validation.date_between(value, _field(info), validation.EARLIEST, latest)


_DATE_SCHEMA = {"type": "string", "format": "date"}
# A report or query date: 1900-01-01 .. 2100-12-31.
QueryDate = Annotated[dt.date, AfterValidator(_query_date), WithJsonSchema(_DATE_SCHEMA)]
# A planned date (first due date, maturity, meeting): up to 30 years ahead.
PlannedDate = Annotated[dt.date, AfterValidator(_planned_date), WithJsonSchema(_DATE_SCHEMA)]
# An event date (posting, payment, admission): founding date .. today + the cooperative's days.
EventDate = Annotated[dt.date, AfterValidator(_coarse_date), WithJsonSchema(_DATE_SCHEMA)]


def _year(value, info: ValidationInfo) -> int:
    return validation.year(value, _field(info))


# A book year: 1900 .. next year.
Year = Annotated[
    int,
    AfterValidator(_year),
    WithJsonSchema({"type": "integer", "minimum": validation.FIRST_YEAR, "maximum": 2100}),
]


def _limit(value: int) -> int:
    return validation.paging(value, 0)[0]


def _offset(value: int) -> int:
    return validation.paging(1, value)[1]


Limit = Annotated[
    int, AfterValidator(_limit), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": MAX_LIMIT})
]
Offset = Annotated[
    int,
    AfterValidator(_offset),
    WithJsonSchema({"type": "integer", "minimum": 0, "maximum": validation.MAX_OFFSET}),
]


def Text(max_length: int, *, min_length: int = 0, pattern: str | None = None):
    """A text field of at most ``max_length`` characters (refusal in Indonesian)."""

    def check(value, info: ValidationInfo) -> str:
        value = validation.text(value, _field(info), max_length, required=min_length > 0)
        if pattern and value and not re.fullmatch(pattern, value):
            raise validation.InvalidValue(_field(info), f"format tidak sesuai ({pattern}).")
        return value

    schema = {"type": "string", "maxLength": max_length}
    if min_length:
        schema["minLength"] = min_length
    if pattern:
        schema["pattern"] = pattern
    return Annotated[str, BeforeValidator(check), WithJsonSchema(schema)]


def Choice(choices) -> type:
    """One of ``choices`` (e.g. a model's ``TextChoices.values``), documented as an enum."""
    values = [str(v) for v in choices]

    def check(value, info: ValidationInfo) -> str:
        if value not in values:
            raise validation.InvalidValue(_field(info), f"harus salah satu dari: {', '.join(values)}.")
        return value

    return Annotated[str, BeforeValidator(check), WithJsonSchema({"type": "string", "enum": values})]


class Paging(Schema):
    limit: Limit = 100
    offset: Offset = 0
