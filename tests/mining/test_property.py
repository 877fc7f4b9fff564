"""Any BibTeX-ish text either mines or fails with reviewdb's own error type."""

from __future__ import annotations

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewdb.errors import ReviewDBError
from reviewdb.mining.bibfile import read_entries
from reviewdb.mining.rules import mine

FIELD = st.sampled_from(["title", "author", "year", "doi", "eprint", "abstract", "keywords", "url", "journal"])
VALUE = st.text(alphabet=string.printable + "éüç{}\\$^→", max_size=60)
ENTRY = st.builds(lambda kind, key, fields: f"@{kind}{{{key},\n" + ",\n".join(f"  {f} = {{{v}}}" for f, v in fields)
                  + "\n}\n", st.sampled_from(["article", "inproceedings", "misc", "comment", "junk"]),
                  st.text(alphabet=string.ascii_letters + string.digits + ":_-", min_size=0, max_size=12),
                  st.lists(st.tuples(FIELD, VALUE), max_size=5))
BIBTEX = st.one_of(st.lists(ENTRY, max_size=4).map("".join), st.text(max_size=200),
                   st.binary(max_size=100))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(BIBTEX)
def test_bibtex_either_mines_or_fails_with_a_reviewdb_error(tmp_path, text):
    p = tmp_path / "h.bib"
    p.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        entries = read_entries(p)
    except ReviewDBError as exc:
        assert str(exc)
        return
    for e in entries:
        ann = mine(e.title, e.keywords, e.abstract)
        assert ann.task is None or isinstance(ann.task, str)
