"""Literature mining and screening: new search results in, PRISMA counts out.

- :mod:`rules`     title/keywords/abstract -> proposed annotations, each with its trigger words
- :mod:`bibfile`   a BibTeX export (Zotero, PubMed, a database) -> entries, every problem located
- :mod:`dedup`     duplicates by DOI, arXiv id and fuzzy normalised title (threshold measured)
- :mod:`models`    the screening tables (ORM; migration ``0002``)
- :mod:`screening` mine a file into screening records, include / exclude / accept, PRISMA counts
- :mod:`prisma`    the PRISMA flow figure (a plain function: counts in, Plotly figure out)
- :mod:`cli`       thin Typer functions mounted as ``reviewdb mine``, ``screen`` and ``prisma``
- :mod:`evaluate`  precision / recall / F1 of the rules against curated annotations
- :mod:`synthetic` perturbed duplicate titles and large generated BibTeX files (benchmark, tests)

Nothing here calls the network. This module imports nothing so that
``reviewdb.models`` can import :mod:`reviewdb.mining.models` without a cycle.
"""
