"""federation: an attachment lane (own sequence per peer) and originator-signed markings

Revision ID: federation_lanes_01
Revises: sar_identity_01
Create Date: 2026-12-04 21:00:00
"""

from alembic import op
import sqlalchemy as sa


revision = 'federation_lanes_01'
down_revision = 'sar_identity_01'
branch_labels = None
depends_on = None

# Existing rows (version 1 envelopes) all stay in the main lane: they share one sequence.
QUEUES = (('fed_outbox', 'recipient', 'ix_fed_outbox_due'),
          ('fed_inbox', 'sender', 'ix_fed_inbox_waiting'))


def upgrade() -> None:
    for table, party, index in QUEUES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('lane', sa.String(length=8), nullable=False,
                                          server_default='main'))
            batch_op.drop_constraint(f'uq_{table}_{party}_seq', type_='unique')
            batch_op.create_unique_constraint(f'uq_{table}_{party}_lane_seq',
                                              [party, 'lane', 'seq'])
            batch_op.drop_index(index)
            batch_op.create_index(index, ['state', party, 'lane', 'seq'], unique=False)
    with op.batch_alter_table('fed_cursors') as batch_op:
        batch_op.add_column(sa.Column('blob_out_seq', sa.Integer(), nullable=False,
                                      server_default='0'))
        batch_op.add_column(sa.Column('blob_in_seq', sa.Integer(), nullable=False,
                                      server_default='0'))
    op.add_column('fed_objects', sa.Column('markings_sig', sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('fed_objects') as batch_op:
        batch_op.drop_column('markings_sig')
    with op.batch_alter_table('fed_cursors') as batch_op:
        batch_op.drop_column('blob_in_seq')
        batch_op.drop_column('blob_out_seq')
    for table, party, index in QUEUES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_index(index)
            batch_op.create_index(index, ['state', party, 'seq'], unique=False)
            batch_op.drop_constraint(f'uq_{table}_{party}_lane_seq', type_='unique')
            batch_op.create_unique_constraint(f'uq_{table}_{party}_seq', [party, 'seq'])
            batch_op.drop_column('lane')
