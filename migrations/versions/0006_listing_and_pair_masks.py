"""Listing text and filter masks stored with each study and pair row; studies per pair.

The loader now works out at write time what every page read recomputed: the listing's
text columns (study.listing), family/anatomy bit sets (study and study_pair), paired bits
per pair row, and the studies per pair and year (pair_total). Rows written before this revision are
filled in by ``reviewdb.catalog.loader.refresh_derived``, which ``reviewdb.db.upgrade`` runs
after the migrations.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column('study', sa.Column('listing', sa.JSON(), nullable=True))
    op.add_column('study', sa.Column('family_mask', sa.Integer(), server_default='0', nullable=False))
    op.add_column('study', sa.Column('anatomy_mask', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('study_pair') as batch:
        batch.add_column(sa.Column('family_mask', sa.Integer(), server_default='0', nullable=False))
        batch.add_column(sa.Column('anatomy_mask', sa.BigInteger(), server_default='0', nullable=False))
        batch.add_column(sa.Column('paired_mask', sa.SmallInteger(), server_default='0', nullable=False))
    op.create_table(
        'pair_total',
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('target', sa.String(length=20), nullable=False),
        sa.Column('facet', sa.String(length=60), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('studies', sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint('source', 'target', 'facet', 'year'),
    )


def downgrade() -> None:
    op.drop_table('pair_total')
    with op.batch_alter_table('study_pair') as batch:
        batch.drop_column('paired_mask')
        batch.drop_column('anatomy_mask')
        batch.drop_column('family_mask')
    op.drop_column('study', 'anatomy_mask')
    op.drop_column('study', 'family_mask')
    op.drop_column('study', 'listing')
