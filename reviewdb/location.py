"""Where the database is: ``--db``, else ``$REVIEWDB_URL``, else the embedded SQLite file.

Kept apart from :mod:`reviewdb.db` so that a command which only needs the URL (``reviewdb
dashboard`` before it starts the server) does not import SQLAlchemy first.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_URL = "REVIEWDB_URL"


def default_sqlite_path() -> Path:
    """The embedded database file: ``$XDG_DATA_HOME/reviewdb/reviewdb.sqlite``."""
    base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "reviewdb" / "reviewdb.sqlite"


def resolve_url(url: str | None = None) -> str:
    """The database URL: the argument, else ``$REVIEWDB_URL``, else the embedded SQLite file."""
    if url:
        return url
    if os.environ.get(ENV_URL):
        return os.environ[ENV_URL]
    path = default_sqlite_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"
