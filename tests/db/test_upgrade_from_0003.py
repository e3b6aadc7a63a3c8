"""Upgrading a registry that holds data from revision 0003 to the head, on SQLite and PostgreSQL.

Revision 0004 adds the stored has-target flag of tasks (and the unit → tasks index): upgrading a
registry whose tasks were imported before must fill the flag from their targets, so that the
``has_target`` filter lists exactly the tasks it listed before, and new imports set it too.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import text
from tests.db.upgrades import columns, down_to, up_to_head

from eduplan.db import make_engine, make_session_factory
from eduplan.db.migrate import upgrade
from eduplan.samples import many_plans as mp
from eduplan.samples.plan_text import sample_lines
from eduplan.services import registry as reg

PREVIOUS = "0003"


def _as_bytes(lines: list[str]) -> bytes:
    return ("\n".join(lines) + "\n").encode("utf-8")


def _listed(sessions: Any, **f: Any) -> list[int]:
    return [t.id for t in reg.list_tasks(sessions, reg.TaskFilter(**f), limit=1000).items]


def test_upgrade_from_0003_fills_the_has_target_flag(server: Any) -> None:
    engine = make_engine(server.make_empty())
    sessions = make_session_factory(engine)
    try:
        upgrade(engine)
        reg.import_document(sessions, _as_bytes(sample_lines()), "示例.txt")
        for i in range(3):
            reg.import_document(sessions, mp.plan_bytes(i), f"plan-{i}.txt")
        with_targets = _listed(sessions, has_target=True)
        without = _listed(sessions, has_target=False)
        unit = _listed(sessions, unit="教师工作科", has_target=True)
        assert with_targets and without and unit

        down_to(engine, PREVIOUS)
        assert "has_target" not in columns(engine, "tasks")
        up_to_head(engine)

        with engine.connect() as conn:
            flagged = conn.execute(text("SELECT count(*) FROM tasks WHERE has_target")).scalar()
        assert flagged == len(with_targets)
        assert _listed(sessions, has_target=True) == with_targets
        assert _listed(sessions, has_target=False) == without
        assert _listed(sessions, unit="教师工作科", has_target=True) == unit

        later = reg.import_document(sessions, mp.plan_bytes(3), "plan-3.txt")
        assert later.status == "created"
        added = [t for t in reg.list_tasks(sessions, reg.TaskFilter(plan_id=later.plan_id), limit=100).items]
        assert {t.id for t in added if t.targets} <= set(_listed(sessions, has_target=True))
        assert len(_listed(sessions, has_target=True)) == len(with_targets) + sum(
            1 for t in added if t.targets
        )
    finally:
        engine.dispose()
