"""Reported metrics: the values studies reported per modality pair and metric."""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from app import common, data
from app.views.chord import pair_options
from reviewdb import vocabulary as V
from reviewdb.errors import UnknownTerm

MAX_GROUPS = 20
LARGE = 20_000  # above this many matching studies, one modality pair at a time
MAX_POINTS = 5_000  # drawn in the strip plot; a browser slows to a crawl on 100,000 markers
MAX_ROWS = 2_000  # listed in the table; the summary covers every value


def render() -> None:
    view = common.current()
    common.header("Reported metrics", view,
                  "Values as the studies reported them; different data sets and protocols, so compare with care.")
    raw = st.query_params.get("metric")
    if raw and raw not in V.METRICS:  # a synonym in the link ("mae", "dsc") is fine
        try:
            st.query_params["metric"] = V.METRIC.normalise(raw)
        except UnknownTerm:
            pass  # param_choice names it
    metric = common.param_choice("Metric", list(V.METRICS), "metric", "MAE", widget="select",
                                 format_func=lambda m: f"{m}: {V.METRICS[m][0]} ({V.METRICS[m][1]} is better)")
    n = common.has_studies(view)
    if not n:
        return
    f = view.filter
    if not (f.source or f.target):
        options = pair_options(data.pairs(view.url, view.key, "top"))
        large = n > LARGE
        choices = options if large and options else ["", *options]
        pair = common.param_choice("Modality pair", choices, "pair", choices[0], widget="select",
                                   format_func=lambda p: p.replace("->", " → ") if p else "all pairs")
        if large:
            st.caption(f"{n:,} studies match: values are shown one top-level pair at a time.")
        if pair:
            src, tgt = pair.split("->", 1)
            f = replace(f, source=src, target=tgt)
    results = data.results(view.url, data.key(f), metric)
    if results.empty:
        st.info(f"No study matching these filters reports {metric}. Try another metric or widen the filters.")
        return
    groups = (results["pair"].replace("", "no pair") + results["unit"].fillna("").map(lambda u: f" [{u}]" if u else ""))
    counts = groups.value_counts()
    shown = results[groups.isin(counts.index[:MAX_GROUPS])]
    n_studies = results["citekey"].nunique()
    st.markdown(f"**{len(results)} {metric} values from {n_studies} studies**, in {len(counts)} pair/unit groups"
                + (f"; the {MAX_GROUPS} largest are drawn." if len(counts) > MAX_GROUPS else "."))
    drawn = shown if len(shown) <= MAX_POINTS else shown.sample(MAX_POINTS, random_state=0).sort_index()
    if len(drawn) < len(shown):
        st.caption(f"The plot draws a random sample of {MAX_POINTS:,} of the {len(shown):,} values "
                   "(the same sample on every visit); the summary below counts them all.")
    event = st.plotly_chart(data.figure("metric_strip", drawn, metric, f"{metric} reported per modality pair"),
                            key="fig_metric", on_select="rerun", selection_mode="points")
    picked = [p.get("customdata") for p in (event or {}).get("selection", {}).get("points", []) if p.get("customdata")]
    if picked:
        st.markdown("Selected: " + "; ".join(f"[{cd[1]} ({cd[2]})]({cd[3]})" for cd in picked if len(cd) > 3))
    table = results[["title", "year", "pair", "value", "unit", "dataset", "note", "link", "evidence_url", "citekey"]]
    if len(table) > MAX_ROWS:
        st.caption(f"The table lists the first {MAX_ROWS:,} of {len(table):,} values; narrow the filters "
                   "or export them with `reviewdb query --metric` for all.")
        table = table.head(MAX_ROWS)
    table = table.assign(details=common.detail_links(table["citekey"]))
    st.dataframe(table, hide_index=True, key="metric_table", column_config={
        "details": st.column_config.LinkColumn("details", display_text="study page"),
        "title": st.column_config.TextColumn(width="large"),
        "year": st.column_config.NumberColumn(format="%d"),
        "link": st.column_config.LinkColumn("study", display_text="open"),
        "evidence_url": st.column_config.LinkColumn("evidence", display_text="source"),
    })
    summary = shown.assign(group=groups[shown.index]).groupby("group")["value"].agg(["count", "median", "min", "max"])
    with st.expander("Summary per pair"):
        st.dataframe(summary.sort_values("count", ascending=False).reset_index(), hide_index=True)


if __name__ == "__main__":
    render()
