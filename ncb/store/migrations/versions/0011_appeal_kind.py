"""appeals: kind (wanted person, missing person, unidentified body, witness)

Revision ID: appeal_kind_01
Revises: tip_public_id_01
Create Date: 2026-12-04 21:20:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'appeal_kind_01'
down_revision = 'tip_public_id_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('appeals') as batch_op:
        batch_op.add_column(sa.Column('kind', sa.String(length=12), nullable=False,
                                      server_default='wanted'))


def downgrade() -> None:
    with op.batch_alter_table('appeals') as batch_op:
        batch_op.drop_column('kind')
