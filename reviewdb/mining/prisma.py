"""The PRISMA 2020 flow diagram as a plain function: counts in, Plotly figure out."""

from __future__ import annotations

from typing import Any

import plotly.graph_objects as go

MAIN = "#e8f0fb"
SIDE = "#fdf1e6"
LINE = "#3b5b8c"


def _box(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, text: str, fill: str) -> None:
    fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=LINE, width=1.5), fillcolor=fill)
    fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=text, showarrow=False, align="center",
                       font=dict(size=13))


def _arrow(fig: go.Figure, x0: float, y0: float, x1: float, y1: float) -> None:
    fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                       showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor=LINE)


def prisma_figure(counts: dict[str, Any], max_reasons: int = 6) -> go.Figure:
    """Draw the PRISMA flow from :func:`reviewdb.mining.screening.prisma_counts`.

    Main column: identified -> screened -> included (-> accepted into the catalog); side
    boxes: duplicates removed, excluded with a line per reason, awaiting screening.
    """
    c = {k: counts.get(k, 0) for k in ("identified", "duplicates", "screened", "pending", "excluded",
                                       "included", "accepted")}
    reasons = dict(counts.get("excluded_reasons") or {})
    shown = list(reasons.items())[:max_reasons]
    rest = sum(n for _, n in list(reasons.items())[max_reasons:])
    reason_lines = "".join(f"<br>  {r}: {n}" for r, n in shown) + (f"<br>  other reasons: {rest}" if rest else "")

    fig = go.Figure()
    L, R = (0.0, 4.4), (5.4, 9.8)
    rows = {"id": (8.6, 10.0), "scr": (5.6, 7.4), "inc": (2.6, 4.0), "acc": (0.0, 1.4)}
    _box(fig, L[0], rows["id"][0], L[1], rows["id"][1],
         f"<b>Identification</b><br>Records identified from files: {c['identified']}", MAIN)
    _box(fig, R[0], rows["id"][0], R[1], rows["id"][1],
         f"Duplicate records removed: {c['duplicates']}<br>(DOI, arXiv id, fuzzy title)", SIDE)
    _box(fig, L[0], rows["scr"][0], L[1], rows["scr"][1],
         f"<b>Screening</b><br>Records screened: {c['screened']}<br>awaiting a decision: {c['pending']}", MAIN)
    top = rows["scr"][1] + 0.6
    _box(fig, R[0], rows["scr"][0] - 0.8, R[1], top, f"Records excluded: {c['excluded']}{reason_lines}", SIDE)
    _box(fig, L[0], rows["inc"][0], L[1], rows["inc"][1], f"<b>Included</b><br>Studies included: {c['included']}",
         MAIN)
    _box(fig, L[0], rows["acc"][0], L[1], rows["acc"][1],
         f"Accepted into the catalog: {c['accepted']}", MAIN)
    mid = (L[0] + L[1]) / 2
    _arrow(fig, mid, rows["id"][0], mid, rows["scr"][1])
    _arrow(fig, mid, rows["scr"][0], mid, rows["inc"][1])
    _arrow(fig, mid, rows["inc"][0], mid, rows["acc"][1])
    _arrow(fig, L[1], sum(rows["id"]) / 2, R[0], sum(rows["id"]) / 2)
    _arrow(fig, L[1], sum(rows["scr"]) / 2, R[0], sum(rows["scr"]) / 2)
    fig.update_xaxes(visible=False, range=[-0.2, 10.0])
    fig.update_yaxes(visible=False, range=[-0.2, 10.2])
    fig.update_layout(title="PRISMA flow of the screened records", height=560, margin=dict(l=10, r=10, t=50, b=10),
                      plot_bgcolor="white", showlegend=False)
    fig.layout.meta = {"counts": {**c, "excluded_reasons": reasons}}
    return fig
