"""How a study appears in a listing, worked out once when it is written, not on every read.

A page of studies shows each one's translations, families, architectures, anatomy, data
sets, statuses and exclusion reasons as text, and filters by family, anatomy and paired
data. Reading those from the child tables costs a correlated aggregate per column and row
(about 2 ms a page) and an EXISTS probe per candidate row (30 ms over 30,000 MRI -> CT
studies). So the loader stores:

- ``study.listing``: the text columns, exactly as pages show them;
- ``study.family_mask`` / ``anatomy_mask`` and their copies on every ``study_pair`` row, plus
  ``study_pair.paired_mask``: a filter on the pair index is then a bit test on rows it reads
  anyway.

Bit positions follow the order of ``vocabulary.FAMILIES`` and ``vocabulary.ANATOMY``: new
codes go at the end (``tests/test_listing.py`` pins the order), since stored masks use them.
"""

from __future__ import annotations

from typing import Iterable

from reviewdb import vocabulary as V

FAMILY_BIT = {code: 1 << i for i, code in enumerate(V.FAMILIES)}
ANATOMY_BIT = {code: 1 << i for i, code in enumerate(V.ANATOMY)}
PAIRED_BIT = {True: 1, False: 2}  # study_pair.paired_mask: some matching translation is paired / unpaired

LISTING_KEYS = ("status", "pairs", "families", "architectures", "anatomy", "datasets", "reason")


def mask(codes: Iterable[str], bits: dict[str, int]) -> int:
    out = 0
    for c in codes:
        out |= bits[c]
    return out


def joined(values: Iterable[str | None]) -> str:
    """Distinct values, sorted, as one cell: ``GAN; diffusion``."""
    distinct = {v for v in values if v}
    if len(distinct) < 2:  # most cells: nothing to sort (a load builds 700,000 of them per 100,000 studies)
        return distinct.pop() if distinct else ""
    return "; ".join(sorted(distinct))


def translation_label(sources: Iterable[str], targets: Iterable[str]) -> str:
    """``(MRI:T1, MRI:T2) -> MRI:FLAIR``: the notation used in tables and the CLI."""
    def side(codes):
        codes = list(codes)
        return codes[0] if len(codes) == 1 else "(" + ", ".join(codes) + ")"
    return f"{side(sources)} -> {side(targets)}"


def architecture_label(name: str, role: str | None) -> str:
    return f"{name} (baseline)" if role == "baseline" else name


def listing(*, statuses: Iterable[str], translations: Iterable[tuple[Iterable[str], Iterable[str]]],
            families: Iterable[str], architectures: Iterable[tuple[str, str | None]], anatomy: Iterable[str],
            datasets: Iterable[str], reasons: Iterable[str | None]) -> dict[str, str]:
    """The listing text of one study from its annotations (record or stored rows alike)."""
    return {
        "status": joined(statuses),
        "pairs": joined(translation_label(sorted(s), sorted(t)) for s, t in translations),
        "families": joined(families),
        "architectures": joined(architecture_label(n, r) for n, r in architectures),
        "anatomy": joined(anatomy),
        "datasets": joined(datasets),
        "reason": joined(reasons),
    }


def facet(kind: str, value) -> str:
    """The ``pair_total.facet`` of one filter: ``family:GAN``, ``anatomy:brain``, ``paired:yes``."""
    if kind == "paired":
        return "paired:yes" if value else "paired:no"
    return f"{kind}:{value}"


#: mask column -> (facet kind, bit -> code)
FACET_BITS = {
    "family": {bit: code for code, bit in FAMILY_BIT.items()},
    "anatomy": {bit: code for code, bit in ANATOMY_BIT.items()},
    "paired": {bit: value for value, bit in PAIRED_BIT.items()},
}


def facets_of(kind: str, mask_value: int) -> list[str]:
    """The facets a mask holds: ``facets_of('family', 6)`` -> ``['family:GAN', 'family:diffusion']``."""
    return [facet(kind, code) for bit, code in FACET_BITS[kind].items() if mask_value & bit]
