"""The server process of ``reviewdb dashboard``: Streamlit, with the dashboard's heavy
imports (pandas, Plotly, SQLAlchemy, the figure and query code) paid while the server
starts rather than inside the first visitor's first page.

Streamlit runs each page as a script in this process, so modules imported here are
already in ``sys.modules`` when a page imports them. ``reviewdb dashboard`` execs
``python -m app.serve run app/main.py ...`` with Streamlit's own options.
"""

from __future__ import annotations

import sys


def preload() -> None:
    """Import what every page needs (about a second on a 2-core machine). Modules that call
    Streamlit at import (``app.data``'s caches, ``app.common``) wait for its runtime."""
    import plotly.graph_objects  # noqa: F401
    import plotly.io  # noqa: F401

    from app import export, figures, filters  # noqa: F401
    from reviewdb import coverage, query  # noqa: F401


def main() -> None:
    preload()
    from streamlit.web import cli

    sys.argv = ["streamlit", *sys.argv[1:]]
    cli.main()


if __name__ == "__main__":
    main()
