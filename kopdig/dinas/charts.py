"""Server-rendered SVG charts (pygal, no JavaScript: ``js=[]``). Every chart on a page also has a
table with the same numbers; bars link to the filtered registry."""

from __future__ import annotations

import pygal
from django.utils.safestring import mark_safe
from pygal.style import Style

STYLE = Style(
    background="transparent", plot_background="transparent", foreground="#1f2933", foreground_strong="#1f2933",
    foreground_subtle="#9aa5b1", colors=("#0b7a55", "#d97706", "#2563eb", "#b91c1c", "#7c3aed"),
    font_family="system-ui, sans-serif", label_font_size=12, major_label_font_size=12, value_font_size=11, legend_font_size=13, title_font_size=15,
)


def _config(**kw):
    cfg = pygal.Config(js=[], disable_xml_declaration=True, style=STYLE,
                       width=kw.pop("width", 640), height=kw.pop("height", 300), show_legend=kw.pop("show_legend", False),
                       print_values=False, margin=8, truncate_label=-1, **kw)
    return cfg


def _render(chart) -> str:
    return mark_safe(chart.render(is_unicode=True))


def bar(title: str, rows: list[dict], *, horizontal: bool = False, href=None) -> str:
    """rows: {"label", "n"[, "key"]}; href(row) -> URL for click-through."""
    height = max(220, 24 * len(rows) + 60) if horizontal else 300
    chart = (pygal.HorizontalBar if horizontal else pygal.Bar)(_config(height=height, title=title))
    chart.x_labels = [str(r["label"]) for r in rows]
    values = []
    for r in rows:
        v = {"value": r["n"], "label": str(r["label"])}
        if href:
            v["xlink"] = {"href": href(r), "target": "_top"}
        values.append(v)
    chart.add(title, values)
    return _render(chart)


def line(title: str, x_labels, series: list[tuple[str, list]], *, show_legend: bool = True) -> str:
    """series: (name, values) with ints or None (money as whole millions, never floats)."""
    chart = pygal.Line(_config(title=title, show_legend=show_legend, legend_at_bottom=True, height=320,
                               x_label_rotation=0, dots_size=3))
    chart.x_labels = [str(x) for x in x_labels]
    for name, values in series:
        chart.add(name, values)
    return _render(chart)


def pie(title: str, rows: list[dict], *, href=None) -> str:
    chart = pygal.Pie(_config(title=title, show_legend=True, legend_at_bottom=True, inner_radius=0.45, width=380, height=340,
                                legend_at_bottom_columns=2))
    for r in rows:
        if not r["n"]:
            continue
        v = {"value": r["n"]}
        if href:
            v["xlink"] = {"href": href(r), "target": "_top"}
        chart.add(str(r["label"]), [v])
    return _render(chart)
