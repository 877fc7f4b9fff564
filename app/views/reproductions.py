"""Reproductions and claims: runs written back by `reviewdb reproduce` and `reviewdb claims`."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app import common, data, figures


def render() -> None:
    view = common.current()
    common.header("Reproductions and claims", view,
                  "Runs of reviewdb's re-implementations and verdicts on the review's claims.")
    runs = data.runs(view.url)
    st.header("Reproduction runs")
    if runs.empty:
        st.info("No reproduction has been run yet. Start one with `reviewdb reproduce pix2pix --quick`; "
                "its metrics appear here and beside the studies that use its architecture.")
    else:
        st.plotly_chart(figures.run_metrics(runs, "Latest metrics per method"), key="fig_runs")
        table = runs.assign(
            architectures=runs["architectures"].map(", ".join),
            metrics=runs["metrics"].map(lambda m: ", ".join(f"{k}={v:.4g}" for k, v in m.items())))
        st.dataframe(table[["method", "architectures", "metrics", "device", "wall_time_s", "created_at",
                            "code_version", "command"]], hide_index=True, key="runs_table")
    st.header("Claim verdicts")
    verdicts = data.verdicts(view.url)
    if verdicts.empty:
        st.info("No claim of the review has been tested yet. Run `reviewdb claims` to test them.")
        return
    latest = verdicts.drop_duplicates("code")
    c = st.columns(3)
    for i, v in enumerate(("supported", "not supported", "inconclusive")):
        c[i].metric(v.capitalize(), int((latest["verdict"] == v).sum()))
    table = latest.assign(numbers=latest["numbers"].map(_numbers),
                          ci=[_ci(lo, hi) for lo, hi in zip(latest["ci_low"], latest["ci_high"])])
    st.dataframe(table[["code", "statement", "verdict", "numbers", "ci", "n_seeds", "created_at", "command"]],
                 hide_index=True, key="claims_table")


def _numbers(d: dict) -> str:
    return ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in d.items())


def _ci(lo, hi) -> str:
    return "" if pd.isna(lo) or pd.isna(hi) else f"[{lo:.3g}, {hi:.3g}]"


if __name__ == "__main__":
    render()
