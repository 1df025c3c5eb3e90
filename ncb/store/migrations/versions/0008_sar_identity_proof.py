"""subject access: identity proof asked for and received (DPA 2018 s.52(4), s.54(3)(b))

Revision ID: sar_identity_01
Revises: login_throttle_01
Create Date: 2026-12-04 21:00:00
"""

from alembic import op
import sqlalchemy as sa
import ncb.store.models.base


revision = 'sar_identity_01'
down_revision = 'login_throttle_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('subject_access_requests') as batch_op:
        batch_op.add_column(sa.Column('identity_requested_at',
                                      ncb.store.models.base.UTCDateTime(timezone=True),
                                      nullable=True))
        batch_op.add_column(sa.Column('identity_request', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('identity_received_at',
                                      ncb.store.models.base.UTCDateTime(timezone=True),
                                      nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('subject_access_requests') as batch_op:
        batch_op.drop_column('identity_received_at')
        batch_op.drop_column('identity_request')
        batch_op.drop_column('identity_requested_at')
