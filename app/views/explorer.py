"""Study explorer: the filtered studies page by page, downloads, and one study in detail."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from app import common, data

PAGE_SIZE = 50
COLUMNS = ["title", "year", "venue", "pairs", "families", "architectures", "anatomy", "datasets", "status",
           "reason", "link", "citekey"]


def render() -> None:
    view = common.current()
    common.header("Study explorer", view, "Search and filter in the sidebar; click a column header to sort. "
                  "Studies excluded as failing the review's criteria are listed with status = excluded.")
    total = common.has_studies(view)
    if total:
        n_pages = max(1, math.ceil(total / PAGE_SIZE))
        top = st.columns([2, 1, 1, 1])
        top[0].markdown(f"**{total} studies**")
        page_no = top[1].number_input("Page", 1, n_pages, 1, key="ex_page") if n_pages > 1 else 1
        frame, _ = data.page(view.url, view.key, PAGE_SIZE, (page_no - 1) * PAGE_SIZE)
        top[2].download_button("CSV", data=lambda: data.studies_csv(view.url, view.key), file_name="studies.csv",
                               mime="text/csv", on_click="ignore", icon=":material/download:",
                               help="Every matching study, not only this page")
        top[3].download_button("BibTeX", data=lambda: data.studies_bibtex(view.url, view.key),
                               file_name="studies.bib", mime="application/x-bibtex", on_click="ignore",
                               icon=":material/download:", help="Every matching study")
        st.dataframe(frame[COLUMNS], hide_index=True, key="studies_table", height=38 + 35 * min(len(frame), 15),
                     column_config={
            "title": st.column_config.TextColumn(width="large"),
            "year": st.column_config.NumberColumn(format="%d"),
            "link": st.column_config.LinkColumn("link", help="DOI, arXiv or PubMed", display_text="open"),
            "reason": st.column_config.TextColumn(help="Why the study fails the review's criteria (excluded only)"),
        })
        if n_pages > 1:
            st.caption(f"Studies {(page_no - 1) * PAGE_SIZE + 1}-{(page_no - 1) * PAGE_SIZE + len(frame)} "
                       f"of {total}, newest first.")
        citekeys = list(frame["citekey"])
    else:
        citekeys = []
    wanted = st.query_params.get("study")
    if wanted and wanted not in citekeys:
        if data.detail(view.url, wanted[:200]) is None:
            st.warning(f"Ignored `study={wanted[:60]}` from the link: no study has this citekey.")
            del st.query_params["study"]
        else:
            citekeys.insert(0, wanted)
    if not citekeys:
        return
    if wanted in citekeys and st.session_state.get("_study_synced") != wanted:
        st.session_state["ex_study"] = wanted
    if st.session_state.get("ex_study") not in ["", *citekeys]:
        st.session_state["ex_study"] = ""
    titles = dict(zip(frame["citekey"], frame["title"])) if total else {}
    st.divider()
    citekey = st.selectbox("Open a study", ["", *citekeys], key="ex_study",
                           format_func=lambda c: "choose a study" if not c else f"{c}: {titles.get(c, '')}"[:140])
    st.session_state["_study_synced"] = citekey
    if citekey:
        st.query_params["study"] = citekey
        study_detail(view.url, citekey)
    elif "study" in st.query_params:
        del st.query_params["study"]


def study_detail(url: str, citekey: str) -> None:
    """One study: its facts, the values it reported, and the reproductions of its architectures."""
    d = data.detail(url, citekey)
    if d is None:
        st.warning(f"No study has the citekey {citekey!r}.")
        return
    st.subheader(d["title"])
    st.markdown(f"{d['authors'] or 'authors unknown'} ({d['year'] or 'n.d.'}). *{d['venue'] or ''}*")
    links = [f"[{label}]({u})" for label, u in (("paper", d["link"]), ("evidence", d["evidence_url"])) if u]
    if links:
        st.markdown(" · ".join(links))
    facts = {k: d[k] for k in ("citekey", "task", "status", "pairs", "families", "architectures", "anatomy",
                               "datasets") if d.get(k)}
    st.dataframe(pd.DataFrame({"field": list(facts), "value": [str(v) for v in facts.values()]}),
                 hide_index=True, key="study_facts")
    if d.get("notes"):
        st.caption(d["notes"])
    if d.get("contrast_evidence"):
        st.markdown(f"MRI contrasts read on [this page]({d['contrast_evidence']}).")
    if d["inclusions"]:
        st.dataframe(pd.DataFrame(d["inclusions"]), hide_index=True, key="study_inclusions")
    results = d["results"]
    st.markdown("**Reported results**")
    if results.empty:
        st.caption("The catalog records no result for this study.")
    else:
        st.dataframe(results[["pair", "metric", "value", "unit", "direction", "dataset", "method", "role",
                              "evidence_url"]],
                     hide_index=True, key="study_results",
                     column_config={"evidence_url": st.column_config.LinkColumn("evidence", display_text="source")})
    st.markdown("**Reproductions of its architectures**")
    archs = d.get("architecture_names") or []
    if not archs:
        st.caption("No architecture is recorded for this study.")
    for arch in archs:
        runs = data.runs(url, arch)
        if runs.empty:
            cmd = data.reproduce_command(arch)
            st.markdown(f"- **{arch}**: no reproduction has been run yet."
                        + (" Run it with:" if cmd else " reviewdb has no re-implementation of it."))
            if cmd:
                st.code(cmd, language="bash")
            continue
        latest = runs.iloc[0]
        kind = "reference run (shipped)" if latest.get("reference") else "your latest run"
        st.markdown(f"- **{arch}**: {len(runs)} run(s); {kind} `{latest['method']}` on {latest['device']}, "
                    f"{latest['wall_time_s']:.0f} s, measured on {run_data(latest['config'])[2]}.")
        table, verdict = beside(results, latest["metrics"], latest["config"])
        st.caption(verdict)
        if not table.empty:
            st.dataframe(table, hide_index=True, key=f"repro_{arch}")
        st.markdown("Rerun it with:")
        st.code(latest["command"], language="bash")


def run_data(config: dict) -> tuple[tuple[str, ...], str | None, str]:
    """(source codes, target code, where it was measured) of a run, in the catalog's vocabulary."""
    from reviewdb import vocabulary as V

    mc = (config or {}).get("method_config") or {}
    def code(m):
        try:
            return V.MODALITY.normalise(str(m))
        except Exception:
            return str(m)
    sources = tuple(code(m) for m in mc.get("sources") or ())
    target = code(mc["target"]) if mc.get("target") else None
    data = (config or {}).get("dataset") or ("simulated slices" if (config or {}).get("data") == "simulated"
                                             else (config or {}).get("data") or "unknown data")
    return sources, target, str(data)


def _tops(label_side: str) -> set[str]:
    from reviewdb import vocabulary as V

    return {V.top_level(c.strip()) for c in label_side.strip("()").split(",") if c.strip()}


def beside(results: pd.DataFrame, metrics: dict, config: dict) -> tuple[pd.DataFrame, str]:
    """A run beside the study's reported values *on the same translation pair* only, and
    plainly whether the data are the same (a simulated brain slice is not a SynthRAD pelvis)."""
    sources, target, where = run_data(config)
    if target is None:
        return pd.DataFrame(), f"The run is a creation run on {where}; this study's values are not comparable with it."
    run_pair = (_tops(",".join(sources)), _tops(target))
    metrics = {str(k).lower(): v for k, v in metrics.items()}  # runs say "mae", studies "MAE"
    rows = []
    for r in results.itertuples():
        left, _, right = str(r.pair).partition(" -> ")
        if not r.pair or (_tops(left), _tops(right)) != run_pair or str(r.metric).lower() not in metrics:
            continue
        same_data = bool(r.dataset) and str(r.dataset).lower() == where.lower()
        rows.append({"metric": r.metric, "study (pair, data set)": f"{r.value:g} {r.unit or ''} ({r.pair}, "
                     f"{r.dataset or 'data set not given'})".replace("  ", " "),
                     "run": f"{metrics[str(r.metric).lower()]:.4g}", "same data": "yes" if same_data else "no"})
    pair = f"{', '.join(sources)} -> {target}"
    if not rows:
        return pd.DataFrame(), (f"No value of this study is on the run's pair ({pair}) with a metric the run "
                                "measured: nothing to compare.")
    same = any(row["same data"] == "yes" for row in rows)
    verdict = (f"Same pair ({pair}) and the same data set ({where}): side by side." if same else
               f"Same pair ({pair}), different data: the run was measured on {where}, the study on its own "
               "data. The numbers are not a like-for-like comparison.")
    return pd.DataFrame(rows), verdict


if __name__ == "__main__":
    render()
