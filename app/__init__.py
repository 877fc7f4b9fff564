"""The reviewdb dashboard: Streamlit pages over reviewdb's query API, Plotly figures.

- :mod:`app.figures`: plain functions, DataFrame in, Plotly figure out (no Streamlit);
- :mod:`app.filters`: the shared filter bar, whose state lives in the URL query string;
- :mod:`app.data`: cached calls of :mod:`reviewdb.query` (one cache entry per filter state);
- :mod:`app.main`: the Streamlit entry point (``streamlit run app/main.py``);
- :mod:`app.cli`: ``reviewdb dashboard`` and ``reviewdb figure``.
"""
