"""The schema: SQLAlchemy 2.0 typed ORM models.

Alembic migrations in ``migrations/`` are the only way this schema reaches a database;
``tests/test_migrations.py`` proves the two agree. Indexes follow the queries users run:
the modality-pair lookup is answered from :class:`StudyPair` alone (see its docstring).
"""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    false as sa_false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


#: Link tables are keyed by their whole primary key: on SQLite, WITHOUT ROWID stores each
#: row once, in primary-key order, instead of a rowid table plus a separate key index.
NO_ROWID = {"sqlite_with_rowid": False}


def _now() -> datetime:
    return datetime.now(timezone.utc)


# --- vocabulary tables (synchronised from reviewdb.vocabulary) ---------------------------


class Task(Base):
    __tablename__ = "task"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))


class Modality(Base):
    """Hierarchical modality codes: ``MRI`` is the parent of ``MRI:T1``."""

    __tablename__ = "modality"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    parent_code: Mapped[str | None] = mapped_column(ForeignKey("modality.code"))
    label: Mapped[str] = mapped_column(String(120))
    is_imaging: Mapped[bool] = mapped_column(Boolean, default=True)


class ModelFamily(Base):
    __tablename__ = "model_family"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))


class Anatomy(Base):
    __tablename__ = "anatomy"
    code: Mapped[str] = mapped_column(String(40), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))


class Metric(Base):
    __tablename__ = "metric"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    label: Mapped[str] = mapped_column(String(120))
    direction: Mapped[str] = mapped_column(String(6))
    unit: Mapped[str] = mapped_column(String(10), default="")
    __table_args__ = (CheckConstraint("direction IN ('higher', 'lower')", name="direction"),)


# --- reviews and studies --------------------------------------------------------------


class Review(Base):
    __tablename__ = "review"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(60), unique=True)
    title: Mapped[str] = mapped_column(Text)
    authors: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    venue: Mapped[str | None] = mapped_column(String(300))
    doi: Mapped[str | None] = mapped_column(String(200))
    pmid: Mapped[str | None] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    included_total: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)


class Study(Base):
    """One primary study. Bibliographic facts carry the URL where they were confirmed."""

    __tablename__ = "study"
    id: Mapped[int] = mapped_column(primary_key=True)
    citekey: Mapped[str] = mapped_column(String(100), unique=True)
    entry_type: Mapped[str] = mapped_column(String(20), default="article")
    title: Mapped[str] = mapped_column(Text)
    title_norm: Mapped[str] = mapped_column(String(400), index=True)
    authors: Mapped[str | None] = mapped_column(Text)
    year: Mapped[int | None] = mapped_column(Integer)
    venue: Mapped[str | None] = mapped_column(String(300))
    doi: Mapped[str | None] = mapped_column(String(200), unique=True)
    arxiv_id: Mapped[str | None] = mapped_column(String(40))
    pmid: Mapped[str | None] = mapped_column(String(20))
    url: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    peer_reviewed: Mapped[bool] = mapped_column(Boolean, default=True)
    task_code: Mapped[str] = mapped_column(ForeignKey("task.code"), index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    #: the page on which the study's MRI contrasts were read (empty: not read, or no MRI side)
    contrast_evidence: Mapped[str | None] = mapped_column(Text)
    #: every review that considered the study excluded it: hidden unless asked for
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    extra: Mapped[dict | None] = mapped_column(JSON)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: derived at load (reviewdb.listing): the listing's text columns, and bit sets of the
    #: study's families and anatomy that every study_pair row copies for its filters
    listing: Mapped[dict | None] = mapped_column(JSON(none_as_null=True))  # None: not derived yet
    family_mask: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    anatomy_mask: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")

    translations: Mapped[list[Translation]] = relationship(
        back_populates="study", cascade="all, delete-orphan", order_by="Translation.ordinal"
    )
    # the default listing hides excluded studies: pages and counts by year read this index alone
    __table_args__ = (Index("ix_study_excluded_year_id", "excluded", "year", "id"),)


class Inclusion(Base):
    """Study x review: confirmed (the review names it), candidate, or excluded (+ reason)."""

    __tablename__ = "inclusion"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"))
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    ref_number: Mapped[int | None] = mapped_column(Integer)
    section: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(12))
    reason: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (
        UniqueConstraint("study_id", "review_id"),
        Index("ix_inclusion_status_study", "status", "study_id"),
        CheckConstraint("status IN ('confirmed', 'candidate', 'excluded')", name="status"),
    )


class Translation(Base):
    """One directed mapping of a study: a set of sources -> a set of targets."""

    __tablename__ = "translation"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)
    paired: Mapped[bool | None] = mapped_column(Boolean)
    dims: Mapped[str | None] = mapped_column(String(4))
    n_sources: Mapped[int] = mapped_column(Integer)
    n_targets: Mapped[int] = mapped_column(Integer)
    study: Mapped[Study] = relationship(back_populates="translations")
    modalities: Mapped[list[TranslationModality]] = relationship(cascade="all, delete-orphan")
    __table_args__ = (
        UniqueConstraint("study_id", "ordinal"),
        Index("ix_translation_paired_study", "paired", "study_id"),
    )


class TranslationModality(Base):
    __tablename__ = "translation_modality"
    translation_id: Mapped[int] = mapped_column(
        ForeignKey("translation.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(6), primary_key=True)
    modality_code: Mapped[str] = mapped_column(ForeignKey("modality.code"), primary_key=True)
    __table_args__ = (CheckConstraint("role IN ('source', 'target')", name="role"), NO_ROWID)


class StudyPair(Base):
    """Derived index of every (source, target) a study translates, at every level.

    For each translation and each source s x target t, rows hold s and its top level
    crossed with t and its top level, plus ``*`` wildcards for "any". A filter such as
    "source MRI (with children), target CT" is then one primary-key range
    (source='MRI', target='CT'), already distinct per study and ordered by year, so the
    first page and the count need no join and no DISTINCT. Rebuilt at ingest.
    """

    __tablename__ = "study_pair"
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    target: Mapped[str] = mapped_column(String(20), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("study.id", ondelete="CASCADE"), primary_key=True
    )
    #: copy of study.excluded: the default query hides excluded studies with a column test
    excluded: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    #: copies of the study's masks, and whether its translations of this pair are paired
    #: (bit 1) or unpaired (bit 2): the pair page's filters are bit tests on the rows it reads
    family_mask: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    anatomy_mask: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    paired_mask: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    __table_args__ = (Index("ix_study_pair_study", "study_id"), NO_ROWID)


class PairTotal(Base):
    """Studies per (source, target, facet, year), excluded studies left out: the totals of a
    pair page with a year range and at most one more filter, the counts by year and the pair
    matrix, read from a few rows instead of counted over thousands.

    Pairs are those of ``study_pair``; ``('*', '*')`` counts every study, with or without a
    translation. ``facet`` is ``''`` (no filter), ``family:GAN``, ``anatomy:brain`` or, for
    pairs only, ``paired:yes`` / ``paired:no``. Year 0 is "year unknown", as in study_pair.
    The loader recounts every pair a load touches (and ``('*', '*')`` always).
    """

    __tablename__ = "pair_total"
    source: Mapped[str] = mapped_column(String(20), primary_key=True)
    target: Mapped[str] = mapped_column(String(20), primary_key=True)
    facet: Mapped[str] = mapped_column(String(60), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    studies: Mapped[int] = mapped_column(Integer)


class StudyFamily(Base):
    __tablename__ = "study_family"
    family_code: Mapped[str] = mapped_column(ForeignKey("model_family.code"), primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("study.id", ondelete="CASCADE"), primary_key=True
    )
    __table_args__ = (Index("ix_study_family_study", "study_id"), NO_ROWID)


class Architecture(Base):
    __tablename__ = "architecture"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    name_norm: Mapped[str] = mapped_column(String(100), unique=True)


class StudyArchitecture(Base):
    __tablename__ = "study_architecture"
    architecture_id: Mapped[int] = mapped_column(ForeignKey("architecture.id"), primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("study.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[str] = mapped_column(String(10), primary_key=True)
    __table_args__ = (
        Index("ix_study_architecture_study", "study_id"),
        CheckConstraint("role IN ('proposed', 'baseline')", name="role"),
        NO_ROWID,
    )


class StudyAnatomy(Base):
    __tablename__ = "study_anatomy"
    anatomy_code: Mapped[str] = mapped_column(ForeignKey("anatomy.code"), primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("study.id", ondelete="CASCADE"), primary_key=True
    )
    __table_args__ = (Index("ix_study_anatomy_study", "study_id"), NO_ROWID)


class Dataset(Base):
    __tablename__ = "dataset"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    full_name: Mapped[str | None] = mapped_column(Text)
    modalities: Mapped[list | None] = mapped_column(JSON)
    anatomy: Mapped[list | None] = mapped_column(JSON)
    subjects: Mapped[int | None] = mapped_column(Integer)
    sites: Mapped[int | None] = mapped_column(Integer)
    public: Mapped[bool | None] = mapped_column(Boolean)
    url: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class StudyDataset(Base):
    __tablename__ = "study_dataset"
    dataset_id: Mapped[int] = mapped_column(ForeignKey("dataset.id"), primary_key=True)
    study_id: Mapped[int] = mapped_column(
        ForeignKey("study.id", ondelete="CASCADE"), primary_key=True
    )
    __table_args__ = (Index("ix_study_dataset_study", "study_id"), NO_ROWID)


class ReportedResult(Base):
    """A value a study reported, with where it was read."""

    __tablename__ = "reported_result"
    id: Mapped[int] = mapped_column(primary_key=True)
    study_id: Mapped[int] = mapped_column(ForeignKey("study.id", ondelete="CASCADE"), index=True)
    translation_id: Mapped[int | None] = mapped_column(
        ForeignKey("translation.id", ondelete="CASCADE")
    )
    metric_code: Mapped[str] = mapped_column(ForeignKey("metric.code"), index=True)
    value: Mapped[float] = mapped_column(Float)
    unit: Mapped[str] = mapped_column(String(10), default="")
    dataset_name: Mapped[str | None] = mapped_column(String(100))
    #: the method the value belongs to, and whether the study proposed it or ran it as a baseline
    method: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)
    evidence_url: Mapped[str] = mapped_column(Text)


class ReportedTally(Base):
    """A count the review itself reports, kept apart from what the catalog counts."""

    __tablename__ = "reported_tally"
    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("review.id", ondelete="CASCADE"))
    location: Mapped[str] = mapped_column(String(60))
    dimension: Mapped[str] = mapped_column(String(40))
    key: Mapped[str] = mapped_column(String(120))
    count: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)
    __table_args__ = (UniqueConstraint("review_id", "location", "dimension", "key"),)


# --- reproductions and claims ---------------------------------------------------------


class ReproductionRun(Base):
    """One run of a reproduction: what ran, where, how long, and what it measured."""

    __tablename__ = "reproduction_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    method: Mapped[str] = mapped_column(String(40), index=True)
    architectures: Mapped[list] = mapped_column(JSON)
    config: Mapped[dict] = mapped_column(JSON)
    metrics: Mapped[dict] = mapped_column(JSON)
    device: Mapped[str] = mapped_column(String(60))
    wall_time_s: Mapped[float] = mapped_column(Float)
    code_version: Mapped[str] = mapped_column(String(80))
    command: Mapped[str] = mapped_column(Text)
    artifacts_dir: Mapped[str | None] = mapped_column(Text)
    #: shipped with the catalog (measured by the project's own runner), not a user's run
    reference: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)


class ClaimVerdict(Base):
    """The verdict of one run of a claim experiment, with its numbers."""

    __tablename__ = "claim_verdict"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), index=True)
    statement: Mapped[str] = mapped_column(Text)
    verdict: Mapped[str] = mapped_column(String(20))
    numbers: Mapped[dict] = mapped_column(JSON)
    ci_low: Mapped[float | None] = mapped_column(Float)
    ci_high: Mapped[float | None] = mapped_column(Float)
    n_seeds: Mapped[int] = mapped_column(Integer)
    command: Mapped[str] = mapped_column(Text)
    reference: Mapped[bool] = mapped_column(Boolean, default=False, server_default=sa_false())
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=_now)
    __table_args__ = (
        CheckConstraint(
            "verdict IN ('supported', 'not supported', 'inconclusive')", name="verdict"
        ),
    )

