"""subject access requests

Revision ID: subject_access_01
Revises: retention_01
Create Date: 2026-12-04 18:50:00
"""

from alembic import op
import sqlalchemy as sa
import ncb.store.models.base


revision = 'subject_access_01'
down_revision = 'retention_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('subject_access_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('case_id', sa.Integer(), nullable=False),
    sa.Column('particulars', sa.JSON(), nullable=False),
    sa.Column('identity_ids', sa.JSON(), nullable=False),
    sa.Column('decisions', sa.JSON(), nullable=False),
    sa.Column('status', sa.String(length=10), nullable=False),
    sa.Column('received_at', ncb.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('extended_at', ncb.store.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('extension_reason', sa.Text(), nullable=True),
    sa.Column('answered_at', ncb.store.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('created_by', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['case_id'], ['cases.id'], name=op.f('fk_subject_access_requests_case_id_cases'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_subject_access_requests_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_subject_access_requests')),
    sa.UniqueConstraint('case_id', name=op.f('uq_subject_access_requests_case_id'))
    )


def downgrade() -> None:
    op.drop_table('subject_access_requests')
