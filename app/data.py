"""Cached reads for the dashboard, all through :mod:`reviewdb.query` (no SQL here).

Every function is keyed on the database URL and the filter state (the StudyFilter
fields as a tuple), so a page rerun with the same filters costs nothing and a shared
link is answered from the cache. ``clear()`` drops everything (the "Reload data" button).
"""

from __future__ import annotations

import os
from dataclasses import astuple, fields
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from app import figures
from reviewdb import query as Q
from reviewdb import vocabulary as V
from reviewdb.db import resolve_url
from reviewdb.query import StudyFilter

TTL = 600  # seconds; reproduction runs arrive while the dashboard is open
FilterKey = tuple

#: catalog architecture (normalised) -> the `reviewdb reproduce` method that reruns it;
#: kept as names so the dashboard does not import torch
REPRODUCE_METHODS = {"pix2pix": "pix2pix", "cyclegan": "cyclegan", "dcgan": "dcgan", "vae": "vae",
                     "ddpm": "ddpm"}


def db_url() -> str:
    """The database the dashboard reads: ``$REVIEWDB_URL``, else the embedded default."""
    return resolve_url(os.environ.get("REVIEWDB_URL") or None)


def key(f: StudyFilter) -> FilterKey:
    """The hashable cache key of a filter state."""
    return astuple(f)


def unkey(k: FilterKey) -> StudyFilter:
    return StudyFilter(**{fd.name: v for fd, v in zip(fields(StudyFilter), k)})


def clear() -> None:
    st.cache_data.clear()
    figure.clear()


@st.cache_resource(ttl=TTL, max_entries=512, show_spinner=False)
def figure(name: str, *args, **kwargs) -> go.Figure:
    """``app.figures.<name>(*args, **kwargs)``, built once per distinct input and shared by
    every session: Plotly's validation of a figure costs more than the cached query under
    it (0.1 to 0.3 s of a 0.3 s page run). Never modified afterwards; ``st.plotly_chart``
    reads a figure through ``to_dict()``."""
    return getattr(figures, name)(*args, **kwargs)


@st.cache_data(ttl=TTL, show_spinner=False)
def count(url: str, fk: FilterKey) -> int:
    return Q.count_studies(unkey(fk), url)


@st.cache_data(ttl=TTL, show_spinner=False)
def counts(url: str, fk: FilterKey, dimension: str, by: str | None = None) -> pd.DataFrame:
    return Q.counts_by(dimension, unkey(fk), url, by=by)


@st.cache_data(ttl=TTL, show_spinner=False)
def counts_year_task(url: str, fk: FilterKey) -> pd.DataFrame:
    return year_task_counts(unkey(fk), url)


def year_task_counts(f: StudyFilter, url: str) -> pd.DataFrame:
    """Studies per (year, task). ``counts_by("year", by="task")`` joins the study table
    twice (an ambiguous-column error in reviewdb.query), so this asks once per task."""
    from dataclasses import replace

    tasks = [f.normalised().task] if f.task else list(V.TASKS)
    parts = [Q.counts_by("year", replace(f, task=t), url).assign(task=t) for t in tasks]
    frame = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=["year", "task", "studies"])
    frame = frame[frame["studies"] > 0]
    return frame[["year", "task", "studies"]].sort_values(["year", "task"]).reset_index(drop=True)


@st.cache_data(ttl=TTL, show_spinner=False)
def page(url: str, fk: FilterKey, limit: int = 100, offset: int = 0) -> tuple[pd.DataFrame, int]:
    return Q.study_page(unkey(fk), url, limit=limit, offset=offset)


@st.cache_data(ttl=TTL, show_spinner=False)
def pairs(url: str, fk: FilterKey, level: str = "top") -> pd.DataFrame:
    return Q.pair_matrix(unkey(fk), url, level=level)


@st.cache_data(ttl=TTL, show_spinner=False)
def groups(url: str, fk: FilterKey) -> pd.DataFrame:
    return Q.contrast_groups(unkey(fk), url)


@st.cache_data(ttl=TTL, show_spinner=False)
def results(url: str, fk: FilterKey, metric: str | None) -> pd.DataFrame:
    return Q.reported_results(unkey(fk), metric=metric, url=url)


@st.cache_data(ttl=TTL, show_spinner=False)
def datasets(url: str) -> pd.DataFrame:
    return Q.datasets_overview(url)


@st.cache_data(ttl=TTL, show_spinner=False)
def tallies(url: str) -> pd.DataFrame:
    return Q.reported_tallies(url)


@st.cache_data(ttl=TTL, show_spinner=False)
def reviews(url: str) -> pd.DataFrame:
    return Q.reviews(url)


@st.cache_data(ttl=60, show_spinner=False)
def runs(url: str, architecture: str | None = None) -> pd.DataFrame:
    return Q.reproduction_runs(url, architecture=architecture)


@st.cache_data(ttl=60, show_spinner=False)
def verdicts(url: str) -> pd.DataFrame:
    return Q.claim_verdicts(url)


@st.cache_data(ttl=TTL, show_spinner=False)
def detail(url: str, citekey: str) -> dict[str, Any] | None:
    d = Q.study_detail(citekey, url)
    if d is not None:
        d["architecture_names"] = Q.study_architectures(citekey, url)
    return d


@st.cache_data(ttl=TTL, show_spinner=False)
def filter_options(url: str) -> dict[str, list]:
    """Values the filter bar offers that come from the data: architectures and years."""
    arch = Q.counts_by("architecture", StudyFilter(), url)
    years = Q.counts_by("year", StudyFilter(), url)
    ys = [int(y) for y in years["year"].dropna()]
    return {"architectures": list(arch.sort_values("studies", ascending=False)["architecture"]),
            "years": [min(ys), max(ys)] if ys else []}


# --- the review-vs-catalog coverage (reviewdb.coverage, written by the lead) ---------------


def _coverage():
    try:
        from reviewdb import coverage
    except ImportError:
        return None
    return coverage


@st.cache_data(ttl=TTL, show_spinner=False)
def headline(url: str) -> dict[str, Any]:
    """Catalogued vs the review's total, by inclusion status: aggregates only (cheap)."""
    by = Q.count_by_status(url)
    revs = Q.reviews(url)
    total = revs.loc[revs["key"] == Q.DEFAULT_REVIEW, "included_total"]
    return {"catalogued": Q.count_studies(StudyFilter(), url) + int(by.get("excluded", 0)),
            "review_total": int(total.iloc[0]) if len(total) and pd.notna(total.iloc[0]) else None,
            "confirmed": int(by.get("confirmed", 0)), "candidate": int(by.get("candidate", 0)),
            "excluded": int(by.get("excluded", 0))}


@st.cache_data(ttl=TTL, show_spinner=False)
def summary(url: str) -> dict[str, Any] | None:
    """reviewdb.coverage.summary (adds studies with results; reads whole tables)."""
    cov = _coverage()
    return None if cov is None else dict(cov.summary(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def coverage_table(url: str) -> pd.DataFrame | None:
    cov = _coverage()
    return None if cov is None else cov.coverage_table(url)


@st.cache_data(ttl=TTL, show_spinner=False)
def shape_summary(url: str) -> str:
    cov = _coverage()
    return "" if cov is None else cov.shape_summary(cov.coverage_table(url))


@st.cache_data(ttl=TTL, show_spinner=False)
def inconsistencies(url: str) -> pd.DataFrame | None:
    cov = _coverage()
    return None if cov is None else cov.inconsistencies(url)


# --- exports ---------------------------------------------------------------------------------


def studies_csv(url: str, fk: FilterKey) -> bytes:
    """Every study matching the filter as CSV (called only when the user downloads)."""
    return Q.find_studies(unkey(fk), url).to_csv(index=False).encode("utf-8")


def studies_bibtex(url: str, fk: FilterKey) -> str:
    """BibTeX of every study matching the filter: the one call of the catalog exporter."""
    from reviewdb.catalog.exporter import export

    frame = Q.find_studies(unkey(fk), url)
    return export("bibtex", url, citekeys=list(frame["citekey"]))


def reproduce_command(architecture: str) -> str | None:
    """The command that would reproduce ``architecture``, when a method exists for it."""

    method = REPRODUCE_METHODS.get(V.architecture_norm(architecture))
    return f"reviewdb reproduce {method} --quick" if method else None
