"""Screening: the records a reviewer decides next (most likely include first), their
proposals, decisions with a criterion, conflicts and agreement, and the PRISMA 2020 flow.

Reads and writes only through :mod:`reviewdb.mining` (screening, decisions, queue, prisma).
A decision needs the reviewer's name; with dual screening, reviewers do not see each
other's decisions on a record until both have decided.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from reviewdb import vocabulary as V
from reviewdb.errors import ReviewDBError
from reviewdb.mining import decisions as D
from reviewdb.mining import screening as S
from reviewdb.mining.prisma import prisma_figure
from reviewdb.mining.queue import next_for

REASONS = list(V.EXCLUSION_REASONS)


def _url() -> str:
    try:
        from app import common

        return common.current().url
    except Exception:  # page rendered on its own (tests, `streamlit run app/views/screening.py`)
        from reviewdb.db import resolve_url

        return resolve_url(None)


def _read_only() -> bool:
    import os

    return os.environ.get("REVIEWDB_READ_ONLY", "") not in ("", "0", "false")


def render() -> None:
    url = _url()
    st.title("Screening")
    st.caption("Entries mined from exports (`reviewdb mine FILE`): proposed annotations with the words that "
               "triggered them, duplicates flagged, ranked by how likely they are to be included.")
    try:
        counts = S.prisma_counts(url)
    except ReviewDBError as exc:
        st.error(str(exc))
        return
    if not counts["identified"]:
        st.info("No screening records yet. Mine a file first: `reviewdb mine export.bib`.")
        return
    cols = st.columns(6)
    for col, (label, key) in zip(cols, [("Identified", "identified"), ("Duplicates", "duplicates"),
                                        ("Pending", "pending"), ("Conflicts", "conflicts"),
                                        ("Excluded", "excluded"), ("Included", "included")]):
        col.metric(label, counts[key])
    top = st.columns([2, 2, 1])
    reviewer = top[0].text_input("Your name (recorded with every decision)", key="sc_reviewer").strip()
    stage = top[1].selectbox("Stage", [D.TITLE_ABSTRACT, D.FULL_TEXT],
                             key="sc_stage")
    n_next = int(top[2].number_input("Show next", 1, 50, 10, key="sc_n"))
    left, right = st.columns([3, 2])
    with left:
        if reviewer:
            queue = pd.DataFrame(next_for(reviewer, url, stage, n=n_next))
            st.markdown("**Next, most likely include first**")
            if queue.empty:
                st.success(f"Nothing left for {reviewer} at {stage}.")
            else:
                st.dataframe(queue[["id", "score", "title", "why"]], hide_index=True, width="stretch",
                             key="sc_queue")
        else:
            queue = pd.DataFrame()
            st.info("Enter your name to see your queue and decide.")
        text = st.text_input("Title contains", "", key="sc_text")
        frame = S.list_records(url, text=text or None, limit=500)
        with st.expander(f"All records ({len(frame)} shown)"):
            st.dataframe(frame[["id", "status", "title", "year", "task", "translations", "families",
                                "out_of_scope", "duplicate_of", "reason", "study"]], hide_index=True,
                         width="stretch")
    with right:
        if reviewer and not queue.empty:
            _decide(url, queue, reviewer, stage)
    _team(url, stage)
    st.plotly_chart(prisma_figure(counts), key="prisma_flow")


def _decide(url: str, queue: pd.DataFrame, reviewer: str, stage: str) -> None:
    rid = st.selectbox("Record", queue["id"].tolist(),
                       format_func=lambda i: f"#{i}: {queue.loc[queue['id'] == i, 'title'].iloc[0][:70]}")
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
    if _read_only():
        st.caption("This dashboard is read-only: decisions are disabled.")
        return
    proposed = [p["value"] for p in d["proposals"] if p["field"] == "out_of_scope"]
    c1, c2 = st.columns(2)
    if c1.button("Include", key=f"inc_{rid}", type="primary"):
        _act(lambda: S.include(int(rid), url, reviewer=reviewer, stage=stage), "included")
    default = REASONS.index(proposed[0].split(":")[0]) if proposed and proposed[0].split(":")[0] in REASONS else 0
    code = c2.selectbox("Criterion", REASONS, index=default, key=f"reason_{rid}",
                        format_func=lambda c: f"{c}: {V.EXCLUSION_REASONS[c]}")
    words = c2.text_input("Details", proposed[0].partition(":")[2].strip() if proposed else "", key=f"words_{rid}")
    if c2.button("Exclude", key=f"exc_{rid}"):
        _act(lambda: S.exclude(int(rid), f"{code}: {words}".rstrip(": ") if words or code != "other" else code,
                               url, reviewer=reviewer, stage=stage), "excluded")
    evidence = st.text_input("Evidence URL (required to accept)", d["completions"].get("evidence", ""),
                             key=f"ev_{rid}")
    if st.button("Accept into the catalog", key=f"acc_{rid}"):
        values = {"evidence": evidence} if evidence else {}
        _act(lambda: S.accept(int(rid), url, values=values, reviewer=reviewer), "accepted")


def _team(url: str, stage: str) -> None:
    conflicts = D.conflicts(url, stage)
    kappa = D.agreement(url, stage)
    if not conflicts and not kappa:
        return
    st.subheader("The team")
    if kappa:
        st.dataframe(pd.DataFrame(kappa), hide_index=True, key="sc_kappa")
    if conflicts:
        st.warning(f"{len(conflicts)} record(s) in conflict at {stage}: a third reviewer resolves them "
                   "(`reviewdb screen include|exclude ID --resolve --reviewer NAME`).")
        st.dataframe(pd.DataFrame([dict(id=c["id"], votes=str(c["votes"])) for c in conflicts]), hide_index=True,
                     key="sc_conflicts")


def _act(fn, what: str) -> None:
    try:
        out = fn()
    except ReviewDBError as exc:
        st.error(str(exc))
        return
    st.success(str(out) if what == "accepted" else f"Record {what}.")
    st.rerun()


if __name__ == "__main__":
    render()
