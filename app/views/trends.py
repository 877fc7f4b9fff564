"""Trends: studies per year, stacked by model family and by task."""

from __future__ import annotations

import streamlit as st

from app import common, data


def render() -> None:
    view = common.current()
    common.header("Trends", view, "A study with two model families counts once under each.")
    n = common.has_studies(view)
    if not n:
        return
    by_family = data.counts(view.url, view.key, "year", "family")
    by_task = data.counts_year_task(view.url, view.key)
    years = data.counts(view.url, view.key, "year")
    st.metric("Studies", n)
    st.plotly_chart(data.figure("trends", by_family, "family", "Studies per year by model family"), key="fig_year_family")
    st.plotly_chart(data.figure("trends", by_task, "task", "Studies per year by task"), key="fig_year_task")
    with st.expander("The numbers"):
        table = years.rename(columns={"studies": "all"}).set_index("year")
        wide = by_family.pivot_table(index="year", columns="family", values="studies", fill_value=0)
        st.dataframe(table.join(wide).reset_index(), hide_index=True)
    if years["year"].isna().any():
        st.caption(f"{int(years.loc[years['year'].isna(), 'studies'].sum())} studies have no year.")


if __name__ == "__main__":
    render()
