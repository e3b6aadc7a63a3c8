"""The dashboard's rollups: per work item (item_rollups) and per unit × plan × organisation
(unit_rollups), summed from the report slots and the assignments, and the zone their late counts
are in (rollup_zone).

Backfill: every group is computed by `services.loop.rollups.rebuild`, the same function the
services' per-change refresh is built on.  1,000 plans with 66,000 slots take a few seconds.
Limit: the backfill uses the current code, not a frozen copy; should the rollups' columns ever
change, a later migration rebuilds them.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-10 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

COUNTS = sa.Text().with_variant(postgresql.ARRAY(sa.Integer()), "postgresql")
"""`db.rollups.CycleCounts`: an integer array on PostgreSQL, digits on SQLite."""

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "item_rollups",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("pending", sa.Boolean(), nullable=False),
        sa.Column("percent_sum", sa.Float(), nullable=False),
        sa.Column("done", sa.Integer(), nullable=False),
        sa.Column("blocked", sa.Boolean(), nullable=False),
        sa.Column("achieved", sa.Float(), nullable=True),
        sa.Column("filed", COUNTS, nullable=False),
        sa.Column("late", COUNTS, nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_item_rollups_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", name=op.f("pk_item_rollups")),
    )
    op.create_table(
        "unit_rollups",
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("filed", COUNTS, nullable=False),
        sa.Column("filed_upto", COUNTS, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_rollups_unit_id_units"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_unit_rollups_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_unit_rollups_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("unit_id", "plan_id", "org_id", name=op.f("pk_unit_rollups")),
    )
    op.create_index("ix_unit_rollups_plan_id_org_id", "unit_rollups", ["plan_id", "org_id"])
    op.create_table(
        "rollup_zone",
        sa.Column("zone", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("zone", name=op.f("pk_rollup_zone")),
    )
    # The rollups are derived data: with work items present they are left empty and without a zone,
    # and `services.database.prepare_database` rebuilds them (and 0006's report_slots) on the next
    # start in the deployment's zone; an empty registry has nothing to count and starts in that zone.
    bind = op.get_bind()
    if bind.execute(sa.text("SELECT count(*) FROM work_items")).scalar() == 0:
        from eduplan.config import Settings

        bind.execute(sa.text("INSERT INTO rollup_zone (zone) VALUES (:zone)"), {"zone": Settings().timezone})


def downgrade() -> None:
    op.drop_index("ix_unit_rollups_plan_id_org_id", table_name="unit_rollups")
    op.drop_table("rollup_zone")
    op.drop_table("unit_rollups")
    op.drop_table("item_rollups")
