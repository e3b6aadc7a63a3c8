"""The task's life (issue 14): duties (one unit's part of a work item: 签收, 退回, 延期, 办结) and the
units' requests with the office's decisions; urges gain who signed for them and when.

Existing assignments become duties already signed (they were being worked on before signing
existed), so that no old task is suddenly flagged as unsigned; existing urges stay unsigned.

Revision ID: 0018
Revises: 0011
Create Date: 2026-12-06 14:30:00
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "duties",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id", sa.Integer(), sa.ForeignKey("work_items.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id", ondelete="RESTRICT"), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_by", sa.String(200), nullable=True),
        sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("closing_note", sa.Text(), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("item_id", "unit_id"),
    )
    op.create_index("ix_duties_item_id", "duties", ["item_id"])
    op.create_index("ix_duties_unit_id", "duties", ["unit_id"])
    op.create_table(
        "duty_requests",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("duty_id", sa.Integer(), sa.ForeignKey("duties.id", ondelete="CASCADE"), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("new_deadline", sa.Date(), nullable=True),
        sa.Column(
            "proposed_unit_id", sa.Integer(), sa.ForeignKey("units.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("asked_by", sa.String(200), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_by", sa.String(200), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decision_note", sa.Text(), nullable=True),
    )
    op.create_index("ix_duty_requests_duty_id", "duty_requests", ["duty_id"])
    op.create_index("ix_duty_requests_item_id", "duty_requests", ["item_id"])
    with op.batch_alter_table("urges") as batch:
        batch.add_column(sa.Column("signed_by", sa.String(200), nullable=True))
        batch.add_column(sa.Column("signed_at", sa.DateTime(timezone=True), nullable=True))
    now = datetime.now(UTC)
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT DISTINCT item_id, unit_id FROM assignments WHERE unit_id IS NOT NULL AND state = 'assigned'"
        )
    ).all()
    duties = sa.table(
        "duties",
        sa.column("item_id"),
        sa.column("unit_id"),
        sa.column("state"),
        sa.column("received_at"),
        sa.column("signed_by"),
        sa.column("signed_at"),
        sa.column("version"),
        sa.column("updated_by"),
        sa.column("updated_at"),
    )
    if rows:
        op.bulk_insert(
            duties,
            [
                {
                    "item_id": r[0],
                    "unit_id": r[1],
                    "state": "signed",
                    "received_at": now,
                    "signed_by": "（启用签收前已分工）",
                    "signed_at": now,
                    "version": 1,
                    "updated_by": "migration",
                    "updated_at": now,
                }
                for r in rows
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("urges") as batch:
        batch.drop_column("signed_at")
        batch.drop_column("signed_by")
    op.drop_table("duty_requests")
    op.drop_table("duties")
