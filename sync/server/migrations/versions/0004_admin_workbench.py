"""The admin's workbench: the platform's append-only audit log (its own actions and what devices upload),
the devices each user logs in from (revocable), account fields (must change password, end date for
third-party staff, last login and sync, why disabled), the confidentiality agreement (保密协议) and who
accepted which version, retired areas and withdrawn template versions.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-06 20:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('actor_id', sa.String(length=36), nullable=True),
    sa.Column('actor_name', sa.String(length=64), nullable=False),
    sa.Column('action', sa.String(length=64), nullable=False),
    sa.Column('entity_id', sa.String(length=36), nullable=True),
    sa.Column('target', sa.String(length=200), nullable=True),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('origin', sa.String(length=16), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=True),
    sa.Column('client_key', sa.String(length=300), nullable=True),
    sa.Column('ip', sa.String(length=64), nullable=True),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('client_key', name='uq_audit_log_client_key'),
    )
    with op.batch_alter_table('audit_log') as batch:
        batch.create_index('ix_audit_log_actor', ['actor_name', 'id'], unique=False)
        batch.create_index('ix_audit_log_action', ['action', 'id'], unique=False)
        batch.create_index('ix_audit_log_entity', ['entity_id', 'id'], unique=False)
        batch.create_index('ix_audit_log_at', ['at', 'id'], unique=False)
    op.create_table('devices',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('first_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_seen', sa.DateTime(timezone=True), nullable=False),
    sa.Column('app_version', sa.String(length=64), nullable=True),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('revoked_by', sa.String(length=36), nullable=True),
    sa.Column('revoke_reason', sa.Text(), nullable=True),
    sa.Column('push_first', sa.Boolean(), nullable=False),
    sa.Column('wiped_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('user_id', 'device_id', name='uq_devices_user_device'),
    )
    with op.batch_alter_table('devices') as batch:
        batch.create_index('ix_devices_device', ['device_id'], unique=False)
    with op.batch_alter_table('users') as batch:
        batch.add_column(sa.Column('must_change_password', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column('end_date', sa.String(length=10), nullable=True))
        batch.add_column(sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('last_sync_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('disabled_reason', sa.Text(), nullable=True))
        batch.add_column(sa.Column('third_party', sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table('agreements',
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('set_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('set_by', sa.String(length=36), nullable=True),
    sa.PrimaryKeyConstraint('version'),
    )
    op.create_table('agreement_acceptances',
    sa.Column('user_id', sa.String(length=36), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('accepted_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('device_id', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ),
    sa.PrimaryKeyConstraint('user_id', 'version'),
    )
    with op.batch_alter_table('areas') as batch:
        batch.add_column(sa.Column('retired_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('handover', sa.JSON(none_as_null=True), nullable=True))
    with op.batch_alter_table('templates') as batch:
        batch.add_column(sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column('withdrawn_by', sa.String(length=36), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('templates') as batch:
        batch.drop_column('withdrawn_by')
        batch.drop_column('withdrawn_at')
    with op.batch_alter_table('areas') as batch:
        batch.drop_column('handover')
        batch.drop_column('retired_at')
    op.drop_table('agreement_acceptances')
    op.drop_table('agreements')
    with op.batch_alter_table('users') as batch:
        for name in ('third_party', 'disabled_reason', 'last_sync_at', 'last_login_at', 'end_date',
                     'must_change_password'):
            batch.drop_column(name)
    op.drop_table('devices')
    op.drop_table('audit_log')
