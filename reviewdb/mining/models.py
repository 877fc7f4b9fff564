"""The screening tables: what was imported, and what a reviewer decided about each entry.

Added by migrations ``0002`` (batches, records) and ``0004`` (the decision log, settings).
:mod:`reviewdb.schema` registers them beside the core tables for Alembic and its tests.
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, Boolean, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewdb.models import Base

STATUSES = ("pending", "included", "excluded", "duplicate")
STAGES = ("title-abstract", "full-text")
DECISIONS = ("include", "exclude", "withdraw")


def _now() -> datetime:
    return datetime.now(timezone.utc)


class ScreeningBatch(Base):
    """One mined file: where it came from and how many entries it held."""

    __tablename__ = "screening_batch"
    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    n_entries: Mapped[int] = mapped_column(Integer)
    n_duplicates: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    records: Mapped[list[ScreeningRecord]] = relationship(back_populates="batch", cascade="all, delete-orphan")


class ScreeningRecord(Base):
    """One mined entry: its bibliography, the proposed annotations (with triggers) and the decision.

    ``status``: pending (not screened yet), included, excluded (``reason`` required) or
    duplicate (``duplicate_of`` names the study or record it repeats, ``duplicate_kind``
    how it was found). ``completions`` holds what a reviewer filled in or corrected;
    ``study_citekey`` is set once the record was accepted into the catalog.
    """

    __tablename__ = "screening_record"
    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("screening_batch.id", ondelete="CASCADE"), index=True)
    citekey: Mapped[str] = mapped_column(String(200))
    entry_type: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    title_norm: Mapped[str] = mapped_column(String(400), index=True)
    authors: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    venue: Mapped[str | None] = mapped_column(Text)
    doi: Mapped[str | None] = mapped_column(String(200), index=True)
    arxiv_id: Mapped[str | None] = mapped_column(String(40), index=True)
    pmid: Mapped[str | None] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(Text)
    keywords: Mapped[str | None] = mapped_column(Text)
    abstract: Mapped[str | None] = mapped_column(Text)
    fields: Mapped[dict] = mapped_column(JSON)
    proposals: Mapped[list] = mapped_column(JSON)
    completions: Mapped[dict | None] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    reason: Mapped[str | None] = mapped_column(Text)
    duplicate_of: Mapped[str | None] = mapped_column(String(220))
    duplicate_kind: Mapped[str | None] = mapped_column(String(20))
    duplicate_score: Mapped[float | None] = mapped_column(Float)
    study_citekey: Mapped[str | None] = mapped_column(String(100))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    batch: Mapped[ScreeningBatch] = relationship(back_populates="records")
    __table_args__ = (
        Index("ix_screening_record_status_id", "status", "id"),
        CheckConstraint("status IN ('pending', 'included', 'excluded', 'duplicate')", name="status"),
        CheckConstraint("status != 'excluded' OR reason IS NOT NULL", name="excluded_reason"),
    )


class ScreeningDecision(Base):
    """One reviewer's decision on one record at one stage: a log, appended, never updated.

    A record's state at a stage is derived from these rows (see :mod:`reviewdb.mining.decisions`):
    ``withdraw`` takes back the same reviewer's earlier decision; ``resolution`` marks the
    decision that settles a conflict between reviewers.
    """

    __tablename__ = "screening_decision"
    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("screening_record.id", ondelete="CASCADE"))
    stage: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(100))
    decision: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(Text)
    resolution: Mapped[bool] = mapped_column(Boolean, default=False)
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __table_args__ = (
        Index("ix_screening_decision_record_stage", "record_id", "stage", "id"),
        CheckConstraint("stage IN ('title-abstract', 'full-text')", name="stage"),
        CheckConstraint("decision IN ('include', 'exclude', 'withdraw')", name="decision"),
        CheckConstraint("decision != 'exclude' OR reason IS NOT NULL", name="exclude_reason"),
    )


class ScreeningSetting(Base):
    """Review-team settings, e.g. ``reviewers_required`` (1: single screening, 2: dual)."""

    __tablename__ = "screening_setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
