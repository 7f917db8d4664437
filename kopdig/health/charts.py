"""Health charts: server-rendered SVG (pygal, no JavaScript), in the Dinas charts' style. Every
chart sits beside a table with the same numbers."""

from __future__ import annotations

import re

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

from .models import Predicate

# The Dinas charts' style; one colour per predicate (sehat green … khusus red).
STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#1f2933", foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1", colors=("#0b7a55", "#2563eb", "#d97706", "#b91c1c"),
    font_family="system-ui, sans-serif", label_font_size=12, major_label_font_size=12, value_font_size=11,
    legend_font_size=13, title_font_size=15,
)
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _config(**kw):
    return pygal.Config(js=[], disable_xml_declaration=True, style=STYLE, width=kw.pop("width", 640),
                        height=kw.pop("height", 320), margin=8, truncate_label=-1, legend_at_bottom=True, **kw)


def _svg(chart) -> str:
    return mark_safe(_SCRIPT.sub("", chart.render(is_unicode=True)))


def predicate_bars(title, matrix: dict, label) -> str:
    """Stacked horizontal bars: one bar per key (jenis, kecamatan), one segment per predicate."""
    keys = sorted(matrix, key=lambda k: str(label(k)))
    chart = pygal.HorizontalStackedBar(_config(title=str(title), height=max(240, 22 * len(keys) + 120)))
    chart.x_labels = [str(label(k)) for k in keys]
    for value, name in Predicate.choices:
        chart.add(str(name), [matrix[k].get(value, 0) for k in keys])
    return _svg(chart)


def trend_line(title, exams) -> str:
    chart = pygal.Line(_config(title=str(title), show_legend=False, range=(0, 100), height=260))
    chart.x_labels = [str(e.year) for e in exams]
    chart.add(str(title), [float(e.total) if e.total is not None else None for e in exams])
    return _svg(chart)
