"""The catalog: reading it from files, checking it, loading it into SQL, exporting it.

- :mod:`records`  the format-neutral records
- :mod:`reader`   files (BibTeX + YAML, JSON, CSV) -> records, with every problem located
- :mod:`checks`   data-quality rules that span records (duplicates, years, identifiers)
- :mod:`loader`   records -> SQL in one idempotent transaction
- :mod:`exporter` SQL -> records -> BibTeX / JSON / CSV / catalog directory
"""
