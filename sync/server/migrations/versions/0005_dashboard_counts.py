"""The dashboard's maintained counts and index-only reads: entities per grid, kind and state
(``area_counts``, kept up to date in the transaction of every entity write), records whose latest
submission the platform's rules rejected (``entity_issues``), and covering indexes for the cycle's
visits, the review backlog and returned work. Fills the counts from the entities present and runs
``ANALYZE`` so that the planner has statistics.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 21:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('area_counts',
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('n', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('grid', 'kind', 'state'),
    )
    op.create_table('entity_issues',
    sa.Column('entity_id', sa.String(length=36), nullable=False),
    sa.Column('grid', sa.String(length=32), nullable=False),
    sa.Column('submission_id', sa.String(length=36), nullable=False),
    sa.Column('errors', sa.Integer(), nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('entity_id'),
    )
    with op.batch_alter_table('entity_issues') as batch:
        batch.create_index('ix_entity_issues_grid', ['grid'], unique=False)
    with op.batch_alter_table('visits') as batch:
        batch.create_index('ix_visits_cycle', ['grid', 'date', 'result', 'house_id'], unique=False)
    with op.batch_alter_table('visit_persons') as batch:
        batch.create_index('ix_visit_persons_cycle', ['grid', 'date', 'result', 'person_id'], unique=False)
    with op.batch_alter_table('submissions') as batch:
        batch.create_index('ix_submissions_backlog', ['status', 'grid', 'received_at'], unique=False)
        # partial: nearly every row has no ``resubmits``, and a full index's statistics would tell the
        # planner that one value matches every row (SQLite then scans instead of using it)
        batch.create_index('ix_submissions_resubmits', ['resubmits'], unique=False,
                           sqlite_where=sa.text('resubmits IS NOT NULL'),
                           postgresql_where=sa.text('resubmits IS NOT NULL'))
    op.execute("INSERT INTO area_counts (grid, kind, state, n) "
               "SELECT grid, kind, state, count(*) FROM entities GROUP BY grid, kind, state")
    op.execute("ANALYZE")


def downgrade() -> None:
    with op.batch_alter_table('submissions') as batch:
        batch.drop_index('ix_submissions_resubmits')
        batch.drop_index('ix_submissions_backlog')
    with op.batch_alter_table('visit_persons') as batch:
        batch.drop_index('ix_visit_persons_cycle')
    with op.batch_alter_table('visits') as batch:
        batch.drop_index('ix_visits_cycle')
    with op.batch_alter_table('entity_issues') as batch:
        batch.drop_index('ix_entity_issues_grid')
    op.drop_table('entity_issues')
    op.drop_table('area_counts')
