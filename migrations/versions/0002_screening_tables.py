"""Screening tables: mined BibTeX entries, their proposed annotations and the reviewer's decisions.

Models: reviewdb/mining/models.py (ScreeningBatch, ScreeningRecord).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screening_batch',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.Text(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('n_entries', sa.Integer(), nullable=False),
    sa.Column('n_duplicates', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_batch'))
    )
    op.create_table('screening_record',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('citekey', sa.String(length=200), nullable=False),
    sa.Column('entry_type', sa.String(length=40), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_norm', sa.String(length=400), nullable=False),
    sa.Column('authors', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('venue', sa.Text(), nullable=True),
    sa.Column('doi', sa.String(length=200), nullable=True),
    sa.Column('arxiv_id', sa.String(length=40), nullable=True),
    sa.Column('pmid', sa.String(length=20), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('keywords', sa.Text(), nullable=True),
    sa.Column('abstract', sa.Text(), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('proposals', sa.JSON(), nullable=False),
    sa.Column('completions', sa.JSON(), nullable=True),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('duplicate_of', sa.String(length=220), nullable=True),
    sa.Column('duplicate_kind', sa.String(length=20), nullable=True),
    sa.Column('duplicate_score', sa.Float(), nullable=True),
    sa.Column('study_citekey', sa.String(length=100), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("status != 'excluded' OR reason IS NOT NULL", name=op.f('ck_screening_record_excluded_reason')),
    sa.CheckConstraint("status IN ('pending', 'included', 'excluded', 'duplicate')", name=op.f('ck_screening_record_status')),
    sa.ForeignKeyConstraint(['batch_id'], ['screening_batch.id'], name=op.f('fk_screening_record_batch_id_screening_batch'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_record'))
    )
    with op.batch_alter_table('screening_record', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_screening_record_arxiv_id'), ['arxiv_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_record_batch_id'), ['batch_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_record_doi'), ['doi'], unique=False)
        batch_op.create_index('ix_screening_record_status_id', ['status', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_screening_record_title_norm'), ['title_norm'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('screening_record', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_screening_record_title_norm'))
        batch_op.drop_index('ix_screening_record_status_id')
        batch_op.drop_index(batch_op.f('ix_screening_record_doi'))
        batch_op.drop_index(batch_op.f('ix_screening_record_batch_id'))
        batch_op.drop_index(batch_op.f('ix_screening_record_arxiv_id'))

    op.drop_table('screening_record')
    op.drop_table('screening_batch')
