"""tips.public_id: a random id for the workbench, the API and their URLs (internal ids stay)

Revision ID: tip_public_id_01
Revises: federation_lanes_01
Create Date: 2026-12-04 21:15:00
"""

import secrets

from alembic import op
import sqlalchemy as sa


revision = 'tip_public_id_01'
down_revision = 'federation_lanes_01'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('tips') as batch_op:
        batch_op.add_column(sa.Column('public_id', sa.String(length=16), nullable=True))
    conn = op.get_bind()
    tips = sa.table('tips', sa.column('id', sa.Integer()), sa.column('public_id', sa.String()))
    for (tip_id,) in conn.execute(sa.select(tips.c.id)).all():
        conn.execute(tips.update().where(tips.c.id == tip_id)
                     .values(public_id=secrets.token_urlsafe(9)))
    with op.batch_alter_table('tips') as batch_op:
        batch_op.alter_column('public_id', existing_type=sa.String(length=16), nullable=False)
        batch_op.create_unique_constraint(batch_op.f('uq_tips_public_id'), ['public_id'])


def downgrade() -> None:
    with op.batch_alter_table('tips') as batch_op:
        batch_op.drop_constraint(batch_op.f('uq_tips_public_id'), type_='unique')
        batch_op.drop_column('public_id')
