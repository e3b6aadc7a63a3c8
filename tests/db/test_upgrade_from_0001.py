"""Upgrading a registry that holds data from revision 0001 to the head, on SQLite and PostgreSQL.

The data is written by today's import at the head and the schema then taken back to 0001, which
drops what 0002 added (stored Plan JSON, the two-character search index) and keeps everything 0001
holds; upgrading again must fill the index for the tasks already there, serve their documents
(rebuilt from rows) as parsed, and take new imports.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from tests.db.upgrades import columns, down_to, up_to_head

from eduplan.db import make_engine, make_session_factory
from eduplan.db.migrate import upgrade
from eduplan.plan_json import plan_from_dict
from eduplan.samples import many_plans as mp
from eduplan.samples.plan_text import sample_lines
from eduplan.services import registry as reg
from eduplan.services.parse import parse_lines

PREVIOUS = "0001"


def _as_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_upgrade_from_0001_with_data_present(server: Any) -> None:
    engine = make_engine(server.make_empty())
    sessions = make_session_factory(engine)
    try:
        upgrade(engine)
        first = reg.import_document(sessions, _as_bytes(sample_lines()), "示例.txt")
        for i in range(3):
            reg.import_document(sessions, mp.plan_bytes(i), f"plan-{i}.txt")
        before = reg.search_tasks(sessions, "学前", limit=100)
        down_to(engine, PREVIOUS)
        assert "plan_json" not in columns(engine, "plan_versions")

        up_to_head(engine)
        with engine.connect() as conn:
            stored = conn.execute(text("SELECT count(*) FROM plan_versions WHERE plan_json IS NULL")).scalar()
        assert stored == 4  # documents of older versions are rebuilt, not stored by the migration
        # rebuilt from rows: the same plan (derived labels such as topics are not stored in rows)
        assert plan_from_dict(reg.plan_document(sessions, first.plan_id)) == parse_lines(sample_lines())
        after = reg.search_tasks(sessions, "学前", limit=100)
        assert after.total == before.total > 0
        assert [h.task.id for h in after.items] == [h.task.id for h in before.items]
        assert reg.search_tasks(sessions, "双减").total == reg.search_tasks(sessions, "双 减").total

        later = reg.import_document(sessions, mp.plan_bytes(3), "plan-3.txt")
        assert later.status == "created"
        assert reg.search_tasks(sessions, "学前", limit=100).total >= after.total
        assert reg.list_tasks(sessions, reg.TaskFilter()).total == 11 + 4 * mp.TASKS_PER_PLAN
    finally:
        engine.dispose()
