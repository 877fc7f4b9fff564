"""Reproductions and claims: runs written back by `reviewdb reproduce` and `reviewdb claims`."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import streamlit as st

from app import common, data


BUNDLED = Path(__file__).resolve().parents[2] / "reviewdb" / "data"


def render() -> None:
    view = common.current()
    common.header("Reproductions and claims", view,
                  "Runs of reviewdb's re-implementations and verdicts on the review's claims. Reference results "
                  "ship with the catalog (measured with this project's runner); your own runs appear beside them.")
    runs = data.runs(view.url)
    st.header("Reproduction runs")
    if runs.empty:
        st.info("No reproduction has been run yet. Start one with `reviewdb reproduce pix2pix --quick`; "
                "its metrics appear here and beside the studies that use its architecture.")
    else:
        runs = runs.assign(kind=runs["reference"].map({True: "reference (shipped)", False: "your run"}))
        st.plotly_chart(data.figure("run_metrics", runs, "Latest metrics per method"), key="fig_runs")
        table = runs.assign(
            architectures=runs["architectures"].map(", ".join),
            data=runs["config"].map(_data_source),
            metrics=runs["metrics"].map(lambda m: ", ".join(f"{k}={v:.4g}" for k, v in m.items())))
        st.dataframe(table[["kind", "method", "data", "architectures", "metrics", "device", "wall_time_s",
                            "code_version", "command"]], hide_index=True, key="runs_table")
        _samples(runs)
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
                          kind=latest["reference"].map({True: "reference (shipped)", False: "your run"}),
                          ci=[_ci(lo, hi) for lo, hi in zip(latest["ci_low"], latest["ci_high"])])
    st.dataframe(table[["kind", "code", "statement", "verdict", "numbers", "ci", "n_seeds", "command"]],
                 hide_index=True, key="claims_table")


def _data_source(config: dict) -> str:
    """Where a run's numbers come from: simulated slices (seed) or a named data set."""
    if not isinstance(config, dict):
        return ""
    mc = config.get("method_config") or {}
    pair = f"{', '.join(mc.get('sources') or [])} -> {mc.get('target')}" if mc.get("target") else "creation"
    where = "simulated" if config.get("data") == "simulated" else str(config.get("data"))
    return f"{where} (seed {config.get('seed')}), {pair}"


def _samples(runs: pd.DataFrame) -> None:
    """The sample grid of each method's latest run (reference grids ship as PNGs)."""
    shown = runs.drop_duplicates("method")
    images = []
    for r in shown.itertuples():
        path = None
        if isinstance(r.artifacts_dir, str) and r.artifacts_dir.startswith("bundled:"):
            path = BUNDLED / r.artifacts_dir.removeprefix("bundled:")
        elif isinstance(r.artifacts_dir, str):
            path = Path(r.artifacts_dir) / "samples.png"
        if path is not None and path.is_file():
            images.append((r.method, path, r.kind))
    if not images:
        return
    with st.expander(f"Sample grids ({len(images)} methods): real, generated, generated"):
        cols = st.columns(min(3, len(images)))
        for i, (method, path, kind) in enumerate(images):
            cols[i % len(cols)].image(str(path), caption=f"{method} ({kind})")


def _numbers(d: dict) -> str:
    return ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in d.items())


def _ci(lo, hi) -> str:
    return "" if pd.isna(lo) or pd.isna(hi) else f"[{lo:.3g}, {hi:.3g}]"


if __name__ == "__main__":
    render()
