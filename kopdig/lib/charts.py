"""Server-rendered SVG charts (pygal, no JavaScript: ``js=[]``) of the Dinas and health pages.
Every chart on a page also has a table with the same numbers; bars link to the filtered registry.

Rendering is the slowest part of the Dinas dashboard (~10-20 ms a chart), so the SVG is memoised
per process keyed by EVERYTHING that goes into it (kind, title, labels, values, links, language):
a changed number is a different key, so a cached chart can never be stale.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pygal
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from pygal.style import Style

STYLE = Style(
    background="transparent",
    plot_background="transparent",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1",
    colors=("#0b7a55", "#d97706", "#2563eb", "#b91c1c", "#7c3aed"),
    font_family="system-ui, sans-serif",
    label_font_size=15,
    major_label_font_size=15,
    value_font_size=14,
    legend_font_size=15,
    title_font_size=17,
)


def thousands(value) -> str:
    """Axis and value labels in Indonesian digits: 12.500 (whole numbers; charts never show cents)."""
    if value is None:
        return ""
    return f"{value:,.0f}".replace(",", ".")


def _config(**kw):
    cfg = pygal.Config(
        js=[],
        disable_xml_declaration=True,
        style=STYLE,
        width=kw.pop("width", 420),
        height=kw.pop("height", 300),
        value_formatter=thousands,
        show_legend=kw.pop("show_legend", False),
        print_values=False,
        margin=8,
        truncate_label=-1,
        **kw,
    )
    return cfg


_SCRIPT = re.compile(r"<script\b.*?</script>", re.S)


def _render(chart) -> str:
    """The SVG without pygal's inline config script: nothing on the page runs chart JavaScript."""
    return _SCRIPT.sub("", chart.render(is_unicode=True))


def _freeze(rows, href):
    return tuple((str(r["label"]), r["n"], href(r) if href else None) for r in rows)


def bar(title: str, rows: list[dict], *, horizontal: bool = False, href=None) -> str:
    """rows: {"label", "n"[, "key"]}; href(row) -> URL for click-through."""
    return mark_safe(_bar(str(title), _freeze(rows, href), horizontal, get_language()))


def line(title: str, x_labels, series: list[tuple[str, list]], *, show_legend: bool = True) -> str:
    """series: (name, values) with numbers or None (money as whole millions, never floats)."""
    frozen = tuple((str(name), tuple(values)) for name, values in series)
    return mark_safe(_line(str(title), tuple(str(x) for x in x_labels), frozen, show_legend, get_language()))


def pie(title: str, rows: list[dict], *, href=None) -> str:
    return mark_safe(_pie(str(title), _freeze(rows, href), get_language()))


def cache_clear():
    for fn in (_bar, _line, _pie):
        fn.cache_clear()


@lru_cache(maxsize=64)
def _bar(title, rows, horizontal, _lang) -> str:
    height = max(220, 24 * len(rows) + 60) if horizontal else 300
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(_config(height=height, title=title))
    chart.x_labels = [label for label, _n, _href in rows]
    values = []
    for label, n, link in rows:
        v = {"value": n, "label": label}
        if link:
            v["xlink"] = {"href": link, "target": "_top"}
        values.append(v)
    chart.add(title, values)
    return _render(chart)


@lru_cache(maxsize=64)
def _line(title, x_labels, series, show_legend, _lang) -> str:
    chart = pygal.Line(
        _config(
            title=title,
            show_legend=show_legend,
            legend_at_bottom=True,
            height=320,
            x_label_rotation=0,
            dots_size=3,
        )
    )
    chart.x_labels = list(x_labels)
    for name, values in series:
        chart.add(name, list(values))
    return _render(chart)


@lru_cache(maxsize=64)
def _pie(title, rows, _lang) -> str:
    chart = pygal.Pie(
        _config(
            title=title,
            show_legend=True,
            legend_at_bottom=True,
            inner_radius=0.45,
            width=380,
            height=340,
            legend_at_bottom_columns=2,
        )
    )
    for label, n, link in rows:
        if not n:
            continue
        v = {"value": n}
        if link:
            v["xlink"] = {"href": link, "target": "_top"}
        chart.add(label, [v])
    return _render(chart)
