"""Where a study's MRI contrasts were read, hidden excluded studies, and which method a
reported value belongs to.

- study.contrast_evidence: the page the MRI contrasts were read on.
- study.excluded, study_pair.excluded: every review that considered the study excluded it
  (set at load; the pair index filters on it without a join).
- reported_result.method / role: the method a value belongs to, proposed or baseline.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # plain ADD/DROP COLUMN (SQLite >= 3.35 has both): study_pair stays a WITHOUT ROWID table
    op.add_column('study', sa.Column('contrast_evidence', sa.Text(), nullable=True))
    op.add_column('study', sa.Column('excluded', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('study_pair', sa.Column('excluded', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('reported_result', sa.Column('method', sa.String(length=200), nullable=True))
    op.add_column('reported_result', sa.Column('role', sa.String(length=20), nullable=True))


def downgrade() -> None:
    op.drop_column('reported_result', 'role')
    op.drop_column('reported_result', 'method')
    op.drop_column('study_pair', 'excluded')
    op.drop_column('study', 'excluded')
    op.drop_column('study', 'contrast_evidence')
