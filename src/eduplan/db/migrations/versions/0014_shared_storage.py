"""Shared storage for several server processes (issue 17): stored files as rows (blobs, chunked),
import drafts as rows instead of folders under the data directory; and closed years
(archived_years).  Evidence files already on disk stay readable where they are (`services.blobs`
falls back to them) until `eduplan` stores them again; drafts on disk are dropped (they expire in a
day anyway).

Revision ID: 0014
Revises: 0011
Create Date: 2026-12-06 13:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "blobs",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_blobs")),
    )
    op.create_table(
        "blob_chunks",
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(
            ["sha256"], ["blobs.sha256"], name=op.f("fk_blob_chunks_sha256_blobs"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("sha256", "seq", name=op.f("pk_blob_chunks")),
    )
    op.create_table(
        "import_drafts",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(100), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("source_sha256", sa.String(64), nullable=False),
        sa.Column("meta", sa.JSON(), nullable=False),
        sa.Column("corrections", sa.JSON(), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("plans", sa.JSON(), nullable=True),
        sa.Column("plan", sa.JSON(), nullable=True),
        sa.Column("doubts", sa.JSON(), nullable=True),
        sa.ForeignKeyConstraint(
            ["source_sha256"],
            ["blobs.sha256"],
            name=op.f("fk_import_drafts_source_sha256_blobs"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_import_drafts")),
    )
    op.create_index(op.f("ix_import_drafts_expires_at"), "import_drafts", ["expires_at"])
    op.create_index(op.f("ix_import_drafts_source_sha256"), "import_drafts", ["source_sha256"])
    op.create_table(
        "archived_years",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("archived_by", sa.String(100), nullable=False),
        sa.Column("archived_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_archived_years_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archived_years")),
        sa.UniqueConstraint("org_id", "year", name=op.f("uq_archived_years_org_id_year")),
    )
    op.create_index(op.f("ix_archived_years_org_id"), "archived_years", ["org_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_archived_years_org_id"), table_name="archived_years")
    op.drop_table("archived_years")
    op.drop_index(op.f("ix_import_drafts_source_sha256"), table_name="import_drafts")
    op.drop_index(op.f("ix_import_drafts_expires_at"), table_name="import_drafts")
    op.drop_table("import_drafts")
    op.drop_table("blob_chunks")
    op.drop_table("blobs")
