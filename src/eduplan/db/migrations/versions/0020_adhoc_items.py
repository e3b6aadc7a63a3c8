"""交办事项 (issue 14): the source, recurrence and scanned attachment of the work items staff create
by hand (批示件, 会议议定事项, 上级交办, 人大建议/政协提案, 常态化工作), one row per such item.

The number was given before 0021 (领导批示) reached main with 0019 as its parent; this revision follows
0021 so that the chain stays one line (a database already at 0021 still gets this table).

Revision ID: 0020
Revises: 0021
Create Date: 2026-12-06 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "adhoc_items",
        sa.Column(
            "item_id", sa.Integer(), sa.ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True
        ),
        sa.Column("source", sa.String(20), nullable=False),
        sa.Column("reference", sa.String(200), nullable=True),
        sa.Column("proposer", sa.String(200), nullable=True),
        sa.Column("recurrence", sa.String(20), nullable=True),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("attachment_sha256", sa.String(64), nullable=True),
        sa.Column("attachment_name", sa.String(500), nullable=True),
        sa.Column("attachment_type", sa.String(120), nullable=True),
        sa.Column("created_by", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("adhoc_items")
