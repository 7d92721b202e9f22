"""Visits (走访) as data of their own: one row per visit (the client's UUID is the key, the digest of its
body tells a retry from another visit under the same id) and one row per person seen, so that visit
history per house and per person, verification for the cycle and overdue counts are indexed reads.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-04 20:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('visits',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('house_id', sa.String(length=36), nullable=False),
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('person_ids', sa.JSON(), nullable=False),
    sa.Column('author_id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=True),
    sa.Column('submission_id', sa.String(length=36), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('body_digest', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.create_index('ix_visits_house', ['house_id', 'date'], unique=False)
        batch_op.create_index('ix_visits_grid', ['grid', 'date'], unique=False)
        batch_op.create_index('ix_visits_author', ['author_id', 'date'], unique=False)
    op.create_table('visit_persons',
    sa.Column('visit_id', sa.String(length=36), nullable=False),
    sa.Column('person_id', sa.String(length=36), nullable=False),
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.Column('date', sa.String(length=10), nullable=False),
    sa.Column('result', sa.String(length=8), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visits.id'], ),
    sa.PrimaryKeyConstraint('visit_id', 'person_id')
    )
    with op.batch_alter_table('visit_persons', schema=None) as batch_op:
        batch_op.create_index('ix_visit_persons_person', ['person_id', 'date'], unique=False)
        batch_op.create_index('ix_visit_persons_grid', ['grid', 'date'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('visit_persons', schema=None) as batch_op:
        batch_op.drop_index('ix_visit_persons_grid')
        batch_op.drop_index('ix_visit_persons_person')
    op.drop_table('visit_persons')
    with op.batch_alter_table('visits', schema=None) as batch_op:
        batch_op.drop_index('ix_visits_author')
        batch_op.drop_index('ix_visits_grid')
        batch_op.drop_index('ix_visits_house')
    op.drop_table('visits')
