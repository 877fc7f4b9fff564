"""Datasets: which public data sets serve which modality pairs, with their facts."""

from __future__ import annotations

import streamlit as st

from app import common, data
from reviewdb import vocabulary as V


def render() -> None:
    view = common.current()
    common.header("Datasets", view, "Counts are over the whole catalog; the source/target filter picks data sets.")
    frame = data.datasets(view.url)
    if frame.empty:
        st.info("The database holds no data sets yet.")
        return
    f = view.filter
    if f.source or f.target:
        src = f.source and V.ancestors_and_self(f.source)[-1]
        tgt = f.target and V.ancestors_and_self(f.target)[-1]
        want = f"{src or ''} -> {tgt or ''}"
        keep = frame["pairs"].map(lambda p: any((not src or item.startswith(src + " ->"))
                                               and (not tgt or f"-> {tgt} (" in item)
                                               for item in (p or "").split("; ")))
        frame = frame[keep]
        st.caption(f"Data sets used for {want.strip()}.")
        if frame.empty:
            st.info("No data set in the catalog serves this modality pair.")
            return
    public = frame[frame["public"].fillna(False).astype(bool)]
    c = st.columns(3)
    c[0].metric("Data sets", len(frame))
    c[1].metric("Public", len(public))
    c[2].metric("Used by studies", int((frame["studies"] > 0).sum()))
    st.plotly_chart(data.figure("dataset_pairs", frame, "Studies per data set and top-level modality pair"),
                    key="fig_datasets")
    st.dataframe(frame, hide_index=True, key="datasets_table", column_config={
        "url": st.column_config.LinkColumn("url", display_text="home"),
        "evidence_url": st.column_config.LinkColumn("evidence", display_text="source"),
        "public": st.column_config.CheckboxColumn("public"),
    })


if __name__ == "__main__":
    render()
