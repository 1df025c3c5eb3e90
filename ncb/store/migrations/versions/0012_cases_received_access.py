"""cases: covering index for counts over a period under the access filter

Revision ID: cases_received_access_01
Revises: appeal_kind_01
Create Date: 2026-12-05 00:50:00
"""

from alembic import op


revision = "cases_received_access_01"
down_revision = "appeal_kind_01"
branch_labels = None
depends_on = None

COLUMNS = [
    "received_at",
    "channel",
    "classification_rank",
    "owner_agency_id",
    "sharing_scope",
    "sharing_team_id",
    "originator_agency_id",
    "sharing_group_id",
    "id",
]


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.create_index("ix_cases_received_access", COLUMNS, unique=False)


def downgrade() -> None:
    with op.batch_alter_table("cases") as batch_op:
        batch_op.drop_index("ix_cases_received_access")
