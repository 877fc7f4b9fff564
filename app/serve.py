"""The server process of ``reviewdb dashboard``: Streamlit, with the dashboard's heavy
imports (pandas, Plotly, SQLAlchemy, the figure and query code) paid while the server
starts rather than inside the first visitor's first page.

Streamlit runs each page as a script in this process, so modules imported here are
already in ``sys.modules`` when a page imports them. ``reviewdb dashboard`` execs
``python -m app.serve --prepare load run app/main.py ...`` with Streamlit's own options.

``--prepare MODE`` first starts a child process that brings the database to the newest
schema and, with ``load``, loads the bundled catalog into an empty one
(:func:`app.cli.prepare_main`). The imports here run meanwhile on the other core; the
server starts only once the child has finished, so no page ever reads a half-made
database, and a child's error ends the server with its message and status.
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
    args = sys.argv[1:]
    child = None
    if args[:1] == ["--prepare"]:
        import subprocess

        child = subprocess.Popen([sys.executable, "-c",
                                  f"import sys, app.cli; sys.exit(app.cli.prepare_main({args[1]!r}))"])
        args = args[2:]
    preload()
    from streamlit.web import cli  # imported while the child still works, too

    if child is not None and (rc := child.wait()):
        sys.exit(rc)
    sys.argv = ["streamlit", *args]
    cli.main()


if __name__ == "__main__":
    main()
