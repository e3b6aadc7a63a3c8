"""Staged files (暂存) in the database: a 台账 or a 填报模板 between its preview and its confirmation,
evidence held for a row not yet saved, a form kept when the session ended — rows every server process
sees (issue 17), instead of four folders under one server's data directory; and the lines of an
import draft as its parse read them, so that confirming it does not read the document again (issue 18).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 15:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staged_files",
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_staged_files_sha256_blobs"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("token", name=op.f("pk_staged_files")),
    )
    op.create_index(op.f("ix_staged_files_sha256"), "staged_files", ["sha256"])
    op.create_index(op.f("ix_staged_files_expires_at"), "staged_files", ["expires_at"])
    op.add_column("import_drafts", sa.Column("lines", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("import_drafts", "lines")
    op.drop_index(op.f("ix_staged_files_expires_at"), table_name="staged_files")
    op.drop_index(op.f("ix_staged_files_sha256"), table_name="staged_files")
    op.drop_table("staged_files")
