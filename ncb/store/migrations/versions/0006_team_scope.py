"""team sharing scope: sharing_team_id on every marked table

Revision ID: team_scope_01
Revises: subject_access_01
Create Date: 2026-12-04 18:40:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'team_scope_01'
down_revision = 'subject_access_01'
branch_labels = None
depends_on = None

MARKED = ('alerts', 'attachments', 'cases', 'entities', 'messages', 'notes', 'notices',
          'sirene_forms', 'tips', 'warrants')


def upgrade() -> None:
    for table in MARKED:
        op.add_column(table, sa.Column('sharing_team_id', sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in MARKED:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column('sharing_team_id')
