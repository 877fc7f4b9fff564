"""Screening decisions as a log, and every state derived from it.

How review teams screen (the review itself: two authors independently, a third settling
disagreements), as rules:

- a decision is a row (record, stage, reviewer, include/exclude, reason, time), appended and
  never changed; ``withdraw`` takes back the same reviewer's decision, as a new row;
- a record needs ``reviewers_required`` independent decisions per stage (1 by default, 2 for
  dual screening); a reviewer decides once per record and stage;
- agreeing decisions settle the stage; disagreeing ones are a *conflict*, settled by a
  decision with ``resolve`` from a reviewer who was not one of them;
- stages run in order: title/abstract, then full text for what title/abstract included;
- an exclusion names a criterion code (:data:`reviewdb.vocabulary.EXCLUSION_REASONS`);
  ``other`` needs words;
- blind: what a reviewer is shown of a stage hides the others' decisions until it is settled.

``screening_record.status`` keeps the title/abstract outcome as a cached column (the
dashboard and the catalog's accept step read it); it is recomputed from the log in the
same transaction as every decision.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Iterable

from sqlalchemy import select

from reviewdb import vocabulary as V
from reviewdb.db import session_scope
from reviewdb.errors import ReviewDBError
from reviewdb.mining.models import STAGES, ScreeningDecision, ScreeningRecord, ScreeningSetting

TITLE_ABSTRACT, FULL_TEXT = STAGES
REVIEWER_ENV = "REVIEWDB_REVIEWER"


class DecisionError(ReviewDBError, ValueError):
    """A decision that cannot be taken (unknown record, second decision, skipped stage ...)."""


def default_reviewer() -> str:
    """``$REVIEWDB_REVIEWER``, else the login name: who decides when ``--reviewer`` is not given."""
    return os.environ.get(REVIEWER_ENV) or getpass.getuser()


# --- settings ---------------------------------------------------------------------------------


def reviewers_required(url: str | None = None, s=None) -> int:
    """How many independent decisions settle a stage (the team's setting; default 1)."""
    def read(sess):
        row = sess.get(ScreeningSetting, "reviewers_required")
        return int(row.value) if row else 1
    if s is not None:
        return read(s)
    with session_scope(url) as sess:
        return read(sess)


def set_reviewers_required(n: int, url: str | None = None) -> int:
    if n not in (1, 2, 3):
        raise DecisionError(f"reviewers per record must be 1, 2 or 3, got {n}")
    with session_scope(url, write=True) as s:
        row = s.get(ScreeningSetting, "reviewers_required")
        if row is None:
            s.add(ScreeningSetting(key="reviewers_required", value=str(n)))
        else:
            row.value = str(n)
    return n


# --- deriving a stage's state -----------------------------------------------------------------


@dataclass
class StageState:
    """The outcome of one stage of one record, derived from its decision rows."""

    state: str  # pending | included | excluded | conflict
    votes: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # reviewer -> (decision, reason)
    resolution: tuple[str, str, str | None] | None = None  # (reviewer, decision, reason)

    @property
    def reason(self) -> str | None:
        if self.resolution:
            return self.resolution[2]
        reasons = [r for d, r in self.votes.values() if d == "exclude" and r]
        return reasons[0] if reasons else None


def derive(rows: Iterable[ScreeningDecision | tuple], required: int) -> StageState:
    """The state of a stage from its decision rows, oldest first.

    Each reviewer's latest row counts (``withdraw`` removes the reviewer); a resolution
    settles a conflict; otherwise ``required`` agreeing reviewers settle it.
    """
    votes: dict[str, tuple[str, str | None]] = {}
    resolution = None
    for r in rows:
        reviewer, decision, reason, resolved = (r.reviewer, r.decision, r.reason, r.resolution) \
            if isinstance(r, ScreeningDecision) else r
        if resolved:
            resolution = None if decision == "withdraw" else (reviewer, decision, reason)
        elif decision == "withdraw":
            votes.pop(reviewer, None)
        else:
            votes[reviewer] = (decision, reason)
    if resolution:
        return StageState("included" if resolution[1] == "include" else "excluded", votes, resolution)
    if len(votes) < required:
        return StageState("pending", votes)
    kinds = {d for d, _ in votes.values()}
    if len(kinds) > 1:
        return StageState("conflict", votes)
    return StageState("included" if kinds == {"include"} else "excluded", votes)


def _rows(s, record_ids: Iterable[int] | None = None, stage: str | None = None) -> dict[tuple[int, str], list]:
    q = select(ScreeningDecision.record_id, ScreeningDecision.stage, ScreeningDecision.reviewer,
               ScreeningDecision.decision, ScreeningDecision.reason, ScreeningDecision.resolution
               ).order_by(ScreeningDecision.id)
    if record_ids is not None:
        q = q.where(ScreeningDecision.record_id.in_(list(record_ids)))
    if stage:
        q = q.where(ScreeningDecision.stage == stage)
    out: dict[tuple[int, str], list] = {}
    for rid, st, reviewer, decision, reason, resolved in s.execute(q):
        out.setdefault((rid, st), []).append((reviewer, decision, reason, resolved))
    return out


def states(url: str | None = None, stage: str = TITLE_ABSTRACT,
           record_ids: Iterable[int] | None = None) -> dict[int, StageState]:
    """Every record's state at ``stage`` that has at least one decision there."""
    with session_scope(url) as s:
        required = reviewers_required(s=s)
        return {rid: derive(rows, required) for (rid, _), rows in _rows(s, record_ids, stage).items()}


# --- taking a decision --------------------------------------------------------------------------


def _check_reason(decision: str, reason: str | None) -> str | None:
    if decision != "exclude":
        return None
    reason = (reason or "").strip()
    code = V.exclusion_code(reason) if reason else None
    if code is None:
        raise DecisionError("an exclusion needs a reason that starts with one of "
                            f"{', '.join(V.EXCLUSION_REASONS)} (e.g. 'wrong-task: segmentation only')")
    if code == "other" and not reason.partition(":")[2].strip():
        raise DecisionError("'other' needs words: --reason 'other: what is wrong with it'")
    return reason


def decide(record_id: int, decision: str, reviewer: str | None = None, reason: str | None = None,
           stage: str = TITLE_ABSTRACT, resolve: bool = False, url: str | None = None) -> dict[str, Any]:
    """Append one reviewer's decision and return the record's state at that stage.

    :raises DecisionError: unknown record, stage or decision; a reviewer deciding twice; a
        full-text decision on a record title/abstract did not include; a resolution where
        there is no conflict or by one of the conflicting reviewers; an exclusion without a
        criterion. Nothing is written then.
    """
    reviewer = (reviewer or default_reviewer()).strip()
    if not reviewer:
        raise DecisionError("a decision needs a reviewer name (--reviewer NAME)")
    if stage not in STAGES:
        raise DecisionError(f"stage must be one of {', '.join(STAGES)}, got {stage!r}")
    if decision not in ("include", "exclude", "withdraw"):
        raise DecisionError(f"decision must be include, exclude or withdraw, got {decision!r}")
    reason = _check_reason(decision, reason)
    with session_scope(url, write=True) as s:
        record = s.get(ScreeningRecord, int(record_id))
        if record is None:
            raise DecisionError(f"no screening record with id {record_id}")
        required = reviewers_required(s=s)
        rows = _rows(s, [record.id])
        if stage == FULL_TEXT:
            ta = derive(rows.get((record.id, TITLE_ABSTRACT), []), required)
            if ta.state != "included":
                raise DecisionError(f"record {record_id} is {ta.state} at title/abstract screening; only records "
                                    "it included go on to full-text screening")
        now = derive(rows.get((record.id, stage), []), required)
        if resolve:
            if now.state != "conflict" and not now.resolution:
                raise DecisionError(f"record {record_id} has no conflict to resolve at {stage} (it is {now.state})")
            if reviewer in now.votes:
                raise DecisionError(f"{reviewer} took part in the conflict on record {record_id}; a third "
                                    "reviewer resolves it")
        elif decision == "withdraw":
            if reviewer not in now.votes:
                raise DecisionError(f"{reviewer} has no decision on record {record_id} at {stage} to withdraw")
        elif reviewer in now.votes:
            raise DecisionError(f"{reviewer} already decided record {record_id} at {stage} "
                                f"({now.votes[reviewer][0]}); withdraw it first to change it")
        if record.study_citekey and stage == TITLE_ABSTRACT and decision != "include":
            raise DecisionError(f"record {record_id} was accepted into the catalog as {record.study_citekey}; "
                                "remove the study there before changing its screening")
        s.add(ScreeningDecision(record_id=record.id, stage=stage, reviewer=reviewer, decision=decision,
                                reason=reason, resolution=resolve, decided_at=datetime.now(timezone.utc)))
        s.flush()
        after = derive(_rows(s, [record.id], stage).get((record.id, stage), []), required)
        if stage == TITLE_ABSTRACT:
            _cache_status(record, after)
        return dict(id=record.id, stage=stage, reviewer=reviewer, decision=decision, state=after.state,
                    status=record.status, reason=after.reason, title=record.title)


def include_within(s, record: ScreeningRecord, reviewer: str | None) -> None:
    """Append ``reviewer``'s title/abstract inclusion inside the caller's transaction (accepting
    a record nobody has decided yet includes it)."""
    s.add(ScreeningDecision(record_id=record.id, stage=TITLE_ABSTRACT, reviewer=(reviewer or default_reviewer()),
                            decision="include", reason=None, resolution=False,
                            decided_at=datetime.now(timezone.utc)))
    record.status, record.reason = "included", None


def _cache_status(record: ScreeningRecord, ta: StageState) -> None:
    """The title/abstract outcome on the record row (duplicates stay duplicates until decided)."""
    if ta.state in ("included", "excluded"):
        record.status, record.reason = ta.state, ta.reason
    elif record.status != "duplicate" or ta.votes:
        record.status, record.reason = "pending", None
    record.decided_at = datetime.now(timezone.utc)


# --- what the team looks at -------------------------------------------------------------------------


def visible_votes(state: StageState, viewer: str | None) -> dict[str, tuple[str, str | None]]:
    """Blind screening: until a stage is settled, a reviewer sees only their own decision."""
    if viewer is None or state.state != "pending":
        return dict(state.votes)
    return {r: v for r, v in state.votes.items() if r == viewer}


def conflicts(url: str | None = None, stage: str = TITLE_ABSTRACT) -> list[dict[str, Any]]:
    """Records whose reviewers disagree at ``stage``, with each reviewer's decision."""
    return [dict(id=rid, votes={r: d for r, (d, _) in st.votes.items()},
                 reasons={r: why for r, (_, why) in st.votes.items() if why})
            for rid, st in sorted(states(url, stage).items()) if st.state == "conflict"]


def decided_by(url: str | None, reviewer: str, stage: str = TITLE_ABSTRACT) -> set[int]:
    """Records ``reviewer`` has a standing decision on at ``stage``."""
    return {rid for rid, st in states(url, stage).items() if reviewer in st.votes}


def agreement(url: str | None = None, stage: str = TITLE_ABSTRACT) -> list[dict[str, Any]]:
    """Cohen's kappa for every pair of reviewers over the records both decided at ``stage``."""
    st = states(url, stage)
    by_reviewer: dict[str, dict[int, str]] = {}
    for rid, s_ in st.items():
        for reviewer, (d, _) in s_.votes.items():
            by_reviewer.setdefault(reviewer, {})[rid] = d
    out = []
    names = sorted(by_reviewer)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            common = sorted(set(by_reviewer[a]) & set(by_reviewer[b]))
            if not common:
                continue
            pairs = [(by_reviewer[a][r], by_reviewer[b][r]) for r in common]
            out.append(dict(reviewers=f"{a} / {b}", records=len(common),
                            agreement=sum(x == y for x, y in pairs) / len(pairs), kappa=cohen_kappa(pairs)))
    return out


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    """Cohen's kappa of two raters' labels; 1.0 when both agree on everything, even on one label."""
    n = len(pairs)
    if not n:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    labels = {x for p in pairs for x in p}
    pe = sum((sum(a == l for a, _ in pairs) / n) * (sum(b == l for _, b in pairs) / n) for l in labels)
    return 1.0 if pe == 1 else (po - pe) / (1 - pe)


__all__ = ["decide", "derive", "states", "conflicts", "agreement", "cohen_kappa", "reviewers_required",
           "set_reviewers_required", "visible_votes", "decided_by", "default_reviewer", "DecisionError",
           "StageState", "TITLE_ABSTRACT", "FULL_TEXT"]
