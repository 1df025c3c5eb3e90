"""retention reviews

Revision ID: retention_01
Revises: federation_01
Create Date: 2026-12-04 18:00:00
"""

from alembic import op
import sqlalchemy as sa
import ncb.store.models.base


revision = 'retention_01'
down_revision = 'federation_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('retention_reviews',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('record_kind', sa.String(length=12), nullable=False),
    sa.Column('record_id', sa.Integer(), nullable=False),
    sa.Column('decision', sa.String(length=8), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('next_review_at', ncb.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('decided_by', sa.Integer(), nullable=True),
    sa.Column('decided_at', ncb.store.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by'], ['users.id'], name=op.f('fk_retention_reviews_decided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_retention_reviews'))
    )
    with op.batch_alter_table('retention_reviews', schema=None) as batch_op:
        batch_op.create_index('ix_retention_reviews_record', ['record_kind', 'record_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('retention_reviews', schema=None) as batch_op:
        batch_op.drop_index('ix_retention_reviews_record')
    op.drop_table('retention_reviews')
