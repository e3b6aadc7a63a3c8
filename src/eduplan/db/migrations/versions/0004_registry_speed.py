"""Registry read speed: a stored "has a target" flag on tasks and the unit → tasks index.

- ``tasks.has_target``: true when the task has at least one target of kind ``target`` (a 量化目标,
  not a figure quoted in a five-year plan's narrative).  Versions are immutable, so the flag never
  goes stale; the import sets it, and this revision fills it for the tasks already there.  The task
  list's ``has_target`` filter reads it instead of an EXISTS over ``targets`` per task.
- ``ix_task_units_unit_id_task_id`` (replaces ``ix_task_units_unit_id``): the tasks of a unit read
  from the index alone, so that ``unit=`` drives a task list from the unit's few thousand links
  instead of testing every task of the registry.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 11:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BACKFILL = (
    "UPDATE tasks SET has_target = EXISTS "
    "(SELECT 1 FROM targets WHERE targets.task_id = tasks.id AND targets.kind = 'target')"
)


def upgrade() -> None:
    # In place (no batch copy): SQLite adds a column with a constant default without rewriting.
    op.add_column("tasks", sa.Column("has_target", sa.Boolean(), server_default=sa.false(), nullable=False))
    op.execute(BACKFILL)
    op.drop_index("ix_task_units_unit_id", table_name="task_units")
    op.create_index("ix_task_units_unit_id_task_id", "task_units", ["unit_id", "task_id"])


def downgrade() -> None:
    op.drop_index("ix_task_units_unit_id_task_id", table_name="task_units")
    op.create_index("ix_task_units_unit_id", "task_units", ["unit_id"])
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+), as 0002 does: a batch copy of tasks would
    # have to drop a table others point at.
    op.drop_column("tasks", "has_target")
