"""Streamlit pieces every page shares: the filter bar, the view state and its messages.

The sidebar filter bar is the only source of the filter; it is seeded from the URL
query string on a session's first run (or when the link's filters change) and written
back to it on every run, so the address bar always holds a shareable link to the view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import streamlit as st

from app import data
from app.filters import PARAMS, check, describe, parse_params, to_params
from reviewdb import vocabulary as V
from reviewdb.query import StudyFilter

ANY = ""
_KEYS = {p: f"f_{p}" for p in PARAMS}  # widget key per query-string parameter
SOURCE_OPTIONS = [ANY] + [c for top in V.TOP_MODALITIES for c in V.MODALITIES
                          if c == top or V.MODALITIES[c][0] == top] + list(V.PSEUDO_MODALITIES)
TARGET_OPTIONS = [o for o in SOURCE_OPTIONS if o not in V.PSEUDO_MODALITIES]


@dataclass(frozen=True)
class View:
    """What a page renders: the database, the checked filter and its cache key."""

    url: str
    filter: StudyFilter
    key: tuple

    @property
    def filtered(self) -> bool:
        return not self.filter.is_empty()


def _any(label: str) -> Callable[[Any], str]:
    return lambda v: f"any {label}" if v in (ANY, None) else str(v)


def _seed(f: StudyFilter, years: list[int]) -> None:
    ss = st.session_state
    for p, field in PARAMS.items():
        value = getattr(f, field)
        if p in ("year_min", "year_max"):
            continue
        if p == "paired":
            ss[_KEYS[p]] = ANY if value is None else ("paired" if value else "unpaired")
        else:
            ss[_KEYS[p]] = ANY if value is None else value
    if years:
        lo = f.year_min if f.year_min is not None else years[0]
        hi = f.year_max if f.year_max is not None else years[1]
        lo, hi = max(min(lo, years[1]), years[0]), min(max(hi, years[0]), years[1])
        ss["f_years"] = (min(lo, hi), max(lo, hi))


def _reset() -> None:
    _seed(StudyFilter(), st.session_state.get("_years") or [])


def filter_bar(url: str) -> View:
    """Draw the sidebar filters and return the view they select (URL kept in sync)."""
    ss = st.session_state
    try:
        options = data.filter_options(url)
    except Exception as exc:  # no schema yet: say so instead of a traceback
        st.error(f"Cannot read the database at `{url}`: {exc}. Run `reviewdb init` and `reviewdb load`.")
        st.stop()
    years = options["years"]
    ss["_years"] = years
    in_link = {p: v for p, v in st.query_params.to_dict().items() if p in PARAMS}
    if "_synced" not in ss or (in_link and in_link != ss["_synced"]):
        parsed, errors = parse_params(in_link)
        _seed(parsed, years)
        ss["_link_errors"] = errors
    sb = st.sidebar
    sb.header("Filters")
    sb.text_input("Search titles, authors, venues", key=_KEYS["q"], max_chars=200,
                  placeholder="e.g. cycle-consistent")
    c1, c2 = sb.columns(2)
    c1.selectbox("Source", SOURCE_OPTIONS, key=_KEYS["source"], format_func=_any("source"))
    c2.selectbox("Target", TARGET_OPTIONS, key=_KEYS["target"], format_func=_any("target"))
    sb.selectbox("Task", [ANY, *V.TASKS], key=_KEYS["task"], format_func=_any("task"))
    sb.selectbox("Model family", [ANY, *V.FAMILIES], key=_KEYS["family"], format_func=_any("family"))
    archs = list(options["architectures"])
    current = ss.get(_KEYS["architecture"])
    if current and current not in archs:
        archs.insert(0, current)
    sb.selectbox("Architecture", [ANY, *archs], key=_KEYS["architecture"], format_func=_any("architecture"))
    sb.selectbox("Anatomy", [ANY, *V.ANATOMY], key=_KEYS["anatomy"], format_func=_any("anatomy"))
    c3, c4 = sb.columns(2)
    c3.selectbox("Pairing", [ANY, "paired", "unpaired"], key=_KEYS["paired"], format_func=_any("pairing"))
    c4.selectbox("Status", [ANY, *V.INCLUSION_STATUSES], key=_KEYS["status"], format_func=_any("status"))
    year_min = year_max = None
    if years and years[0] < years[1]:
        lo, hi = sb.slider("Years", years[0], years[1], key="f_years")
        year_min = lo if lo > years[0] else None
        year_max = hi if hi < years[1] else None
    b1, b2 = sb.columns(2)
    b1.button("Reset filters", on_click=_reset, width="stretch")
    if b2.button("Reload data", width="stretch", help="Read the database again"):
        data.clear()
    paired = ss.get(_KEYS["paired"])
    f = StudyFilter(
        source=ss.get(_KEYS["source"]) or None, target=ss.get(_KEYS["target"]) or None,
        family=ss.get(_KEYS["family"]) or None, architecture=ss.get(_KEYS["architecture"]) or None,
        task=ss.get(_KEYS["task"]) or None, anatomy=ss.get(_KEYS["anatomy"]) or None,
        year_min=year_min, year_max=year_max,
        paired=None if not paired else paired == "paired", status=ss.get(_KEYS["status"]) or None,
        text=(ss.get(_KEYS["q"]) or "").strip() or None)
    checked, problem = check(f)
    if checked is None:
        st.error(f"These filters cannot be applied: {problem}")
        checked = StudyFilter()
    params = to_params(checked)
    for p in PARAMS:  # the link mirrors the filter bar; other parameters are left alone
        if p in params:
            if st.query_params.get(p) != params[p]:
                st.query_params[p] = params[p]
        elif p in st.query_params:
            del st.query_params[p]
    ss["_synced"] = params
    for message in ss.pop("_link_errors", []):
        st.warning(message)
    return View(url=url, filter=checked, key=data.key(checked))


def header(title: str, view: View, caption: str | None = None) -> None:
    st.title(title)
    active = describe(view.filter)
    line = f"Filtered: {active}." if active else "All studies (no filter)."
    st.caption(line + (f" {caption}" if caption else ""))


def has_studies(view: View) -> int:
    """The number of studies matching the view; with none, tell the user and return 0."""
    n = data.count(view.url, view.key)
    if n == 0:
        if view.filtered:
            st.info(f"No studies match these filters ({describe(view.filter)}). "
                    "Widen them in the sidebar or press **Reset filters**.")
        else:
            st.info("The database holds no studies yet. Load the catalog with `reviewdb load` "
                    "(`reviewdb dashboard` does this on first start).")
    return n


def param_choice(label: str, options: Sequence[str], param: str, default: str,
                 format_func: Callable[[Any], str] = str, horizontal: bool = True,
                 widget: str = "radio", key: str | None = None) -> str:
    """A page-level choice kept in the URL as ``param`` (unknown values get a message)."""
    key = key or f"p_{param}"
    ss = st.session_state
    raw = st.query_params.get(param)
    if key in ss and ss[key] not in options:
        ss[key] = default
    if key not in ss or (raw is not None and raw != ss.get(f"_{key}_synced") and raw != ss[key]):
        if raw is not None and raw not in options:
            st.warning(f"Ignored `{param}={raw[:60]}` from the link: choose one of {', '.join(map(str, options))}.")
            ss[key] = default
        else:
            ss[key] = raw if raw is not None else default
    if widget == "radio":
        value = st.radio(label, options, key=key, format_func=format_func, horizontal=horizontal)
    else:
        value = st.selectbox(label, options, key=key, format_func=format_func)
    if value == default:
        if param in st.query_params:
            del st.query_params[param]
    elif st.query_params.get(param) != value:
        st.query_params[param] = value
    ss[f"_{key}_synced"] = value
    return value


def detail_links(citekeys) -> list[str]:
    """Links that open each study's detail view in the explorer (relative to the app)."""
    from urllib.parse import quote

    return [f"./explorer?study={quote(str(c))}" for c in citekeys]


def current() -> View:
    """The view main.py computed for this run."""
    return st.session_state["_view"]
