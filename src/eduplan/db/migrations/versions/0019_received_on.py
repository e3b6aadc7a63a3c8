"""The day an organisation received a handed-down task (下发): work_items.received_on, from which its
report cycles are counted (a district handed a task in December is not short of the earlier months'
reports).  Empty for the plan's own items, counted from the schedule's start as before, and for
children handed down before this column (counted as before too).

Revision ID: 0019
Revises: 0011
Create Date: 2026-12-06 14:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE, not a batch: on SQLite a batch copies work_items into a new table and drops
# the old one, and the drop would cascade to every row that refers to an item (reports, slots …).


def upgrade() -> None:
    op.add_column("work_items", sa.Column("received_on", sa.Date(), nullable=True))


def downgrade() -> None:
    op.drop_column("work_items", "received_on")
