"""Retired refresh tokens, so that a reused one ends its session; the digest of a submission's body,
so that the same id with another body is not taken for a retry; templates keyed by (form_id, version,
area), so that sibling areas each name their own versions.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-04 18:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retired_refresh',
    sa.Column('refresh_hash', sa.String(length=64), nullable=False),
    sa.Column('session_id', sa.String(length=36), nullable=False),
    sa.Column('retired_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['sessions.id'], ),
    sa.PrimaryKeyConstraint('refresh_hash')
    )
    with op.batch_alter_table('submissions') as batch:
        batch.add_column(sa.Column('body_digest', sa.String(length=64), nullable=True))
    _rekey_templates(['form_id', 'version', 'area'])


_TEMPLATE_COLUMNS = ('form_id', 'version', 'entity', 'title', 'approval_required', 'sha256', 'xlsx', 'tags',
                     'area', 'published_at', 'published_by')


def _rekey_templates(key: list[str]) -> None:
    """The same table under another primary key: made anew, rows copied, the old one dropped."""
    op.create_table('templates_rekeyed',
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
    sa.PrimaryKeyConstraint(*key, name='templates_rekeyed_pkey')
    )
    columns = ', '.join(_TEMPLATE_COLUMNS)
    op.execute(f'INSERT INTO templates_rekeyed ({columns}) SELECT {columns} FROM templates')
    op.drop_table('templates')
    op.rename_table('templates_rekeyed', 'templates')


def downgrade() -> None:
    _rekey_templates(['form_id', 'version'])
    with op.batch_alter_table('submissions') as batch:
        batch.drop_column('body_digest')
    op.drop_table('retired_refresh')
