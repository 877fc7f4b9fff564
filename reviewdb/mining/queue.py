"""What a reviewer screens next: their undecided records, most likely include first.

Joins the screening records, the decision log (:mod:`reviewdb.mining.decisions`) and the
relevance model (:mod:`reviewdb.mining.ranking`), with the catalog's studies as prior
knowledge of what this review includes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from reviewdb.db import session_scope
from reviewdb.mining import decisions as D
from reviewdb.mining.models import ScreeningRecord
from reviewdb.mining.ranking import Ranker, document, next_records
from reviewdb.models import Study


def _catalog_prior(s) -> tuple[list[str], list[str]]:
    """Titles (and notes) of the catalog's included studies, and of those it excluded."""
    pos, neg = [], []
    for title, notes, excluded in s.execute(select(Study.title, Study.notes, Study.excluded)):
        (neg if excluded else pos).append(document(title, None, notes))
    return pos, neg


def next_for(reviewer: str | None = None, url: str | None = None, stage: str = D.TITLE_ABSTRACT,
             n: int = 1, batch: int | None = None, seed: int = 0) -> list[dict[str, Any]]:
    """The ``n`` records ``reviewer`` has not decided at ``stage``, ranked by relevance.

    The model is refitted on the catalog prior and every settled decision at that stage, so
    each call reflects the decisions taken so far. Each record comes with its score and
    the terms that raised it most.
    """
    reviewer = (reviewer or D.default_reviewer()).strip()
    with session_scope(url) as s:
        q = select(ScreeningRecord.id, ScreeningRecord.title, ScreeningRecord.keywords,
                   ScreeningRecord.abstract, ScreeningRecord.proposals, ScreeningRecord.status)
        if batch is not None:
            q = q.where(ScreeningRecord.batch_id == batch)
        rows = s.execute(q.order_by(ScreeningRecord.id)).all()
        pos, neg = _catalog_prior(s)
    if not rows:
        return []
    ids = [r.id for r in rows]
    at_stage = D.states(url, stage, ids)
    ta = at_stage if stage == D.TITLE_ABSTRACT else D.states(url, D.TITLE_ABSTRACT, ids)
    labels, candidates = {}, []
    for i, r in enumerate(rows):
        st = at_stage.get(r.id)
        if st and st.state in ("included", "excluded"):
            labels[i] = int(st.state == "included")
        if r.status == "duplicate" and not st:
            continue
        if stage == D.FULL_TEXT and (r.id not in ta or ta[r.id].state != "included"):
            continue
        if (st is None or st.state in ("pending", "conflict")) and (st is None or reviewer not in st.votes):
            candidates.append(i)
    ranker = Ranker([document(r.title, r.keywords, r.abstract, r.proposals) for r in rows], pos, neg, seed=seed)
    out = []
    for i, score, why in next_records(ranker, labels, candidates, n):
        r = rows[i]
        out.append(dict(id=r.id, title=r.title, score=round(score, 4), why=", ".join(why), stage=stage,
                        reviewer=reviewer, remaining=len(candidates)))
    return out


__all__ = ["next_for"]
