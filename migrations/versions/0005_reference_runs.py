"""Reference runs and claim verdicts shipped with the catalog, told apart from a user's own;
the study year index led by the excluded flag.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('reproduction_run', sa.Column('reference', sa.Boolean(), server_default=sa.false(), nullable=False))
    op.add_column('claim_verdict', sa.Column('reference', sa.Boolean(), server_default=sa.false(), nullable=False))
    # listings hide excluded studies (0003): lead the year index with the flag
    op.drop_index('ix_study_year_id', table_name='study')
    op.create_index('ix_study_excluded_year_id', 'study', ['excluded', 'year', 'id'])


def downgrade() -> None:
    op.drop_index('ix_study_excluded_year_id', table_name='study')
    op.create_index('ix_study_year_id', 'study', ['year', 'id'])
    op.drop_column('claim_verdict', 'reference')
    op.drop_column('reproduction_run', 'reference')
