"""The network graph as server-rendered SVG: parties on a circle (cooperatives of the regency
first, external partners after), agreements as lines whose width grows with realised value."""

from __future__ import annotations

import math
from decimal import Decimal

from django.utils.html import escape

SIZE = 640
R = 250


def svg(graph: dict, *, max_labels: int = 60) -> str:
    nodes = sorted(graph["nodes"].items(), key=lambda kv: (kv[1]["external"], -kv[1]["value"], kv[1]["name"]))
    n = max(len(nodes), 1)
    pos = {}
    for i, (key, _node) in enumerate(nodes):
        angle = 2 * math.pi * i / n - math.pi / 2
        pos[key] = (SIZE / 2 + R * math.cos(angle), SIZE / 2 + R * math.sin(angle))
    top = max([e["value"] for e in graph["edges"].values()] + [Decimal(1)])
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {SIZE} {SIZE}" role="img" class="network-graph">'
    ]
    for (a, b), edge in graph["edges"].items():
        (x1, y1), (x2, y2) = pos[a], pos[b]
        width = 0.6 + 5 * float(edge["value"] / top)
        out.append(
            f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" stroke="#2f6f4f" '
            f'stroke-opacity=".55" stroke-width="{width:.2f}"/>'
        )
    for i, (key, node) in enumerate(nodes):
        x, y = pos[key]
        color = "#b35c00" if node["external"] else "#1d4f91"
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{color}"><title>{escape(node["name"])}</title>'
            "</circle>"
        )
        if i < max_labels:
            anchor = "start" if x >= SIZE / 2 else "end"
            dx = 7 if x >= SIZE / 2 else -7
            out.append(
                f'<text x="{x + dx:.1f}" y="{y + 3:.1f}" font-size="9" text-anchor="{anchor}">'
                f"{escape(node['name'][:28])}</text>"
            )
    out.append("</svg>")
    return "".join(out)
