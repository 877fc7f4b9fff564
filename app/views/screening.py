"""Screening: mined records with their proposals, include/exclude with a reason, PRISMA flow.

Reads and writes only through :mod:`reviewdb.mining.screening`; the figure is
:func:`reviewdb.mining.prisma.prisma_figure`.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reviewdb.errors import ReviewDBError
from reviewdb.mining import screening as S
from reviewdb.mining.models import STATUSES
from reviewdb.mining.prisma import prisma_figure

REASONS = ["not a generative model", "no medical images", "not creation or translation",
           "review / survey", "no full text", "out of time window", "other"]


def _url() -> str:
    try:
        from app import common

        return common.current().url
    except Exception:  # page rendered on its own (tests, `streamlit run app/pages/screening.py`)
        from reviewdb.db import resolve_url

        return resolve_url(None)


def render() -> None:
    url = _url()
    st.title("Screening")
    st.caption("Entries mined from BibTeX exports (`reviewdb mine FILE.bib`): proposed annotations with the "
               "words that triggered them, duplicates flagged, and the reviewer's decisions.")
    try:
        counts = S.prisma_counts(url)
    except ReviewDBError as exc:
        st.error(str(exc))
        return
    if not counts["identified"]:
        st.info("No screening records yet. Mine a file first: `reviewdb mine export.bib`.")
        return
    cols = st.columns(5)
    for col, (label, key) in zip(cols, [("Identified", "identified"), ("Duplicates", "duplicates"),
                                        ("Pending", "pending"), ("Excluded", "excluded"),
                                        ("Included", "included")]):
        col.metric(label, counts[key])

    left, right = st.columns([3, 2])
    with left:
        status = st.selectbox("Status", ["pending", *[s for s in STATUSES if s != "pending"], "all"], index=0)
        text = st.text_input("Title contains", "")
        frame = S.list_records(url, status=None if status == "all" else status, text=text or None, limit=500)
        st.dataframe(frame[["id", "status", "title", "year", "task", "translations", "families", "anatomy",
                            "duplicate_of", "reason", "study"]], hide_index=True, width="stretch")
    with right:
        _decide(url, frame)
    st.plotly_chart(prisma_figure(counts), key="prisma_flow")


def _decide(url: str, frame: pd.DataFrame) -> None:
    if frame.empty:
        st.info("No records with this status.")
        return
    rid = st.selectbox("Record", frame["id"].tolist(),
                       format_func=lambda i: f"#{i}: {frame.loc[frame['id'] == i, 'title'].iloc[0][:70]}")
    d = S.record_detail(int(rid), url)
    st.markdown(f"**{d['title']}**  \n{d.get('authors') or ''} ({d.get('year') or 'n.d.'}), {d.get('venue') or ''}")
    if d.get("duplicate_of"):
        st.warning(f"Possible duplicate of {d['duplicate_of']} ({d['duplicate_kind']}, score {d['duplicate_score']})")
    if d.get("abstract"):
        with st.expander("Abstract"):
            st.write(d["abstract"])
    props = pd.DataFrame(d["proposals"], columns=["field", "value", "trigger", "where", "rule"])
    props["value"] = props["value"].map(lambda v: f"{', '.join(v['sources']) or '?'} -> {', '.join(v['targets'])}"
                                        if isinstance(v, dict) else str(v))
    st.dataframe(props, hide_index=True, width="stretch")
    c1, c2 = st.columns(2)
    if c1.button("Include", key=f"inc_{rid}", type="primary"):
        _act(lambda: S.include(int(rid), url), "included")
    reason = c2.selectbox("Reason", REASONS, key=f"reason_{rid}")
    other = c2.text_input("Other reason", key=f"other_{rid}") if reason == "other" else ""
    if c2.button("Exclude", key=f"exc_{rid}"):
        _act(lambda: S.exclude(int(rid), other if reason == "other" else reason, url), "excluded")
    evidence = st.text_input("Evidence URL (required to accept)", d["completions"].get("evidence", ""),
                             key=f"ev_{rid}")
    if st.button("Accept into the catalog", key=f"acc_{rid}"):
        values = {"evidence": evidence} if evidence else {}
        _act(lambda: S.accept(int(rid), url, values=values), "accepted")


def _act(fn, what: str) -> None:
    try:
        out = fn()
    except ReviewDBError as exc:
        st.error(str(exc))
        return
    st.success(str(out) if what == "accepted" else f"Record {what}.")
    st.rerun()
