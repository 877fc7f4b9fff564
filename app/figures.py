"""Every dashboard figure as a plain function: DataFrame in, Plotly figure out.

No Streamlit and no database here, so each figure is tested on a hand-made frame and
exported from the CLI (``reviewdb figure chord --out chord.svg``) exactly as the
dashboard draws it. Frames have the columns the matching :mod:`reviewdb.query`
function returns.
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from reviewdb import vocabulary as V

MODALITY_COLORS = {"MRI": "#1f77b4", "CT": "#ff7f0e", "CBCT": "#2ca02c", "PET": "#d62728",
                   "X-ray": "#9467bd", "US": "#8c564b"}
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
           "#7f7f7f", "#bcbd22", "#17becf"]
FAMILY_COLORS = dict(zip(V.FAMILIES, PALETTE))
TASK_COLORS = dict(zip(V.TASKS, PALETTE[4:]))
STATUS_COLORS = {"confirmed": "#2ca02c", "candidate": "#ff7f0e", "excluded": "#7f7f7f"}
MORE, LESS = "#1f77b4", "#d62728"  # difference: catalog above / below the review
CHORD_VALUES = {"catalog": "studies in the catalog", "reported": "studies the review reports",
                "difference": "catalog minus review"}


def _layout(fig: go.Figure, title: str | None, **kw) -> go.Figure:
    fig.update_layout(title=title, template="plotly_white", margin=dict(l=40, r=20, t=60 if title else 20, b=40),
                      **kw)
    return fig


def empty(message: str) -> go.Figure:
    """A blank figure that says why it is blank."""
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font=dict(size=16), x=0.5, y=0.5,
                       xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, None, height=300)


def _short_label(code: str) -> str:
    return code.split(":", 1)[1] if ":" in code else code


def _colors(keys: Sequence[str], fixed: dict[str, str]) -> dict[str, str]:
    out, spare = {}, iter(PALETTE * 3)
    for k in keys:
        out[k] = fixed.get(k) or next(spare)
    return out


# --- counts ------------------------------------------------------------------------------


def stacked_counts(frame: pd.DataFrame, x: str, color: str, title: str | None = None,
                   horizontal: bool = False) -> go.Figure:
    """Bars of ``studies`` per ``x``, stacked by ``color`` (a counts_by(x, by=color) frame)."""
    if frame.empty:
        return empty("No studies match these filters")
    fixed = {"family": FAMILY_COLORS, "task": TASK_COLORS, "status": STATUS_COLORS}.get(color, {})
    keys = list(dict.fromkeys(frame[color].astype(str)))
    colors = _colors(keys, fixed)
    fig = go.Figure()
    for k in keys:
        part = frame[frame[color].astype(str) == k]
        xs, ys = part[x].astype(str) if x != "year" else part[x], part["studies"]
        fig.add_bar(name=k, x=ys if horizontal else xs, y=xs if horizontal else ys,
                    orientation="h" if horizontal else "v", marker_color=colors[k],
                    hovertemplate=f"{color} {k}<br>{x} %{{{'y' if horizontal else 'x'}}}"
                                  f"<br>%{{{'x' if horizontal else 'y'}}} studies<extra></extra>")
    axis = dict(title="studies")
    fig.update_layout(barmode="stack", legend_title_text=color)
    if horizontal:
        fig.update_xaxes(**axis)
        fig.update_yaxes(title=x, categoryorder="total ascending")
    else:
        fig.update_yaxes(**axis)
        fig.update_xaxes(title=x, dtick=1 if x == "year" else None)
    return _layout(fig, title, height=max(320, 28 * frame[x].nunique()) if horizontal else 420)


def trends(frame: pd.DataFrame, by: str, title: str | None = None) -> go.Figure:
    """Studies per year stacked by ``by`` (``family`` or ``task``): counts_by("year", by=by)."""
    if frame.empty:
        return empty("No studies match these filters")
    return stacked_counts(frame.sort_values("year"), "year", by,
                          title or f"Studies per year by {by}")


def reported_vs_catalog(table: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Grouped bars of the review's tally beside the catalog's count, per key.

    ``table`` has columns key, reported, catalog (a slice of coverage.coverage_table).
    """
    if table.empty:
        return empty("Nothing to compare")
    keys = table["key"].astype(str)
    fig = go.Figure()
    fig.add_bar(name="review reports", y=keys, x=table["reported"], orientation="h", marker_color="#7f7f7f",
                hovertemplate="%{y}: the review reports %{x}<extra></extra>")
    fig.add_bar(name="catalog", y=keys, x=table["catalog"], orientation="h", marker_color=MORE,
                hovertemplate="%{y}: %{x} in the catalog<extra></extra>")
    fig.update_layout(barmode="group")
    fig.update_xaxes(title="studies")
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=max(300, 40 * len(table)))


# --- the chord diagram ---------------------------------------------------------------------


def chord(matrix: pd.DataFrame, value: str = "catalog", codes: Sequence[str] | None = None,
          title: str | None = None) -> go.Figure:
    """A directed chord diagram of modality pairs (the review's Figures 8 and 9a).

    :param matrix: ``query.pair_matrix`` output (source, target, catalog, reported, difference).
    :param value: which column sizes the ribbons: ``catalog``, ``reported`` or
        ``difference`` (sized by its magnitude, blue where the catalog has more studies
        than the review reports, red where it has fewer).
    :param codes: the nodes, in drawing order (default: the six top-level modalities).

    Each node's arc is split into its outgoing ribbons, then its incoming ones; a
    ribbon leaves its source at full radius and ends short of its target, so the
    direction reads at a glance. A marker in the middle of each ribbon carries
    ``customdata = [source, target, value]`` for selection.
    """
    if value not in CHORD_VALUES:
        raise ValueError(f"value must be one of {', '.join(CHORD_VALUES)}, got {value!r}")
    codes = list(codes or V.TOP_MODALITIES)
    flows = []
    for row in matrix.itertuples(index=False):
        v = getattr(row, value)
        if row.source in codes and row.target in codes and row.source != row.target and pd.notna(v) and v != 0:
            flows.append((row.source, row.target, float(v)))
    n = len(codes)
    size = {c: 0.0 for c in codes}
    for s, t, v in flows:
        size[s] += abs(v)
        size[t] += abs(v)
    total = sum(size.values())
    gap = 0.04
    span = 2 * math.pi - n * gap
    floor = 0.03 * span  # a node without pairs still gets an arc and a label
    weights = {c: (size[c] / total if total else 0) for c in codes}
    free = span - floor * n
    arc = {c: floor + free * weights[c] for c in codes}
    start, angle = {}, math.pi / 2
    for c in codes:  # clockwise from the top
        start[c] = angle
        angle -= arc[c] + gap
    unit = {c: ((arc[c] - floor) / size[c]) if size[c] else 0 for c in codes}
    cursor = {c: start[c] for c in codes}
    out_slot, in_slot = {}, {}
    for c in codes:  # outgoing first, then incoming, each in node order
        for s, t, v in flows:
            if s == c:
                out_slot[(s, t)] = (cursor[c], cursor[c] - abs(v) * unit[c])
                cursor[c] -= abs(v) * unit[c]
        for s, t, v in flows:
            if t == c:
                in_slot[(s, t)] = (cursor[c], cursor[c] - abs(v) * unit[c])
                cursor[c] -= abs(v) * unit[c]
    node_colors = _colors(codes, MODALITY_COLORS)
    fig = go.Figure()
    for s, t, v in sorted(flows, key=lambda f: -abs(f[2])):
        a0, a1 = out_slot[(s, t)]
        b0, b1 = in_slot[(s, t)]
        path = np.concatenate([_arc(a0, a1, 1.0), _bezier(a1, 1.0, b0, 0.94), _arc(b0, b1, 0.94),
                               _bezier(b1, 0.94, a0, 1.0)])
        color = node_colors[s] if value != "difference" else (MORE if v > 0 else LESS)
        label = f"{s} → {t}: {_fmt(v)} {CHORD_VALUES[value]}"
        fig.add_trace(go.Scatter(x=path[:, 0], y=path[:, 1], mode="lines", fill="toself",
                                 fillcolor=_rgba(color, 0.55), line=dict(color=_rgba(color, 0.9), width=0.5),
                                 hoveron="fills", hoverinfo="text", text=label, name=f"{s} → {t}",
                                 showlegend=False))
    mids = []
    for s, t, v in flows:
        a = sum(out_slot[(s, t)]) / 2
        b = sum(in_slot[(s, t)]) / 2
        p0, p2 = np.array([math.cos(a), math.sin(a)]), 0.94 * np.array([math.cos(b), math.sin(b)])
        mid = 0.25 * p0 + 0.25 * p2  # the quadratic Bezier through the centre at t = 1/2
        mids.append((mid[0], mid[1], s, t, v))
    if mids:
        fig.add_trace(go.Scatter(
            x=[m[0] for m in mids], y=[m[1] for m in mids], mode="markers+text", name="pairs",
            text=[_fmt(m[4]) for m in mids], textposition="top center", textfont=dict(size=11),
            marker=dict(size=9, color=[node_colors[m[2]] if value != "difference" else (MORE if m[4] > 0 else LESS)
                                       for m in mids], line=dict(color="white", width=1)),
            customdata=[[m[2], m[3], m[4]] for m in mids], showlegend=False,
            hovertemplate="%{customdata[0]} → %{customdata[1]}: %{customdata[2]} " + CHORD_VALUES[value]
                          + "<br>select to list its studies<extra></extra>"))
    for c in codes:
        ring = np.concatenate([_arc(start[c], start[c] - arc[c], 1.03), _arc(start[c] - arc[c], start[c], 1.10)])
        out_n = sum(abs(v) for s, t, v in flows if s == c)
        in_n = sum(abs(v) for s, t, v in flows if t == c)
        fig.add_trace(go.Scatter(x=ring[:, 0], y=ring[:, 1], mode="lines", fill="toself",
                                 fillcolor=node_colors[c], line=dict(color=node_colors[c], width=1),
                                 hoveron="fills", hoverinfo="text", name=c, showlegend=False,
                                 text=f"{c}: {_fmt(out_n)} out, {_fmt(in_n)} in"))
    label_angles = [start[c] - arc[c] / 2 for c in codes]
    fig.add_trace(go.Scatter(
        x=[1.24 * math.cos(a) for a in label_angles], y=[1.24 * math.sin(a) for a in label_angles],
        mode="text", text=[_short_label(c) for c in codes], textfont=dict(size=16),
        hoverinfo="skip", showlegend=False, name="labels"))
    fig.update_xaxes(visible=False, range=[-1.45, 1.45])
    fig.update_yaxes(visible=False, range=[-1.45, 1.45], scaleanchor="x", scaleratio=1)
    if not flows:
        fig.add_annotation(text="No modality pairs to draw", showarrow=False, x=0, y=0, font=dict(size=15))
    elif value == "difference":
        fig.add_annotation(text=f"<span style='color:{MORE}'>■</span> catalog has more studies than the review "
                                f"reports &nbsp; <span style='color:{LESS}'>■</span> fewer",
                           showarrow=False, x=0, y=-1.4, font=dict(size=12))
    return _layout(fig, title, height=620, hovermode="closest", dragmode=False)


def _fmt(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else f"{v:.1f}"


def _arc(a0: float, a1: float, r: float, n: int = 24) -> np.ndarray:
    t = np.linspace(a0, a1, n)
    return np.column_stack([r * np.cos(t), r * np.sin(t)])


def _bezier(a: float, ra: float, b: float, rb: float, n: int = 30) -> np.ndarray:
    p0 = np.array([ra * math.cos(a), ra * math.sin(a)])
    p2 = np.array([rb * math.cos(b), rb * math.sin(b)])
    t = np.linspace(0, 1, n)[:, None]
    return (1 - t) ** 2 * p0 + t ** 2 * p2  # control point at the centre (0, 0)


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def pair_heatmap(matrix: pd.DataFrame, value: str = "catalog", codes: Sequence[str] | None = None,
                 title: str | None = None) -> go.Figure:
    """Source x target grid of a pair_matrix column (the chord's numbers, readable exactly)."""
    codes = list(codes or V.TOP_MODALITIES)
    grid = pd.DataFrame(np.nan, index=codes, columns=codes)
    for row in matrix.itertuples(index=False):
        v = getattr(row, value)
        if row.source in grid.index and row.target in grid.columns and pd.notna(v):
            grid.loc[row.source, row.target] = float(v)
    labels = [_short_label(c) for c in codes]
    text = [["" if pd.isna(v) else _fmt(v) for v in r] for r in grid.values]
    scale = "RdBu" if value == "difference" else "Blues"
    fig = go.Figure(go.Heatmap(z=grid.values, x=labels, y=labels, text=text, texttemplate="%{text}",
                               colorscale=scale, zmid=0 if value == "difference" else None,
                               hovertemplate="%{y} → %{x}: %{z}<extra></extra>",
                               colorbar=dict(title=value)))
    fig.update_xaxes(title="target", side="bottom")
    fig.update_yaxes(title="source", autorange="reversed")
    return _layout(fig, title, height=160 + 45 * len(codes))


def contrast_groups(groups: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Multi-contrast MRI translations (Figure 9b): studies per source set -> target set."""
    if groups.empty:
        return empty("No multi-contrast MRI translations match these filters")
    g = groups.sort_values("studies")
    fig = go.Figure(go.Bar(x=g["studies"], y=g["group"], orientation="h", marker_color=MODALITY_COLORS["MRI"],
                           hovertemplate="%{y}: %{x} studies<extra></extra>"))
    fig.update_xaxes(title="studies", dtick=1 if g["studies"].max() < 10 else None)
    return _layout(fig, title, height=max(260, 34 * len(g)))


# --- reported metrics, data sets, reproductions ---------------------------------------------


def metric_strip(results: pd.DataFrame, metric: str | None = None, title: str | None = None,
                 max_points: int = 5000) -> go.Figure:
    """The values studies reported for one metric, one box per modality pair and unit.

    Each point carries ``customdata = [citekey, title, year, link]`` and its hover
    shows the study and its link. Above ``max_points`` values only the boxes are drawn
    (from statistics computed here, so the figure stays small).
    """
    if results.empty:
        return empty("No reported values match these filters")
    r = results.copy()
    r["group"] = [f"{p or 'no pair'}" + (f" [{u}]" if u else "") for p, u in zip(r["pair"], r["unit"].fillna(""))]
    order = r["group"].value_counts().index.tolist()
    fig = go.Figure()
    for i, grp in enumerate(order):
        part = r[r["group"] == grp]
        color = PALETTE[i % len(PALETTE)]
        if len(r) > max_points:  # precomputed statistics: the figure stays small
            v = part["value"].astype(float)
            q1, med, q3 = v.quantile([0.25, 0.5, 0.75])
            iqr = q3 - q1
            lo, hi = v[v >= q1 - 1.5 * iqr].min(), v[v <= q3 + 1.5 * iqr].max()
            fig.add_trace(go.Box(name=grp, x=[grp], q1=[q1], median=[med], q3=[q3], lowerfence=[lo],
                                 upperfence=[hi], mean=[v.mean()], marker=dict(color=color), line=dict(width=1),
                                 hoverinfo="y", hovertext=f"{len(v)} values"))
            continue
        fig.add_trace(go.Box(
            y=part["value"], name=grp, boxpoints="all", jitter=0.4, pointpos=0,
            marker=dict(color=color, size=7, opacity=0.8),
            line=dict(width=1), fillcolor="rgba(0,0,0,0)",
            customdata=part[["citekey", "title", "year", "link"]].astype(str).values,
            hovertemplate="<b>%{customdata[1]}</b> (%{customdata[2]})<br>" + (metric or "value")
                          + " = %{y}<br>%{customdata[3]}<extra>%{customdata[0]}</extra>"))
    direction = results["direction"].iloc[0] if "direction" in results and len(results) else None
    ylabel = (metric or "value") + (f" ({direction} is better)" if direction else "")
    fig.update_yaxes(title=ylabel)
    fig.update_layout(showlegend=False)
    return _layout(fig, title, height=480)


def dataset_pairs(datasets: pd.DataFrame, title: str | None = None) -> go.Figure:
    """Which data set serves which top-level modality pair: studies per (data set, pair).

    Reads the ``pairs`` column of ``query.datasets_overview`` ("MRI -> CT (3); ...").
    """
    rows = []
    for name, text, public in zip(datasets["name"], datasets["pairs"], datasets["public"]):
        for item in filter(None, (p.strip() for p in (text or "").split(";"))):
            pair, _, n = item.rpartition(" (")
            if pair and n.rstrip(")").isdigit():
                label = f"{name}" + ("" if public else " (private)")
                rows.append((label, pair.replace(" -> ", " → "), int(n.rstrip(")"))))
    if not rows:
        return empty("No data set is linked to a modality pair yet")
    frame = pd.DataFrame(rows, columns=["dataset", "pair", "studies"])
    grid = frame.pivot_table(index="dataset", columns="pair", values="studies", aggfunc="sum")
    grid = grid.loc[grid.sum(axis=1).sort_values(ascending=False).index,
                    grid.sum(axis=0).sort_values(ascending=False).index]
    text = [["" if pd.isna(v) else str(int(v)) for v in r] for r in grid.values]
    fig = go.Figure(go.Heatmap(z=grid.values, x=list(grid.columns), y=list(grid.index), text=text,
                               texttemplate="%{text}", colorscale="Blues",
                               hovertemplate="%{y}: %{z} studies on %{x}<extra></extra>",
                               colorbar=dict(title="studies")))
    fig.update_yaxes(autorange="reversed")
    return _layout(fig, title, height=max(300, 120 + 26 * len(grid)))


def run_metrics(runs: pd.DataFrame, title: str | None = None) -> go.Figure:
    """The latest value of each metric per reproduction method (query.reproduction_runs)."""
    if runs.empty:
        return empty("No reproduction runs recorded yet")
    latest = runs.drop_duplicates("method")  # runs come newest first
    rows = [(m, k, v) for m, metrics in zip(latest["method"], latest["metrics"]) for k, v in metrics.items()]
    if not rows:
        return empty("The runs recorded no metrics")
    frame = pd.DataFrame(rows, columns=["method", "metric", "value"])
    fig = go.Figure()
    for i, metric in enumerate(sorted(frame["metric"].unique())):
        part = frame[frame["metric"] == metric]
        fig.add_bar(name=metric, x=part["method"], y=part["value"], marker_color=PALETTE[i % len(PALETTE)],
                    hovertemplate=metric + " %{x}: %{y}<extra></extra>")
    fig.update_layout(barmode="group", legend_title_text="metric")
    return _layout(fig, title, height=400)
