"""The screening tables: what was imported, and what a reviewer decided about each entry.

Added by migration ``0002``. ``reviewdb.models`` imports this module at its end, so one
``Base.metadata`` holds the whole schema (Alembic's comparison and the tests see it).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import JSON, CheckConstraint, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from reviewdb.models import Base

STATUSES = ("pending", "included", "excluded", "duplicate")


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
