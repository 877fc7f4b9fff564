"""Modality pairs: the directed chord diagram (the review's Figure 8) and its studies."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import streamlit as st

from app import common, data, figures
from reviewdb import vocabulary as V
from reviewdb.query import pair_codes

VIEWS = {"catalog": "Catalog counts", "reported": "Review's reported tallies", "difference": "Difference"}


def pair_options(matrix: pd.DataFrame) -> list[str]:
    """``"MRI->CT"`` for every pair with a count on either side, most studies first."""
    m = matrix[(matrix["catalog"] > 0) | matrix["reported"].fillna(0).gt(0)]
    m = m.assign(_n=m["catalog"] + m["reported"].fillna(0)).sort_values("_n", ascending=False)
    return [f"{s}->{t}" for s, t in zip(m["source"], m["target"])]


def render_pairs(level: str, title: str, figure_label: str) -> None:
    view = common.current()
    common.header(title, view, "A study counts once per distinct (source, target) pair.")
    value = common.param_choice("Show", list(VIEWS), "view", "catalog", format_func=VIEWS.get,
                               key=f"p_view_{level}")
    matrix = data.pairs(view.url, view.key, level)
    if value != "catalog" and view.filtered:
        st.warning("The review's tallies cannot be filtered: with filters on, the difference compares "
                   "a filtered catalog with the whole review.")
    codes = pair_codes(level)
    shown = matrix[matrix[value].notna() & (matrix[value] != 0)]
    if matrix.empty or shown.empty:
        if value == "catalog":
            common.has_studies(view)
        st.info(f"No {figure_label} pairs to draw in this view "
                f"({'no pair matches the filters' if value == 'catalog' else 'the review reports no tally for them'}).")
    left, right = st.columns([3, 2])
    with left:
        fig = data.figure("chord", matrix, value, codes, f"{figure_label}: {VIEWS[value].lower()}")
        event = st.plotly_chart(fig, key=f"chord_{level}", on_select="rerun", selection_mode="points")
    options = pair_options(matrix)
    points = (event or {}).get("selection", {}).get("points", []) if event else []
    for p in points:
        cd = p.get("customdata")
        if cd and len(cd) >= 2 and f"{cd[0]}->{cd[1]}" in options:
            st.session_state[f"p_pair_{level}"] = f"{cd[0]}->{cd[1]}"
    with right:
        st.caption(f"Source (rows) → target (columns): {figures.CHORD_VALUES[value]}")
        st.plotly_chart(data.figure("pair_heatmap", matrix, value, codes), key=f"heat_{level}")
    st.subheader("Pairs")
    table = matrix.assign(pair=[f"{s} → {t}" for s, t in zip(matrix["source"], matrix["target"])])
    st.dataframe(table[["pair", "catalog", "reported", "difference"]], hide_index=True, key=f"pairs_{level}",
                 column_config={"difference": st.column_config.NumberColumn(help="catalog minus reported")})
    if not options:
        return
    labels = dict(zip(options, options))
    for row in matrix.itertuples(index=False):
        rep = "no tally" if pd.isna(row.reported) else f"{int(row.reported)} reported"
        labels[f"{row.source}->{row.target}"] = f"{row.source} → {row.target} ({row.catalog} in catalog, {rep})"
    pair = common.param_choice("Studies of the pair (or click a ribbon's dot)", ["", *options], "pair", "",
                               format_func=lambda p: labels.get(p, "choose a pair"), widget="select",
                               key=f"p_pair_{level}")
    if pair:
        studies_of_pair(view, *pair.split("->", 1))


def studies_of_pair(view: common.View, source: str, target: str) -> None:
    f = view.filter
    src = f.source if f.source and source in V.ancestors_and_self(f.source) else source
    tgt = f.target if f.target and target in V.ancestors_and_self(f.target) else target
    fk = data.key(replace(f, source=src, target=tgt))
    frame, total = data.page(view.url, fk, limit=500)
    st.markdown(f"**{total} studies translate {source} → {target}**" + (" (matching the filters)" if view.filtered else ""))
    if total == 0:
        st.info("The catalog holds no study of this pair (the review may still report some).")
        return
    shown = frame[["title", "year", "venue", "pairs", "families", "architectures", "anatomy", "link"]]
    st.dataframe(shown.assign(details=common.detail_links(frame["citekey"])),
                 hide_index=True, key="pair_studies",
                 column_config={"details": st.column_config.LinkColumn("details", display_text="study page"),
                                "link": st.column_config.LinkColumn("link", display_text="open"),
                                "year": st.column_config.NumberColumn(format="%d")})
    if total > len(frame):
        st.caption(f"The first {len(frame)} of {total}; the Study explorer pages through all of them.")


def render() -> None:
    render_pairs("top", "Modality pairs", "Modality translation")


if __name__ == "__main__":
    render()
