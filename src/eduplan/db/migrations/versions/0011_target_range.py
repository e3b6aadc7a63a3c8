"""A plausible range per target (DHIS2's min–max), set by the office: item_targets.plausible_min and
plausible_max; an actual outside them is a warning shown to the reviewer.  Both empty for every
existing target.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 12:10:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("item_targets") as batch:
        batch.add_column(sa.Column("plausible_min", sa.Float(), nullable=True))
        batch.add_column(sa.Column("plausible_max", sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("item_targets") as batch:
        batch.drop_column("plausible_max")
        batch.drop_column("plausible_min")
