"""Retired refresh tokens, so that a reused one ends its session; the digest of a submission's body,
so that the same id with another body is not taken for a retry.

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


def downgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.drop_column('body_digest')
    op.drop_table('retired_refresh')
