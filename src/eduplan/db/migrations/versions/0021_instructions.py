"""领导批示 (issue 14): instructions written on a work item by a leader or the office, and each unit's
acknowledgement (已阅/办理).

Revision ID: 0021
Revises: 0019
Create Date: 2026-12-06 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "instructions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "item_id", sa.Integer(), sa.ForeignKey("work_items.id", ondelete="CASCADE"), nullable=False
        ),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("author", sa.String(200), nullable=False),
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("deadline_text", sa.String(100), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_instructions_item_id", "instructions", ["item_id"])
    op.create_table(
        "instruction_acks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "instruction_id",
            sa.Integer(),
            sa.ForeignKey("instructions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("unit_id", sa.Integer(), sa.ForeignKey("units.id", ondelete="CASCADE"), nullable=False),
        sa.Column("user_id", sa.Integer(), sa.ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
        sa.Column("acked_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("acked_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("instruction_id", "unit_id"),
    )
    op.create_index("ix_instruction_acks_instruction_id", "instruction_acks", ["instruction_id"])
    op.create_index("ix_instruction_acks_unit_id", "instruction_acks", ["unit_id"])


def downgrade() -> None:
    op.drop_table("instruction_acks")
    op.drop_table("instructions")
