"""Initial schema: reviews, studies, vocabulary, translations, results, tallies, runs.

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 17:26:01.670297
"""
from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('anatomy',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_anatomy'))
    )
    op.create_table('architecture',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('name_norm', sa.String(length=100), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_architecture')),
    sa.UniqueConstraint('name', name=op.f('uq_architecture_name')),
    sa.UniqueConstraint('name_norm', name=op.f('uq_architecture_name_norm'))
    )
    op.create_table('claim_verdict',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=60), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('verdict', sa.String(length=20), nullable=False),
    sa.Column('numbers', sa.JSON(), nullable=False),
    sa.Column('ci_low', sa.Float(), nullable=True),
    sa.Column('ci_high', sa.Float(), nullable=True),
    sa.Column('n_seeds', sa.Integer(), nullable=False),
    sa.Column('command', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("verdict IN ('supported', 'not supported', 'inconclusive')", name=op.f('ck_claim_verdict_verdict')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_claim_verdict'))
    )
    with op.batch_alter_table('claim_verdict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_claim_verdict_code'), ['code'], unique=False)

    op.create_table('dataset',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('full_name', sa.Text(), nullable=True),
    sa.Column('modalities', sa.JSON(), nullable=True),
    sa.Column('anatomy', sa.JSON(), nullable=True),
    sa.Column('subjects', sa.Integer(), nullable=True),
    sa.Column('sites', sa.Integer(), nullable=True),
    sa.Column('public', sa.Boolean(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_dataset')),
    sa.UniqueConstraint('name', name=op.f('uq_dataset_name'))
    )
    op.create_table('metric',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('direction', sa.String(length=6), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.CheckConstraint("direction IN ('higher', 'lower')", name=op.f('ck_metric_direction')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_metric'))
    )
    op.create_table('modality',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('parent_code', sa.String(length=20), nullable=True),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.Column('is_imaging', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_code'], ['modality.code'], name=op.f('fk_modality_parent_code_modality')),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_modality'))
    )
    op.create_table('model_family',
    sa.Column('code', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_model_family'))
    )
    op.create_table('reproduction_run',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('method', sa.String(length=40), nullable=False),
    sa.Column('architectures', sa.JSON(), nullable=False),
    sa.Column('config', sa.JSON(), nullable=False),
    sa.Column('metrics', sa.JSON(), nullable=False),
    sa.Column('device', sa.String(length=60), nullable=False),
    sa.Column('wall_time_s', sa.Float(), nullable=False),
    sa.Column('code_version', sa.String(length=80), nullable=False),
    sa.Column('command', sa.Text(), nullable=False),
    sa.Column('artifacts_dir', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reproduction_run'))
    )
    with op.batch_alter_table('reproduction_run', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reproduction_run_method'), ['method'], unique=False)

    op.create_table('review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('authors', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('doi', sa.String(length=200), nullable=True),
    sa.Column('pmid', sa.String(length=20), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('included_total', sa.Integer(), nullable=True),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_review')),
    sa.UniqueConstraint('key', name=op.f('uq_review_key'))
    )
    op.create_table('task',
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_task'))
    )
    op.create_table('reported_tally',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.String(length=60), nullable=False),
    sa.Column('dimension', sa.String(length=40), nullable=False),
    sa.Column('key', sa.String(length=120), nullable=False),
    sa.Column('count', sa.Integer(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_reported_tally_review_id_review'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_tally')),
    sa.UniqueConstraint('review_id', 'location', 'dimension', 'key', name=op.f('uq_reported_tally_review_id'))
    )
    op.create_table('study',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citekey', sa.String(length=100), nullable=False),
    sa.Column('entry_type', sa.String(length=20), nullable=False),
    sa.Column('title', sa.Text(), nullable=False),
    sa.Column('title_norm', sa.String(length=400), nullable=False),
    sa.Column('authors', sa.Text(), nullable=True),
    sa.Column('year', sa.Integer(), nullable=True),
    sa.Column('venue', sa.String(length=300), nullable=True),
    sa.Column('doi', sa.String(length=200), nullable=True),
    sa.Column('arxiv_id', sa.String(length=40), nullable=True),
    sa.Column('pmid', sa.String(length=20), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=True),
    sa.Column('peer_reviewed', sa.Boolean(), nullable=False),
    sa.Column('task_code', sa.String(length=40), nullable=False),
    sa.Column('notes', sa.Text(), nullable=True),
    sa.Column('extra', sa.JSON(), nullable=True),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.ForeignKeyConstraint(['task_code'], ['task.code'], name=op.f('fk_study_task_code_task')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_study')),
    sa.UniqueConstraint('citekey', name=op.f('uq_study_citekey')),
    sa.UniqueConstraint('doi', name=op.f('uq_study_doi'))
    )
    with op.batch_alter_table('study', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_study_task_code'), ['task_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_study_title_norm'), ['title_norm'], unique=False)
        batch_op.create_index('ix_study_year_id', ['year', 'id'], unique=False)

    op.create_table('inclusion',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('review_id', sa.Integer(), nullable=False),
    sa.Column('ref_number', sa.Integer(), nullable=True),
    sa.Column('section', sa.String(length=40), nullable=True),
    sa.Column('status', sa.String(length=12), nullable=False),
    sa.Column('reason', sa.Text(), nullable=True),
    sa.CheckConstraint("status IN ('confirmed', 'candidate', 'excluded')", name=op.f('ck_inclusion_status')),
    sa.ForeignKeyConstraint(['review_id'], ['review.id'], name=op.f('fk_inclusion_review_id_review'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_inclusion_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inclusion')),
    sa.UniqueConstraint('study_id', 'review_id', name=op.f('uq_inclusion_study_id'))
    )
    with op.batch_alter_table('inclusion', schema=None) as batch_op:
        batch_op.create_index('ix_inclusion_status_study', ['status', 'study_id'], unique=False)

    op.create_table('study_anatomy',
    sa.Column('anatomy_code', sa.String(length=40), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['anatomy_code'], ['anatomy.code'], name=op.f('fk_study_anatomy_anatomy_code_anatomy')),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_study_anatomy_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('anatomy_code', 'study_id', name=op.f('pk_study_anatomy')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('study_anatomy', schema=None) as batch_op:
        batch_op.create_index('ix_study_anatomy_study', ['study_id'], unique=False)

    op.create_table('study_architecture',
    sa.Column('architecture_id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=10), nullable=False),
    sa.CheckConstraint("role IN ('proposed', 'baseline')", name=op.f('ck_study_architecture_role')),
    sa.ForeignKeyConstraint(['architecture_id'], ['architecture.id'], name=op.f('fk_study_architecture_architecture_id_architecture')),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_study_architecture_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('architecture_id', 'study_id', 'role', name=op.f('pk_study_architecture')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('study_architecture', schema=None) as batch_op:
        batch_op.create_index('ix_study_architecture_study', ['study_id'], unique=False)

    op.create_table('study_dataset',
    sa.Column('dataset_id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['dataset_id'], ['dataset.id'], name=op.f('fk_study_dataset_dataset_id_dataset')),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_study_dataset_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('dataset_id', 'study_id', name=op.f('pk_study_dataset')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('study_dataset', schema=None) as batch_op:
        batch_op.create_index('ix_study_dataset_study', ['study_id'], unique=False)

    op.create_table('study_family',
    sa.Column('family_code', sa.String(length=20), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['family_code'], ['model_family.code'], name=op.f('fk_study_family_family_code_model_family')),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_study_family_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('family_code', 'study_id', name=op.f('pk_study_family')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('study_family', schema=None) as batch_op:
        batch_op.create_index('ix_study_family_study', ['study_id'], unique=False)

    op.create_table('study_pair',
    sa.Column('source', sa.String(length=20), nullable=False),
    sa.Column('target', sa.String(length=20), nullable=False),
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_study_pair_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source', 'target', 'year', 'study_id', name=op.f('pk_study_pair')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('study_pair', schema=None) as batch_op:
        batch_op.create_index('ix_study_pair_study', ['study_id'], unique=False)

    op.create_table('translation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('ordinal', sa.Integer(), nullable=False),
    sa.Column('paired', sa.Boolean(), nullable=True),
    sa.Column('dims', sa.String(length=4), nullable=True),
    sa.Column('n_sources', sa.Integer(), nullable=False),
    sa.Column('n_targets', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_translation_study_id_study'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_translation')),
    sa.UniqueConstraint('study_id', 'ordinal', name=op.f('uq_translation_study_id'))
    )
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.create_index('ix_translation_paired_study', ['paired', 'study_id'], unique=False)

    op.create_table('reported_result',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('study_id', sa.Integer(), nullable=False),
    sa.Column('translation_id', sa.Integer(), nullable=True),
    sa.Column('metric_code', sa.String(length=20), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('unit', sa.String(length=10), nullable=False),
    sa.Column('dataset_name', sa.String(length=100), nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('evidence_url', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['metric_code'], ['metric.code'], name=op.f('fk_reported_result_metric_code_metric')),
    sa.ForeignKeyConstraint(['study_id'], ['study.id'], name=op.f('fk_reported_result_study_id_study'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['translation_id'], ['translation.id'], name=op.f('fk_reported_result_translation_id_translation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reported_result'))
    )
    with op.batch_alter_table('reported_result', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reported_result_metric_code'), ['metric_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_reported_result_study_id'), ['study_id'], unique=False)

    op.create_table('translation_modality',
    sa.Column('translation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=6), nullable=False),
    sa.Column('modality_code', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('source', 'target')", name=op.f('ck_translation_modality_role')),
    sa.ForeignKeyConstraint(['modality_code'], ['modality.code'], name=op.f('fk_translation_modality_modality_code_modality')),
    sa.ForeignKeyConstraint(['translation_id'], ['translation.id'], name=op.f('fk_translation_modality_translation_id_translation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('translation_id', 'role', 'modality_code', name=op.f('pk_translation_modality')),
    sqlite_with_rowid=False
    )


def downgrade() -> None:
    op.drop_table('translation_modality')
    with op.batch_alter_table('reported_result', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reported_result_study_id'))
        batch_op.drop_index(batch_op.f('ix_reported_result_metric_code'))

    op.drop_table('reported_result')
    with op.batch_alter_table('translation', schema=None) as batch_op:
        batch_op.drop_index('ix_translation_paired_study')

    op.drop_table('translation')
    with op.batch_alter_table('study_pair', schema=None) as batch_op:
        batch_op.drop_index('ix_study_pair_study')

    op.drop_table('study_pair')
    with op.batch_alter_table('study_family', schema=None) as batch_op:
        batch_op.drop_index('ix_study_family_study')

    op.drop_table('study_family')
    with op.batch_alter_table('study_dataset', schema=None) as batch_op:
        batch_op.drop_index('ix_study_dataset_study')

    op.drop_table('study_dataset')
    with op.batch_alter_table('study_architecture', schema=None) as batch_op:
        batch_op.drop_index('ix_study_architecture_study')

    op.drop_table('study_architecture')
    with op.batch_alter_table('study_anatomy', schema=None) as batch_op:
        batch_op.drop_index('ix_study_anatomy_study')

    op.drop_table('study_anatomy')
    with op.batch_alter_table('inclusion', schema=None) as batch_op:
        batch_op.drop_index('ix_inclusion_status_study')

    op.drop_table('inclusion')
    with op.batch_alter_table('study', schema=None) as batch_op:
        batch_op.drop_index('ix_study_year_id')
        batch_op.drop_index(batch_op.f('ix_study_title_norm'))
        batch_op.drop_index(batch_op.f('ix_study_task_code'))

    op.drop_table('study')
    op.drop_table('reported_tally')
    op.drop_table('task')
    op.drop_table('review')
    with op.batch_alter_table('reproduction_run', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reproduction_run_method'))

    op.drop_table('reproduction_run')
    op.drop_table('model_family')
    op.drop_table('modality')
    op.drop_table('metric')
    op.drop_table('dataset')
    with op.batch_alter_table('claim_verdict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_claim_verdict_code'))

    op.drop_table('claim_verdict')
    op.drop_table('architecture')
    op.drop_table('anatomy')
