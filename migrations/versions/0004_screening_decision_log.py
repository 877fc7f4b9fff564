"""Screening as a log: every decision a row (record, stage, reviewer, decision, reason, time),
plus review-team settings (how many independent decisions a record needs).

Existing decisions (status on screening_record) are carried into the log as the decisions
of reviewer "imported", so no decision is lost.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""
from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('screening_decision',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('reviewer', sa.String(length=100), nullable=False),
    sa.Column('decision', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.Column('resolution', sa.Boolean(), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("stage IN ('title-abstract', 'full-text')", name=op.f('ck_screening_decision_stage')),
    sa.CheckConstraint("decision IN ('include', 'exclude', 'withdraw')", name=op.f('ck_screening_decision_decision')),
    sa.CheckConstraint("decision != 'exclude' OR reason IS NOT NULL", name=op.f('ck_screening_decision_exclude_reason')),
    sa.ForeignKeyConstraint(['record_id'], ['screening_record.id'], name=op.f('fk_screening_decision_record_id_screening_record'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_screening_decision'))
    )
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.create_index('ix_screening_decision_record_stage', ['record_id', 'stage', 'id'], unique=False)
    op.create_table('screening_setting',
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_screening_setting'))
    )
    op.execute(
        "INSERT INTO screening_decision (record_id, stage, reviewer, decision, reason, resolution, decided_at) "
        "SELECT id, 'title-abstract', 'imported', CASE status WHEN 'included' THEN 'include' ELSE 'exclude' END, "
        "reason, false, COALESCE(decided_at, created_at) FROM screening_record WHERE status IN ('included', 'excluded')")


def downgrade() -> None:
    with op.batch_alter_table('screening_decision', schema=None) as batch_op:
        batch_op.drop_index('ix_screening_decision_record_stage')
    op.drop_table('screening_decision')
    op.drop_table('screening_setting')
