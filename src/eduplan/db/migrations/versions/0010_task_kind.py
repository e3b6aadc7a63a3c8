"""Context sections and group words.

- ``tasks.kind``: ``task``, or ``context`` for a background section (发展基础, 指导思想, 主要目标 …)
  that the loop neither assigns nor reports on nor lights.  Tasks already in the registry stay
  ``task`` (their work items and reports are kept as they are); a later import of the plan marks
  its context sections.
- ``task_units.unit_id`` may be NULL: group words (局各科室, 各县区教育局, 各学校 …) are kept as written
  on the task, with no unit.  Units an earlier import created for such words are turned back into
  words: their links lose the unit and the unit (with its aliases) leaves the directory, when
  nothing but those links names it (an account, a report, an assessment, an urge, a rectification or
  an assignment a person made keeps it).  Their assignments were already 待明确 (``unspecified``).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 12:00:00
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# A copy of eduplan.parsing.units._GROUP as of this revision: a migration must not change when that
# code does.
_GROUP = re.compile(
    r"^(?:[市区县局校]|局机关|局属|市直|区直|县直|全市|全区|全县|直属)?(?:各|相关|有关|其他|其它|所有)"
    r"|(?:各|相关|有关)(?:科室|处室|股室|部门|单位|学校|县区|区县|学院)"
)
# what keeps a unit in the directory: (table, column) naming it, other than its links and aliases
_KEEPERS = (
    ("users", "unit_id"),
    ("progress_reports", "unit_id"),
    ("unit_assessments", "unit_id"),
    ("urges", "unit_id"),
    ("rectifications", "unit_id"),
    ("assignments", "unit_id"),
)


def _group_units(bind: sa.Connection) -> list[int]:
    units = bind.execute(sa.text("SELECT id, name FROM units")).all()
    found = [uid for uid, name in units if _GROUP.search((name or "").strip())]
    tables = set(sa.inspect(bind).get_table_names())
    kept: set[int] = set()
    for table, column in _KEEPERS:
        if table in tables and found:
            query = sa.text(f"SELECT DISTINCT {column} FROM {table} WHERE {column} IN :ids").bindparams(
                sa.bindparam("ids", expanding=True)
            )
            kept |= {row[0] for row in bind.execute(query, {"ids": found})}
    return [uid for uid in found if uid not in kept]


def upgrade() -> None:
    op.add_column("tasks", sa.Column("kind", sa.String(20), nullable=False, server_default="task"))
    # task_units is pointed at by no table: a batch copy (SQLite) loses nothing
    with op.batch_alter_table("task_units") as batch:
        batch.alter_column("unit_id", existing_type=sa.Integer(), nullable=True)
    bind = op.get_bind()
    groups = _group_units(bind)
    if not groups:
        return
    ids = {"ids": groups}
    for statement in (
        "UPDATE task_units SET unit_id = NULL WHERE unit_id IN :ids",
        "DELETE FROM report_slot_values WHERE unit_id IN :ids",
        "DELETE FROM report_slots WHERE unit_id IN :ids",
        "DELETE FROM unit_rollups WHERE unit_id IN :ids",
        "DELETE FROM unit_aliases WHERE unit_id IN :ids",
        "DELETE FROM units WHERE id IN :ids",
    ):
        bind.execute(sa.text(statement).bindparams(sa.bindparam("ids", expanding=True)), ids)


def _key(name: str) -> str:
    # the lookup key of the directory before this revision for a group word (no place name to drop)
    key = re.sub(r"\s+", "", name)
    return key[1:] if key[:1] in ("市", "区", "县") and len(key) > 2 else key


def downgrade() -> None:
    # the schema before had a unit for every link: group words become units again (as imports did)
    bind = op.get_bind()
    links = bind.execute(
        sa.text(
            "SELECT tu.id, tu.name, p.org_id FROM task_units tu JOIN tasks t ON t.id = tu.task_id "
            "JOIN plan_versions v ON v.id = t.version_id JOIN plans p ON p.id = v.plan_id "
            "WHERE tu.unit_id IS NULL ORDER BY tu.id"
        )
    ).all()
    made: dict[tuple[int, str], int | None] = {}
    for link_id, name, org_id in links:
        key = _key(name)
        unit_id = made.get((org_id, key))
        if unit_id is None:
            unit_id = bind.execute(
                sa.text("SELECT unit_id FROM unit_aliases WHERE org_id = :org AND key = :key"),
                {"org": org_id, "key": key},
            ).scalar()
        if unit_id is None:
            bind.execute(
                sa.text("INSERT INTO units (org_id, name, kind) VALUES (:org, :name, 'other')"),
                {"org": org_id, "name": name},
            )
            unit_id = bind.execute(
                sa.text("SELECT max(id) FROM units WHERE org_id = :org AND name = :name"),
                {"org": org_id, "name": name},
            ).scalar()
            bind.execute(
                sa.text(
                    "INSERT INTO unit_aliases (unit_id, org_id, name, key) VALUES (:u, :org, :name, :key)"
                ),
                {"u": unit_id, "org": org_id, "name": name, "key": key},
            )
        made[(org_id, key)] = unit_id
        bind.execute(
            sa.text("UPDATE task_units SET unit_id = :u WHERE id = :id"), {"u": unit_id, "id": link_id}
        )
    with op.batch_alter_table("task_units") as batch:
        batch.alter_column("unit_id", existing_type=sa.Integer(), nullable=False)
    # ALTER TABLE … DROP COLUMN in place (SQLite 3.35+), as 0004 does: a batch copy of tasks would
    # have to drop a table others point at (and cascade to them)
    op.drop_column("tasks", "kind")
