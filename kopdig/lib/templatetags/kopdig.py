"""Template filters available in every template (registered as a builtin)."""

from django import template

from kopdig.lib import formats
from kopdig.lib.documents import shown_errors
from kopdig.lib.terbilang import terbilang as _terbilang

register = template.Library()


@register.filter
def rupiah(value, decimals=2):
    return formats.rupiah(value, int(decimals))


@register.filter
def rupiah_parens(value):
    return formats.rupiah(value, parens=True)


@register.filter
def angka(value, decimals=None):
    """A number with Indonesian separators; whole numbers (counts) without decimals: 1.195."""
    if decimals is None:
        decimals = 0 if isinstance(value, int) else 2
    return formats.number(value, int(decimals))


@register.filter
def tanggal(value):
    return formats.tanggal(value)


@register.filter
def tanggal_waktu(value):
    return formats.tanggal_waktu(value)


@register.filter
def terbilang(value):
    return _terbilang(value)


@register.filter
def comma_list(value):
    """A comma-separated code list for reading: "denda,jasa,pokok" -> "denda, jasa, pokok"."""
    return ", ".join(part.strip() for part in str(value or "").split(",") if part.strip())


@register.simple_tag(takes_context=True)
def url_replace(context, **kwargs):
    """Current query string with some parameters replaced (pagination, filters)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.filter
def nilai(value):
    """Any stored value as a person reads it (dates, rupiah, counts, yes/no): formats.human_value."""
    return formats.human_value(value)


@register.filter
def kata(code):
    """An internal key in words: 'dana_shu_anggota' -> 'Dana SHU anggota' (for keys people must pick)."""
    return formats.key_words(code)


@register.filter
def first_errors(errors):
    """The row errors an import page shows: the first ``KOPDIG_IMPORT_MAX_ERRORS_SHOWN``."""
    return shown_errors(errors or [])[0]


@register.filter
def more_errors(errors):
    """How many row errors ``first_errors`` leaves out."""
    return shown_errors(errors or [])[1]
