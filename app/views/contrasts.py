"""MRI contrasts: single-contrast pairs (Figure 9a) and multi-contrast groups (Figure 9b)."""

from __future__ import annotations

import streamlit as st

from app import common, data
from app.views.chord import render_pairs

LARGE = 20_000  # above this many matching studies the group count waits for the user


def render() -> None:
    render_pairs("MRI", "MRI contrast translation", "MRI contrast")
    view = common.current()
    st.header("Multi-contrast translations (Figure 9b)")
    n = data.count(view.url, view.key)
    if not st.toggle("Count the multi-contrast groups", value=n <= LARGE, key="ct_groups",
                     help="Reads every translation of the matching studies; slow on very large catalogs"):
        st.caption(f"{n:,} studies match: switch the count on above, or narrow the filters.")
        return
    groups = data.groups(view.url, view.key)
    if groups.empty:
        st.info("No multi-contrast MRI translation matches these filters.")
        return
    st.plotly_chart(data.figure("contrast_groups", groups, "Studies per source set → target set"), key="fig_groups")
    st.dataframe(groups, hide_index=True, key="groups_table")


if __name__ == "__main__":
    render()
