"""Reading BibTeX exports: LaTeX decoded, and every kind of bad input named by file, entry, field."""

from __future__ import annotations

import pytest

from reviewdb.errors import CatalogError
from reviewdb.mining import bibfile
from reviewdb.mining.bibfile import read_entries


def test_latex_accents_and_braces_are_decoded(write_bib):
    p = write_bib(r"""@article{k1, title = {{\"U}ber {MRI}-to-{CT}: S{\'e}rie de {\c{c}}as}, author = {G{\"o}del, K}, year = {2020}}""")
    [e] = read_entries(p)
    assert e.title == "Über MRI-to-CT: Série de ças"
    assert e.fields["author"] == "Gödel, K"


def _problems(path, **kw):
    with pytest.raises(CatalogError) as info:
        read_entries(path, **kw)
    return info.value.problems


def test_entry_without_title(write_bib):
    p = write_bib("@article{k1, title = {A title}, year = {2020}}\n@article{k2, author = {X}, year = {2021}}\n")
    [prob] = _problems(p)
    assert (prob.file, prob.entry, prob.field) == (str(p), "k2", "title")
    assert "line 2" in prob.message


def test_duplicate_citekeys_within_and_across_chunks(write_bib, monkeypatch):
    text = "".join(f"@article{{k{i}, title = {{Title {i}}}}}\n" for i in range(7)) + "@article{k2, title = {Again}}\n"
    p = write_bib(text)
    assert [(x.entry, x.field) for x in _problems(p)] == [("k2", "citekey")]
    monkeypatch.setattr(bibfile, "CHUNK_ENTRIES", 3)  # the repeat now sits in another chunk
    probs = _problems(p)
    assert [(x.entry, x.field) for x in probs] == [("k2", "citekey")]
    assert "line 8" in probs[0].message and "first at line 3" in probs[0].message


def test_broken_encoding(write_bib):
    p = write_bib("@article{k1, title = {Caf\xe9 MRI}}\n".encode("latin-1"))
    [prob] = _problems(p)
    assert "not utf-8 text" in prob.message and prob.entry == "line 1"
    [e] = read_entries(p, encoding="latin-1")
    assert e.title == "Café MRI"


def test_binary_and_empty_and_missing_files(write_bib, tmp_path):
    assert "NUL" in _problems(write_bib(b"@article{k1, title={x}}\x00\x00"))[0].message
    assert "no BibTeX entries" in _problems(write_bib("% nothing here\n", name="empty.bib"))[0].message
    assert "no such file" in _problems(tmp_path / "absent.bib")[0].message


def test_malformed_entry_is_located(write_bib):
    p = write_bib("@article{k1, title = {Fine}}\n\n@article{k2, title = {Broken\n\n@article{k3, title = {Also fine}}\n")
    probs = _problems(p)
    assert probs and all(x.file == str(p) for x in probs)


def test_identifiers_come_from_urls_and_eprints(write_bib):
    p = write_bib("@article{k1, title = {A}, url = {https://doi.org/10.1000/ABC}}\n"
                  "@misc{k2, title = {B}, eprint = {arXiv:2101.00001v2}}\n"
                  "@misc{k3, title = {C}, url = {http://arxiv.org/abs/2102.00002v1}, pmid = {123}}\n")
    a, b, c = read_entries(p)
    assert (a.doi, b.arxiv_id, c.arxiv_id, c.pmid) == ("10.1000/abc", "2101.00001", "2102.00002", "123")
