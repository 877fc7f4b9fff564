"""Static figures for papers and reports: the dashboard's figures, built from the database.

``build(name, url, f, **options)`` returns the same Plotly figure the dashboard draws;
``write(fig, out)`` saves it by file suffix: ``.svg``, ``.png`` and ``.pdf`` through
kaleido (which drives a headless Chrome/Chromium: Debian's ``chromium`` works),
``.html`` (interactive, self-contained, no browser needed) and ``.json``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

import plotly.graph_objects as go

from app import figures
from reviewdb import query as Q
from reviewdb.query import StudyFilter

IMAGE_SUFFIXES = (".svg", ".png", ".pdf")
OTHER_SUFFIXES = (".html", ".json")
CHROMIUM_PATHS = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")


def _chord(url: str, f: StudyFilter, value: str = "catalog", **_) -> go.Figure:
    return figures.chord(Q.pair_matrix(f, url), value, title=f"Modality translation pairs ({value})")


def _contrasts(url: str, f: StudyFilter, value: str = "catalog", **_) -> go.Figure:
    return figures.chord(Q.pair_matrix(f, url, level="MRI"), value, Q.pair_codes("MRI"),
                         title=f"MRI contrast pairs ({value})")


def _trends_task(url: str, f: StudyFilter, **_) -> go.Figure:
    from app.data import year_task_counts

    return figures.trends(year_task_counts(f, url), "task", "Studies per year by task")


def _metrics(url: str, f: StudyFilter, metric: str = "MAE", **_) -> go.Figure:
    return figures.metric_strip(Q.reported_results(f, metric=metric, url=url), metric, f"{metric} reported per pair")


def _coverage(url: str, f: StudyFilter, **_) -> go.Figure:
    from reviewdb import coverage

    return figures.reported_vs_catalog(coverage.coverage_table(url), "The review's tallies beside the catalog")


def _prisma(url: str | None) -> go.Figure:
    from reviewdb.mining.prisma import counts, prisma_figure

    return prisma_figure(counts(url))


BUILDERS: dict[str, Callable[..., go.Figure]] = {
    "chord": _chord,
    "contrasts": _contrasts,
    "groups": lambda url, f, **_: figures.contrast_groups(Q.contrast_groups(f, url),
                                                          "Multi-contrast MRI translations"),
    "trends-family": lambda url, f, **_: figures.trends(Q.counts_by("year", f, url, by="family"), "family",
                                                        "Studies per year by model family"),
    "trends-task": _trends_task,
    "tasks": lambda url, f, **_: figures.stacked_counts(Q.counts_by("task", f, url, by="status"), "task",
                                                        "status", "Studies by task", horizontal=True),
    "families": lambda url, f, **_: figures.stacked_counts(Q.counts_by("family", f, url, by="status"), "family",
                                                           "status", "Studies by model family", horizontal=True),
    "coverage": _coverage,
    "metrics": _metrics,
    "datasets": lambda url, f, **_: figures.dataset_pairs(Q.datasets_overview(url),
                                                          "Studies per data set and modality pair"),
    "runs": lambda url, f, **_: figures.run_metrics(Q.reproduction_runs(url), "Latest metrics per method"),
    "prisma": lambda url, f, **_: _prisma(url),
}


def build(name: str, url: str | None = None, f: StudyFilter = StudyFilter(), **options) -> go.Figure:
    """The figure ``name`` (one of :data:`BUILDERS`) over the studies matching ``f``."""
    if name not in BUILDERS:
        raise ValueError(f"unknown figure {name!r}; choose from {', '.join(BUILDERS)}")
    return BUILDERS[name](url, f.normalised(), **options)


def chrome_path() -> str | None:
    """The browser kaleido will drive: ``$BROWSER_PATH``, Debian's chromium, or one on PATH."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    for p in CHROMIUM_PATHS:
        if Path(p).is_file():
            return p
    return shutil.which("chromium") or shutil.which("google-chrome")


def write(fig: go.Figure, out: str | Path, width: int = 900, height: int | None = None, scale: float = 2) -> Path:
    """Save ``fig`` by the suffix of ``out``; images need kaleido and a Chrome/Chromium."""
    out = Path(out)
    suffix = out.suffix.lower()
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".html":
        fig.write_html(out, include_plotlyjs=True, full_html=True)
    elif suffix == ".json":
        fig.write_json(out)
    elif suffix in IMAGE_SUFFIXES:
        browser = chrome_path()
        if browser is None:
            raise RuntimeError("static images need a Chrome/Chromium for kaleido (Debian: apt-get install "
                               "chromium; or set BROWSER_PATH); .html and .json need none")
        os.environ.setdefault("BROWSER_PATH", browser)
        h = height or int(fig.layout.height or 600)
        fig.write_image(out, format=suffix[1:], width=width, height=h, scale=scale if suffix == ".png" else 1)
    else:
        raise ValueError(f"unsupported suffix {suffix!r}; use one of {', '.join(IMAGE_SUFFIXES + OTHER_SUFFIXES)}")
    return out
