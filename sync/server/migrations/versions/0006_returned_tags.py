"""Returned tags' provenance (数据回流): which source returned which tag on which person, from which
file, as of which day, imported by whom. A ``return`` import is a snapshot of its source: the rows of
that source absent from the new file are removed with their tag.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-06 22:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('returned_tags',
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('tag', sa.String(length=100), nullable=False),
    sa.Column('source', sa.String(length=100), nullable=False),
    sa.Column('file', sa.String(length=200), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('as_of', sa.String(length=10), nullable=False),
    sa.Column('import_id', sa.String(length=36), nullable=False),
    sa.Column('importer_id', sa.String(length=36), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity_id', 'tag', 'source'),
    )
    with op.batch_alter_table('returned_tags') as batch:
        batch.create_index('ix_returned_tags_source', ['source', 'tag'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('returned_tags') as batch:
        batch.drop_index('ix_returned_tags_source')
    op.drop_table('returned_tags')
