"""PRISMA 2020: the flow numbers derived from the screening log, its diagram and its CSV.

Counts follow the PRISMA 2020 flow diagram for new reviews with a previous version (the
catalog is the previous version): identification by source (each mined file), duplicates
removed before screening, records screened at title/abstract and excluded (per criterion),
reports sought and assessed at full text and excluded (per criterion), new studies included,
and the total with the catalog's studies. :func:`prisma_csv` writes them in the layout of the
PRISMA2020 Shiny app / R package template (``data, node, box, description, boxtext,
tooltips, url, n``), so the app draws the same diagram.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
from sqlalchemy import func, select

from reviewdb import vocabulary as V
from reviewdb.db import ensure_schema, session_scope
from reviewdb.mining import decisions as D
from reviewdb.mining.models import ScreeningBatch, ScreeningRecord
from reviewdb.models import Study

MAIN = "#e8f0fb"
SIDE = "#fdf1e6"
LINE = "#3b5b8c"


def _code(reason: str | None) -> str:
    return (V.exclusion_code(reason) or "other") if reason else "no reason"


def counts(url: str | None = None, batch: int | None = None) -> dict[str, Any]:
    """Every PRISMA 2020 box, per stage, from the records and their decisions."""
    ensure_schema(url)
    q = select(ScreeningRecord.id, ScreeningRecord.status, ScreeningRecord.study_citekey, ScreeningBatch.source) \
        .join(ScreeningBatch)
    if batch is not None:
        q = q.where(ScreeningRecord.batch_id == batch)
    with session_scope(url) as s:
        rows = s.execute(q).all()
        previous = s.execute(select(func.count()).select_from(Study).where(Study.excluded.is_(False))).scalar()
    ids = [r.id for r in rows]
    ta = D.states(url, D.TITLE_ABSTRACT, ids)
    ft = D.states(url, D.FULL_TEXT, ids)
    c: dict[str, Any] = dict(identified=len(rows), duplicates=0, screened=0, pending=0, conflicts=0, excluded=0,
                             included=0, fulltext_sought=0, fulltext_pending=0, fulltext_assessed=0,
                             fulltext_excluded=0, studies_included=0, accepted=0, previous_studies=previous)
    sources: dict[str, int] = {}
    reasons: dict[str, int] = {}
    ft_reasons: dict[str, int] = {}
    for r in rows:
        sources[Path(r.source).name] = sources.get(Path(r.source).name, 0) + 1
        st = ta.get(r.id)
        if r.status == "duplicate" and not (st and st.votes):
            c["duplicates"] += 1
            continue
        c["screened"] += 1
        state = st.state if st else "pending"
        if state in ("pending", "conflict"):
            c["pending"] += 1
            c["conflicts"] += state == "conflict"
            continue
        if state == "excluded":
            c["excluded"] += 1
            reasons[_code(st.reason)] = reasons.get(_code(st.reason), 0) + 1
            continue
        c["included"] += 1
        c["fulltext_sought"] += 1
        c["accepted"] += bool(r.study_citekey)
        f = ft.get(r.id)
        fstate = f.state if f else "pending"
        if fstate in ("pending", "conflict"):
            c["fulltext_pending"] += 1
            continue
        c["fulltext_assessed"] += 1
        if fstate == "excluded":
            c["fulltext_excluded"] += 1
            ft_reasons[_code(f.reason)] = ft_reasons.get(_code(f.reason), 0) + 1
        else:
            c["studies_included"] += 1
    order = lambda d: dict(sorted(d.items(), key=lambda kv: (-kv[1], kv[0])))  # noqa: E731
    c["sources"] = order(sources)
    c["excluded_reasons"] = order(reasons)
    c["fulltext_excluded_reasons"] = order(ft_reasons)
    c["total_studies"] = previous + c["studies_included"]
    return c


# --- the PRISMA2020 app's CSV ------------------------------------------------------------------

#: (data, node, box, what it counts) in the order of the PRISMA2020 template
_ROWS = [
    ("previous_studies", "node5", "box1", "Studies included in the previous version (the catalog)"),
    ("database_results", "node7", "box2", "Records identified from databases (mined files)"),
    ("register_results", "NA", "box2", "Records identified from registers"),
    ("website_results", "node17", "box11", "Records identified from websites"),
    ("organisation_results", "NA", "box11", "Records identified from organisations"),
    ("citations_results", "NA", "box11", "Records identified from citation searching"),
    ("duplicates", "node8", "box3", "Duplicate records removed"),
    ("excluded_automatic", "NA", "box3", "Records marked ineligible by automation tools"),
    ("excluded_other", "NA", "box3", "Records removed for other reasons"),
    ("records_screened", "node9", "box4", "Records screened (title/abstract)"),
    ("records_excluded", "node10", "box5", "Records excluded (title/abstract)"),
    ("dbr_sought_reports", "node11", "box6", "Reports sought for retrieval"),
    ("dbr_notretrieved_reports", "node12", "box7", "Reports not retrieved"),
    ("other_sought_reports", "node18", "box12", "Reports sought for retrieval (other methods)"),
    ("other_notretrieved_reports", "node19", "box13", "Reports not retrieved (other methods)"),
    ("dbr_assessed", "node13", "box8", "Reports assessed for eligibility (full text)"),
    ("dbr_excluded", "node14", "box9", "Reports excluded (full text), by reason"),
    ("other_assessed", "node20", "box14", "Reports assessed for eligibility (other methods)"),
    ("other_excluded", "node21", "box15", "Reports excluded (other methods)"),
    ("new_studies", "node15", "box10", "New studies included in the review"),
    ("new_reports", "NA", "box10", "Reports of new included studies"),
    ("total_studies", "node22", "box16", "Total studies included in the review"),
    ("total_reports", "NA", "box16", "Reports of total included studies"),
]


def prisma_csv(c: dict[str, Any]) -> str:
    """The counts as the PRISMA2020 Shiny app's CSV template (upload it there to draw it)."""
    ft_reasons = "; ".join(f"{r}, {n}" for r, n in c.get("fulltext_excluded_reasons", {}).items()) or "0"
    values = dict(previous_studies=c.get("previous_studies", 0), database_results=c.get("identified", 0),
                  duplicates=c.get("duplicates", 0), records_screened=c.get("screened", 0),
                  records_excluded=c.get("excluded", 0), dbr_sought_reports=c.get("fulltext_sought", 0),
                  dbr_notretrieved_reports=0, dbr_assessed=c.get("fulltext_assessed", 0), dbr_excluded=ft_reasons,
                  new_studies=c.get("studies_included", 0), new_reports=c.get("studies_included", 0),
                  total_studies=c.get("total_studies", 0), total_reports=c.get("total_studies", 0))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["data", "node", "box", "description", "boxtext", "tooltips", "url", "n"])
    for data, node, box, text in _ROWS:
        w.writerow([data, node, box, text, text, text, "NA", values.get(data, 0)])
    return buf.getvalue()


# --- the diagram -----------------------------------------------------------------------------------


def _box(fig: go.Figure, x0: float, y0: float, x1: float, y1: float, text: str, fill: str) -> None:
    fig.add_shape(type="rect", x0=x0, y0=y0, x1=x1, y1=y1, line=dict(color=LINE, width=1.5), fillcolor=fill)
    fig.add_annotation(x=(x0 + x1) / 2, y=(y0 + y1) / 2, text=text, showarrow=False, align="center",
                       font=dict(size=12))


def _arrow(fig: go.Figure, x0: float, y0: float, x1: float, y1: float) -> None:
    fig.add_annotation(x=x1, y=y1, ax=x0, ay=y0, xref="x", yref="y", axref="x", ayref="y", text="",
                       showarrow=True, arrowhead=2, arrowsize=1.2, arrowwidth=1.5, arrowcolor=LINE)


def _lines(d: dict[str, int], k: int = 5) -> str:
    items = list(d.items())
    shown = "".join(f"<br>{r}: {n}" for r, n in items[:k])
    rest = sum(n for _, n in items[k:])
    return shown + (f"<br>other reasons: {rest}" if rest else "")


def prisma_figure(c: dict[str, Any]) -> go.Figure:
    """The PRISMA 2020 flow diagram (new studies via databases, previous version = catalog)."""
    g = lambda k: c.get(k, 0)  # noqa: E731
    fig = go.Figure()
    L, R = (0.0, 4.6), (5.4, 10.0)
    ys = {"id": (9.0, 10.4), "ta": (6.6, 8.0), "ft": (4.2, 5.6), "as": (1.8, 3.2), "inc": (-0.8, 0.8)}
    sources = "".join(f"<br>{name}: {n}" for name, n in list(c.get("sources", {}).items())[:4])
    _box(fig, L[0], *ys["id"][:1], L[1], ys["id"][1],
         f"<b>Identification</b><br>Records identified from files: {g('identified')}{sources}", MAIN)
    _box(fig, R[0], ys["id"][0], R[1], ys["id"][1],
         f"Records removed before screening:<br>duplicate records: {g('duplicates')}", SIDE)
    _box(fig, L[0], ys["ta"][0], L[1], ys["ta"][1],
         f"<b>Screening</b><br>Records screened (title/abstract): {g('screened')}"
         f"<br>awaiting a decision: {g('pending')} (conflicts: {g('conflicts')})", MAIN)
    _box(fig, R[0], ys["ta"][0] - 0.4, R[1], ys["ta"][1] + 0.4,
         f"Records excluded: {g('excluded')}{_lines(c.get('excluded_reasons', {}))}", SIDE)
    _box(fig, L[0], ys["ft"][0], L[1], ys["ft"][1], f"Reports sought for retrieval: {g('fulltext_sought')}", MAIN)
    _box(fig, R[0], ys["ft"][0], R[1], ys["ft"][1], "Reports not retrieved: 0", SIDE)
    _box(fig, L[0], ys["as"][0], L[1], ys["as"][1],
         f"Reports assessed for eligibility: {g('fulltext_assessed')}<br>awaiting full text: {g('fulltext_pending')}",
         MAIN)
    _box(fig, R[0], ys["as"][0] - 0.4, R[1], ys["as"][1] + 0.4,
         f"Reports excluded: {g('fulltext_excluded')}{_lines(c.get('fulltext_excluded_reasons', {}))}", SIDE)
    _box(fig, L[0], ys["inc"][0], L[1], ys["inc"][1],
         f"<b>Included</b><br>New studies included: {g('studies_included')}<br>"
         f"Total with the catalog ({g('previous_studies')}): {g('total_studies')}", MAIN)
    mid = (L[0] + L[1]) / 2
    for a, b in (("id", "ta"), ("ta", "ft"), ("ft", "as"), ("as", "inc")):
        _arrow(fig, mid, ys[a][0], mid, ys[b][1])
    for a in ("id", "ta", "ft", "as"):
        _arrow(fig, L[1], sum(ys[a]) / 2, R[0], sum(ys[a]) / 2)
    fig.update_xaxes(visible=False, range=[-0.2, 10.2])
    fig.update_yaxes(visible=False, range=[-1.0, 10.8])
    fig.update_layout(title="PRISMA 2020 flow of the screened records", height=640,
                      margin=dict(l=10, r=10, t=50, b=10), plot_bgcolor="white", showlegend=False)
    fig.layout.meta = {"counts": {k: v for k, v in c.items()}}
    return fig


__all__ = ["counts", "prisma_csv", "prisma_figure"]
