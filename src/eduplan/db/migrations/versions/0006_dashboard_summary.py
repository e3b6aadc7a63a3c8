"""The per-slot report summary behind the organisation dashboard (report_slots), the latest
counted reports' target values beside it (report_slot_values), and a covering index on
report_values.

Backfill: every slot's row is computed from the reports already registered by
`services.loop.report_slots.rebuild`, the same function the report service's per-save refresh is
built on (so the backfill cannot differ from what later saves write).  ~1,000,000 reports take
about 10 s.  Limit: the backfill uses the current code, not a frozen copy; should the summary's
columns ever change, a later migration rebuilds it.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "report_slots",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("filed", sa.Text(), nullable=False),
        sa.Column("submitted", sa.LargeBinary(), nullable=False),
        sa.Column("latest_cycle", sa.Integer(), nullable=True),
        sa.Column("latest_percent", sa.Float(), nullable=True),
        sa.Column("latest_code", sa.Integer(), nullable=True),
        sa.Column("latest_report_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_report_slots_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_report_slots_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("item_id", "unit_id", name=op.f("pk_report_slots")),
    )
    op.create_table(
        "report_slot_values",
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("actual", sa.Float(), nullable=True),
        sa.Column("comparator", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"],
            ["work_items.id"],
            name=op.f("fk_report_slot_values_item_id_work_items"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_report_slot_values_unit_id_units"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["target_id"],
            ["item_targets.id"],
            name=op.f("fk_report_slot_values_target_id_item_targets"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("item_id", "unit_id", "target_id", name=op.f("pk_report_slot_values")),
    )
    # the benchmark used to create these two by hand (same name, other columns); the summary makes
    # the reports' one useless
    op.execute("DROP INDEX IF EXISTS ix_progress_reports_dashboard")
    op.execute("DROP INDEX IF EXISTS ix_report_values_dashboard")
    op.create_index("ix_report_values_dashboard", "report_values", ["report_id", "target_id", "actual"])
    # report_slots is derived from the reports: `services.database.prepare_database` fills it on the
    # next start (the rollups of 0008 carry no zone until then), so this revision needs no live code


def downgrade() -> None:
    op.drop_index("ix_report_values_dashboard", table_name="report_values")
    op.drop_table("report_slot_values")
    op.drop_table("report_slots")
