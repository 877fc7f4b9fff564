"""The reviewdb dashboard: ``streamlit run app/main.py`` (or ``reviewdb dashboard``).

Reads the database named by ``$REVIEWDB_URL`` (else the embedded SQLite file). The
sidebar filter bar is shared by every page and mirrored in the URL query string.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `streamlit run app/main.py` from a checkout
    sys.path.insert(0, str(ROOT))

import streamlit as st  # noqa: E402

from app import common, data  # noqa: E402

HERE = Path(__file__).resolve().parent
PAGES = [  # (file, title, icon)
    ("views/overview.py", "Overview", ":material/dashboard:"),
    ("views/trends.py", "Trends", ":material/bar_chart:"),
    ("views/chord.py", "Modality pairs", ":material/donut_large:"),
    ("views/contrasts.py", "MRI contrasts", ":material/blur_on:"),
    ("views/explorer.py", "Study explorer", ":material/table_view:"),
    ("views/metrics.py", "Reported metrics", ":material/scatter_plot:"),
    ("views/datasets.py", "Datasets", ":material/database:"),
    ("views/reproductions.py", "Reproductions & claims", ":material/science:"),
]


def pages() -> list:
    out = [st.Page(path, title=title, icon=icon, default=(i == 0)) for i, (path, title, icon) in enumerate(PAGES)]
    # The mining work's screening page, by path like the others: importing it here would
    # pull in its ranking stack (scikit-learn, about a second) on every first page. NB: a
    # folder named `pages` beside main.py switches Streamlit to its old directory-based
    # navigation, so the page belongs in app/views/; app/pages/ is still looked at for now.
    where = next((pkg for pkg in ("views", "pages") if (HERE / pkg / "screening.py").is_file()), None)
    if where:
        out.append(st.Page(f"{where}/screening.py", title="Screening", icon=":material/filter_alt:",
                           url_path="screening"))
    return out


st.set_page_config(page_title="reviewdb: generative models for medical images", layout="wide",
                   page_icon=":material/donut_large:")
nav = st.navigation(pages())
st.session_state["_view"] = common.filter_bar(data.db_url())
nav.run()
