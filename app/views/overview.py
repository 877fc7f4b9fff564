"""Overview: the catalog against the review's 232 studies, by status, task and family."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import common, data


def render() -> None:
    view = common.current()
    common.header("Generative models for medical image creation and translation", view,
                  "A catalog of the studies behind Pang et al.'s scoping review (232 included studies).")
    s = data.headline(view.url)
    total = s.get("review_total")
    cols = st.columns(5)
    cols[0].metric("Studies catalogued", s["catalogued"],
                   help="Every study in the database, whatever its inclusion status")
    cols[1].metric("Studies the review includes", total if total is not None else "n/a")
    cols[2].metric("Confirmed", s["confirmed"], help="Named by the review itself")
    cols[3].metric("Candidates", s["candidate"],
                   help="Meet the review's inclusion criteria, not confirmed as one of its studies")
    cols[4].metric("Excluded", s["excluded"],
                   help="Checked against the review's criteria and failing one (the reason is shown in the "
                        "explorer); kept so the next curator does not check them again")
    if total:
        st.progress(min(1.0, s["confirmed"] / total),
                    text=f"{s['confirmed']} of the review's {total} studies confirmed in the catalog "
                         f"({100 * s['confirmed'] / total:.0f}%); {s['candidate']} candidates, "
                         f"{s['excluded']} excluded.")
    n = common.has_studies(view)
    if n:
        if view.filtered:
            st.subheader(f"{n} studies match the filters")
        left, right = st.columns(2)
        left.plotly_chart(data.figure("stacked_counts", data.counts(view.url, view.key, "task", "status"), "task",
                                                 "status", "Studies by task", horizontal=True),
                          key="fig_task")
        right.plotly_chart(data.figure("stacked_counts", data.counts(view.url, view.key, "family", "status"),
                                                  "family", "status", "Studies by model family",
                                                  horizontal=True), key="fig_family")
    st.header("The review's numbers against the catalog")
    big = s["catalogued"] > COVERAGE_AUTO_MAX
    if st.toggle("Compare the catalog with every tally the review reports", value=not big, key="ov_cov",
                 help="Counts the whole catalog by the review's rules; slow on very large catalogs"):
        coverage()
        inconsistencies()
    else:
        st.caption(f"The comparison reads the whole catalog ({s['catalogued']:,} studies); switch it on above.")


C_SHAPE_HELP = "catalog/reported below 80 % is thin, above 125 % thick"
COVERAGE_AUTO_MAX = 5000  # above this many studies the comparison waits for the user


def coverage() -> None:
    view = common.current()
    full = data.summary(view.url)
    if full and full.get("with_results") is not None:
        st.markdown(f"**{full['with_results']}** catalogued studies report results "
                    f"(**{full['results']}** values in all).")
    table = data.coverage_table(view.url)
    if table is None:
        tallies = data.tallies(view.url)
        st.info("The coverage report (reviewdb.coverage) is not available in this version; "
                "the review's own tallies are listed below.")
        st.dataframe(tallies, hide_index=True)
        return
    if table.empty:
        st.info("The database holds none of the review's tallies yet.")
        return
    if view.filtered:
        st.caption("The comparison is over the whole catalog: the review's tallies cannot be filtered.")
    dims = list(dict.fromkeys(table["dimension"]))
    dim = st.selectbox("Compare by", dims, key="ov_dim")
    part = table[table["dimension"] == dim]
    st.markdown(f"**Shape of the catalog** ({C_SHAPE_HELP}): "
                f"{data.shape_summary(view.url)}")
    st.plotly_chart(data.figure("reported_vs_catalog", part, f"{dim}: the review's tally beside the catalog's count"),
                    key="fig_coverage")
    st.dataframe(table, hide_index=True, column_config={
        "difference": st.column_config.NumberColumn(help="catalog minus reported")})


def inconsistencies() -> None:
    view = common.current()
    st.subheader("Where the review contradicts itself")
    frame = data.inconsistencies(view.url)
    if frame is None:
        st.info("The inconsistency report (reviewdb.coverage) is not available in this version.")
        return
    if frame.empty:
        st.success("No internal inconsistencies in the review are recorded.")
        return
    bad = frame[~frame["consistent"].astype(bool)] if "consistent" in frame else frame
    good = frame[frame["consistent"].astype(bool)] if "consistent" in frame else frame.iloc[0:0]
    if bad.empty:
        st.success(f"All {len(good)} cross-checks of the review's own numbers agree.")
    for row in bad.itertuples(index=False):
        st.warning(f"**{row.topic}**: {row.statement} ({_values(row.values)})")
    if not good.empty:
        st.caption("Checks that agree: " + "; ".join(f"{t} ({v})" for t, v in zip(good["topic"], good["values"])))
    st.dataframe(frame, hide_index=True, key="inconsistencies_table")


def _values(v) -> str:
    if isinstance(v, dict):
        return "; ".join(f"{k}: {x}" for k, x in v.items())
    if isinstance(v, (list, tuple)):
        return "; ".join(map(str, v))
    return "" if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v)


if __name__ == "__main__":
    render()
