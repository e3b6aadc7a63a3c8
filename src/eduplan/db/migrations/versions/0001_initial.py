"""Initial registry schema: organisations, units, plans with versions and documents, tasks,
targets, projects, indicator tables; full-text search (SQLite FTS5 trigram, PostgreSQL pg_trgm).

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-23 08:07:56.191120
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("level", sa.String(length=20), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("path", sa.String(length=600), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisations.id"],
            name=op.f("fk_organisations_parent_id_organisations"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("path", name=op.f("uq_organisations_path")),
    )
    op.create_index(op.f("ix_organisations_name"), "organisations", ["name"])
    op.create_index(op.f("ix_organisations_parent_id"), "organisations", ["parent_id"])

    op.create_table(
        "source_documents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("filename", sa.String(length=500), nullable=False),
        sa.Column("media_type", sa.String(length=120), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("content", sa.LargeBinary(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_source_documents")),
        sa.UniqueConstraint("sha256", name=op.f("uq_source_documents_sha256")),
    )
    op.create_table(
        "plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_plans_org_id_organisations"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plans")),
    )
    op.create_index(op.f("ix_plans_org_id"), "plans", ["org_id"])

    op.create_table(
        "units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"], ["organisations.id"], name=op.f("fk_units_org_id_organisations"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_units")),
    )
    op.create_index(op.f("ix_units_org_id"), "units", ["org_id"])

    op.create_table(
        "plan_versions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("document_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("period_start", sa.Integer(), nullable=True),
        sa.Column("period_end", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.JSON(), nullable=False),
        sa.Column("doc_number", sa.String(length=200), nullable=True),
        sa.Column("issued_on", sa.Date(), nullable=True),
        sa.Column("toc", sa.JSON(), nullable=False),
        sa.Column("warnings", sa.JSON(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["source_documents.id"],
            name=op.f("fk_plan_versions_document_id_source_documents"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_plan_versions_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_versions")),
        sa.UniqueConstraint("document_id", name=op.f("uq_plan_versions_document_id")),
        sa.UniqueConstraint("plan_id", "number", name=op.f("uq_plan_versions_plan_id_number")),
    )
    op.create_index(op.f("ix_plan_versions_plan_id"), "plan_versions", ["plan_id"])

    op.create_table(
        "tracked_tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["plans.id"], name=op.f("fk_tracked_tasks_plan_id_plans"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tracked_tasks")),
    )
    op.create_index(op.f("ix_tracked_tasks_plan_id"), "tracked_tasks", ["plan_id"])

    op.create_table(
        "unit_aliases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("org_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["org_id"],
            ["organisations.id"],
            name=op.f("fk_unit_aliases_org_id_organisations"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_unit_aliases_unit_id_units"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_unit_aliases")),
        sa.UniqueConstraint("org_id", "key", name=op.f("uq_unit_aliases_org_id_key")),
    )
    op.create_index(op.f("ix_unit_aliases_unit_id"), "unit_aliases", ["unit_id"])

    op.create_table(
        "chapters",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["plan_versions.id"],
            name=op.f("fk_chapters_version_id_plan_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chapters")),
    )
    op.create_index(op.f("ix_chapters_version_id"), "chapters", ["version_id"])

    op.create_table(
        "indicator_tables",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("column", sa.Integer(), nullable=True),
        sa.Column("header", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["plan_versions.id"],
            name=op.f("fk_indicator_tables_version_id_plan_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_tables")),
    )
    op.create_index(op.f("ix_indicator_tables_version_id"), "indicator_tables", ["version_id"])

    op.create_table(
        "plan_columns",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("chapter", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["plan_versions.id"],
            name=op.f("fk_plan_columns_version_id_plan_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plan_columns")),
    )
    op.create_index(op.f("ix_plan_columns_version_id"), "plan_columns", ["version_id"])

    op.create_table(
        "indicator_rows",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("table_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.Text(), nullable=False),
        sa.Column("group", sa.Text(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.Column("attribute", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["table_id"],
            ["indicator_tables.id"],
            name=op.f("fk_indicator_rows_table_id_indicator_tables"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_rows")),
    )
    op.create_index(op.f("ix_indicator_rows_table_id"), "indicator_rows", ["table_id"])

    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("column_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=True),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["column_id"],
            ["plan_columns.id"],
            name=op.f("fk_projects_column_id_plan_columns"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_index(op.f("ix_projects_column_id"), "projects", ["column_id"])

    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("chapter_id", sa.Integer(), nullable=False),
        sa.Column("tracked_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("units_text", sa.Text(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.Column("change", sa.String(length=20), nullable=False),
        sa.ForeignKeyConstraint(
            ["chapter_id"], ["chapters.id"], name=op.f("fk_tasks_chapter_id_chapters"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["tracked_id"],
            ["tracked_tasks.id"],
            name=op.f("fk_tasks_tracked_id_tracked_tasks"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["version_id"],
            ["plan_versions.id"],
            name=op.f("fk_tasks_version_id_plan_versions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index(op.f("ix_tasks_chapter_id"), "tasks", ["chapter_id"])
    op.create_index(op.f("ix_tasks_deadline"), "tasks", ["deadline"])
    op.create_index(op.f("ix_tasks_tracked_id"), "tasks", ["tracked_id"])
    op.create_index(op.f("ix_tasks_version_id"), "tasks", ["version_id"])

    op.create_table(
        "indicator_values",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("year", sa.Integer(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["row_id"],
            ["indicator_rows.id"],
            name=op.f("fk_indicator_values_row_id_indicator_rows"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_indicator_values")),
    )
    op.create_index(op.f("ix_indicator_values_row_id"), "indicator_values", ["row_id"])
    op.create_index(op.f("ix_indicator_values_year"), "indicator_values", ["year"])

    op.create_table(
        "subitems",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_subitems_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_subitems")),
    )
    op.create_index(op.f("ix_subitems_task_id"), "subitems", ["task_id"])

    op.create_table(
        "targets",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("comparator", sa.String(length=10), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("value_max", sa.Float(), nullable=True),
        sa.Column("unit", sa.String(length=40), nullable=False),
        sa.Column("per", sa.String(length=100), nullable=True),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_targets_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_targets")),
    )
    op.create_index(op.f("ix_targets_task_id"), "targets", ["task_id"])

    op.create_table(
        "task_units",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"], ["tasks.id"], name=op.f("fk_task_units_task_id_tasks"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_task_units_unit_id_units"), ondelete="RESTRICT"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_task_units")),
    )
    op.create_index(op.f("ix_task_units_task_id"), "task_units", ["task_id"])
    op.create_index(op.f("ix_task_units_unit_id"), "task_units", ["unit_id"])

    op.create_table(
        "target_parts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("target_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("unit", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["target_id"], ["targets.id"], name=op.f("fk_target_parts_target_id_targets"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target_parts")),
    )
    op.create_index(op.f("ix_target_parts_target_id"), "target_parts", ["target_id"])
    _create_search()


def downgrade() -> None:
    _drop_search()
    op.drop_table("target_parts")
    op.drop_table("task_units")
    op.drop_table("targets")
    op.drop_table("subitems")
    op.drop_table("indicator_values")
    op.drop_table("tasks")
    op.drop_table("projects")
    op.drop_table("indicator_rows")
    op.drop_table("plan_columns")
    op.drop_table("indicator_tables")
    op.drop_table("chapters")
    op.drop_table("unit_aliases")
    op.drop_table("tracked_tasks")
    op.drop_table("plan_versions")
    op.drop_table("units")
    op.drop_table("plans")
    op.drop_table("source_documents")
    op.drop_table("organisations")


SQLITE_SEARCH = (
    # External-content FTS5 over tasks: the trigram tokenizer finds any substring of 3+ characters,
    # which suits Chinese without a segmenter; shorter queries fall back to instr() on tasks.
    "CREATE VIRTUAL TABLE task_search USING fts5("
    "title, text, content='tasks', content_rowid='id', tokenize='trigram')",
    "CREATE TRIGGER task_search_ai AFTER INSERT ON tasks BEGIN "
    "INSERT INTO task_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
    "CREATE TRIGGER task_search_ad AFTER DELETE ON tasks BEGIN "
    "INSERT INTO task_search(task_search, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); END",
    "CREATE TRIGGER task_search_au AFTER UPDATE OF title, text ON tasks BEGIN "
    "INSERT INTO task_search(task_search, rowid, title, text) "
    "VALUES ('delete', old.id, old.title, old.text); "
    "INSERT INTO task_search(rowid, title, text) VALUES (new.id, new.title, new.text); END",
)
SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS task_search_au",
    "DROP TRIGGER IF EXISTS task_search_ad",
    "DROP TRIGGER IF EXISTS task_search_ai",
    "DROP TABLE IF EXISTS task_search",
)
POSTGRES_SEARCH = (
    # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.  Its GIN
    # indexes serve ILIKE '%…%' for 3+ characters; Chinese trigrams need a UTF-8 aware LC_CTYPE.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX ix_trgm_tasks_title ON tasks USING gin (title gin_trgm_ops)",
    "CREATE INDEX ix_trgm_tasks_text ON tasks USING gin (text gin_trgm_ops)",
)
POSTGRES_SEARCH_DROP = (
    "DROP INDEX IF EXISTS ix_trgm_tasks_text",
    "DROP INDEX IF EXISTS ix_trgm_tasks_title",
)


def _statements(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> tuple[str, ...]:
    dialect = op.get_bind().dialect.name
    return {"sqlite": sqlite, "postgresql": postgres}.get(dialect, ())


def _create_search() -> None:
    for statement in _statements(SQLITE_SEARCH, POSTGRES_SEARCH):
        op.execute(statement)


def _drop_search() -> None:
    for statement in _statements(SQLITE_SEARCH_DROP, POSTGRES_SEARCH_DROP):
        op.execute(statement)
