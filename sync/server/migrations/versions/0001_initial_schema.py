"""Initial schema: areas, users, sessions, templates, entities, history, submissions, changelog.

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-21 23:27:52.849272
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('areas',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent', sa.String(length=32), nullable=True),
    sa.PrimaryKeyConstraint('code')
    )
    op.create_table('changelog',
    sa.Column('type', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('seq', sa.BigInteger(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('deleted', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('type', 'key'),
    sa.UniqueConstraint('seq')
    )
    with op.batch_alter_table('changelog', schema=None) as batch_op:
        batch_op.create_index('ix_changelog_area_seq', ['area', 'seq'], unique=False)

    op.create_table('codelists',
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('items', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('name')
    )
    op.create_table('entities',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('template', sa.String(length=100), nullable=False),
    sa.Column('template_version', sa.String(length=64), nullable=False),
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.Column('house_id', sa.String(length=36), nullable=True),
    sa.Column('household_id', sa.String(length=36), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('id_number', sa.String(length=64), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.create_index('ix_entities_grid', ['grid', 'kind'], unique=False)
        batch_op.create_index('ix_entities_house', ['house_id'], unique=False)
        batch_op.create_index('ix_entities_household', ['household_id'], unique=False)
        batch_op.create_index('ix_entities_id_number', ['id_number'], unique=False)

    op.create_table('entity_tags',
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('entity_id', 'tag')
    )
    with op.batch_alter_table('entity_tags', schema=None) as batch_op:
        batch_op.create_index('ix_entity_tags_grid', ['grid', 'tag'], unique=False)

    op.create_table('entity_versions',
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('snapshot', sa.JSON(), nullable=False),
    sa.PrimaryKeyConstraint('entity_id', 'rev')
    )
    op.create_table('history',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('rev', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=200), nullable=False),
    sa.Column('old', sa.JSON(), nullable=True),
    sa.Column('new', sa.JSON(), nullable=True),
    sa.Column('submission_id', sa.String(length=36), nullable=True),
    sa.Column('author_id', sa.String(length=36), nullable=True),
    sa.Column('approved_by', sa.String(length=36), nullable=True),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.create_index('ix_history_entity', ['entity_id', 'id'], unique=False)

    op.create_table('login_failures',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('key', sa.String(length=300), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.create_index('ix_login_failures_key', ['key', 'failed_at'], unique=False)

    op.create_table('seq_counter',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('value', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('server_settings',
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('value', sa.Text(), nullable=False),
    sa.PrimaryKeyConstraint('key')
    )
    op.create_table('submissions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=True),
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('body', sa.JSON(), nullable=False),
    sa.Column('result', sa.JSON(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('resubmits', sa.String(length=36), nullable=True),
    sa.Column('submitted_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.String(length=36), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.create_index('ix_submissions_queue', ['status', 'grid'], unique=False)

    op.create_table('templates',
    sa.Column('form_id', sa.String(length=100), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('entity', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('approval_required', sa.Boolean(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('xlsx', sa.LargeBinary(), nullable=False),
    sa.Column('tags', sa.JSON(), nullable=False),
    sa.Column('area', sa.String(length=32), nullable=False),
    sa.Column('published_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('published_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('form_id', 'version')
    )
    op.create_table('users',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('username', sa.String(length=64), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('username')
    )
    op.create_table('sessions',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=False),
    sa.Column('refresh_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('refresh_hash')
    )
    op.create_table('user_areas',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('area_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['area_code'], ['areas.code'], ),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'area_code')
    )

    seq = sa.table('seq_counter', sa.column('id', sa.Integer), sa.column('value', sa.BigInteger))
    op.bulk_insert(seq, [{'id': 1, 'value': 0}])

def downgrade() -> None:
    op.drop_table('user_areas')
    op.drop_table('sessions')
    op.drop_table('users')
    op.drop_table('templates')
    with op.batch_alter_table('submissions', schema=None) as batch_op:
        batch_op.drop_index('ix_submissions_queue')

    op.drop_table('submissions')
    op.drop_table('server_settings')
    op.drop_table('seq_counter')
    with op.batch_alter_table('login_failures', schema=None) as batch_op:
        batch_op.drop_index('ix_login_failures_key')

    op.drop_table('login_failures')
    with op.batch_alter_table('history', schema=None) as batch_op:
        batch_op.drop_index('ix_history_entity')

    op.drop_table('history')
    op.drop_table('entity_versions')
    with op.batch_alter_table('entity_tags', schema=None) as batch_op:
        batch_op.drop_index('ix_entity_tags_grid')

    op.drop_table('entity_tags')
    with op.batch_alter_table('entities', schema=None) as batch_op:
        batch_op.drop_index('ix_entities_id_number')
        batch_op.drop_index('ix_entities_household')
        batch_op.drop_index('ix_entities_house')
        batch_op.drop_index('ix_entities_grid')

    op.drop_table('entities')
    op.drop_table('codelists')
    with op.batch_alter_table('changelog', schema=None) as batch_op:
        batch_op.drop_index('ix_changelog_area_seq')

    op.drop_table('changelog')
    op.drop_table('areas')
