"""Fixtures for the dashboard tests: a shared read-only mini database and an AppTest factory."""

from __future__ import annotations

from pathlib import Path

import pytest

from reviewdb.catalog.loader import load_catalog
from reviewdb.catalog.reader import read_catalog
from reviewdb.db import upgrade

MAIN = Path(__file__).resolve().parents[2] / "app" / "main.py"
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini"
PAGES = ["views/overview.py", "views/trends.py", "views/chord.py", "views/contrasts.py", "views/explorer.py",
         "views/metrics.py", "views/datasets.py", "views/reproductions.py"]


@pytest.fixture(scope="module")
def shared_mini_url(tmp_path_factory) -> str:
    """The mini catalog in one SQLite file per test module (tests must not write to it)."""
    url = f"sqlite:///{tmp_path_factory.mktemp('app') / 'mini.sqlite'}"
    upgrade(url)
    load_catalog(read_catalog(MINI), url)
    return url


_COMPONENTS: list = []


@pytest.fixture
def open_app(monkeypatch):
    """``open_app(url, page=None, **params)``: a fresh session of the real main.py,
    opened on ``page`` (default: the overview) with ``params`` in the link."""
    from streamlit.testing.v1 import AppTest

    def _open(url: str, page: str | None = None, **params):
        monkeypatch.setenv("REVIEWDB_URL", url)
        at = AppTest.from_file(str(MAIN), default_timeout=60)
        if _COMPONENTS:  # AppTest scans all installed packages per instance; once is enough
            at._bidi_component_manager = _COMPONENTS[0]
        at.query_params.update({k: str(v) for k, v in params.items()})
        if page:
            at.switch_page(page)  # before the first run a page is found by its file name
        at.run()
        if not _COMPONENTS and getattr(at, "_bidi_component_manager", None) is not None:
            _COMPONENTS.append(at._bidi_component_manager)
        assert not at.exception, [e.value for e in at.exception]
        return at

    return _open


def texts(elements) -> list[str]:
    return [e.value for e in elements]
