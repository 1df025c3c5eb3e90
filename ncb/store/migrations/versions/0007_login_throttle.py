"""login throttle: failed sign-ins per device cookie and per (account, source), in the database

Revision ID: login_throttle_01
Revises: team_scope_01
Create Date: 2026-12-04 21:00:00
"""

from alembic import op
import sqlalchemy as sa
import ncb.store.models.base


revision = 'login_throttle_01'
down_revision = 'team_scope_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('login_throttle',
    sa.Column('key', sa.String(length=48), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('not_before', ncb.store.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('updated_at', ncb.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('key', name=op.f('pk_login_throttle'))
    )
    op.create_index(op.f('ix_login_throttle_updated_at'), 'login_throttle', ['updated_at'],
                    unique=False)


def downgrade() -> None:
    op.drop_index(op.f('ix_login_throttle_updated_at'), table_name='login_throttle')
    op.drop_table('login_throttle')
