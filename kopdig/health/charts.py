"""Health charts: server-rendered SVG (pygal, no JavaScript), in the Dinas charts' style. Every
chart sits beside a table with the same numbers."""

from __future__ import annotations

import copy
import re

import pygal
from django.utils.safestring import mark_safe

from kopdig.lib.charts import STYLE

from .models import Predicate

COLORS = ("#0b7a55", "#2563eb", "#d97706", "#b91c1c")
_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _config(**kw):
    style = copy.copy(STYLE)
    style.colors = COLORS
    return pygal.Config(
        js=[],
        disable_xml_declaration=True,
        style=style,
        width=kw.pop("width", 640),
        height=kw.pop("height", 320),
        margin=8,
        truncate_label=-1,
        legend_at_bottom=True,
        **kw,
    )


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
