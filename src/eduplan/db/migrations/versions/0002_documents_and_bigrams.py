"""Serve plan documents and two-character searches from stored data, not from full scans.

- ``plan_versions.plan_json``: the Plan JSON of a version as served, written at import (versions are
  immutable).  Versions imported before this revision keep NULL and are rebuilt from rows on read.
- ``task_search_bigrams``: the distinct two-character words of every task's title and text, space
  separated, with an inverted index (SQLite: an FTS5 table, rowid = task id; PostgreSQL: a table with
  a GIN index on its ``simple`` tsvector), so that 学前 or 双减 is a lookup where revision 0001 had
  to read every task (FTS5 trigram and pg_trgm need three characters).  Filled here for the tasks
  already in the registry.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24 09:00:00
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

SQLITE = (
    # Own content (not external): the grams are not a column of tasks; deleting a task deletes its row.
    "CREATE VIRTUAL TABLE task_search_bigrams USING fts5(grams, tokenize='unicode61')",
    "CREATE TRIGGER task_search_bigrams_ad AFTER DELETE ON tasks BEGIN "
    "DELETE FROM task_search_bigrams WHERE rowid = old.id; END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS task_search_bigrams_ad",
    "DROP TABLE IF EXISTS task_search_bigrams",
)
POSTGRES = (
    "CREATE TABLE task_search_bigrams ("
    "task_id integer PRIMARY KEY REFERENCES tasks (id) ON DELETE CASCADE, grams text NOT NULL)",
    "CREATE INDEX ix_task_search_bigrams_grams ON task_search_bigrams "
    "USING gin (to_tsvector('simple', grams))",
)
POSTGRES_DROP = ("DROP TABLE IF EXISTS task_search_bigrams",)
INSERT = {
    "sqlite": "INSERT INTO task_search_bigrams (rowid, grams) VALUES (:task_id, :grams)",
    "postgresql": "INSERT INTO task_search_bigrams (task_id, grams) VALUES (:task_id, :grams)",
}
BATCH = 2000


def _bigrams(words: str) -> str:
    # A copy of eduplan.services.registry.search.bigrams as of this revision: a migration must not
    # change when that code does.
    lowered = words.lower()
    grams = {a + b for a, b in pairwise(lowered) if a.isalnum() and b.isalnum()}
    return " ".join(sorted(grams))


def _statements(sqlite: tuple[str, ...], postgres: tuple[str, ...]) -> tuple[str, ...]:
    return {"sqlite": sqlite, "postgresql": postgres}.get(op.get_bind().dialect.name, ())


def upgrade() -> None:
    op.add_column("plan_versions", sa.Column("plan_json", sa.Text(), nullable=True))
    for statement in _statements(SQLITE, POSTGRES):
        op.execute(statement)
    bind = op.get_bind()
    insert = INSERT.get(bind.dialect.name)
    if insert is None:
        return
    select = sa.text("SELECT id, title, text FROM tasks WHERE id > :last ORDER BY id LIMIT :batch")
    last = 0
    while rows := bind.execute(select, {"last": last, "batch": BATCH}).all():
        bind.execute(sa.text(insert), [{"task_id": i, "grams": _bigrams(f"{t}\n{x}")} for i, t, x in rows])
        last = rows[-1][0]


def downgrade() -> None:
    for statement in _statements(SQLITE_DROP, POSTGRES_DROP):
        op.execute(statement)
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+): batch mode's copy of plan_versions would have
    # to drop a table other tables point at.
    op.drop_column("plan_versions", "plan_json")
