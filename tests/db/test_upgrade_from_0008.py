"""Upgrading from revision 0008 to the head, on SQLite and PostgreSQL: group words stop being units.

Before revision 0011 an import made a unit of every name a task gave, group words included (各区县教育局,
局各科室).  The data is written by today's import and the schema taken back to 0008, which gives those
words their units again, as imports then did; upgrading must turn them back into words (links kept as
written, no unit), keep a group unit an account names, keep the loop's 待明确 assignments and serve
the plan as parsed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select, text
from tests.db.upgrades import columns, down_to, sample_world, up_to_head

from eduplan.parsing.units import is_group_word
from eduplan.plan_json import plan_from_dict
from eduplan.samples.plan_text import sample_lines
from eduplan.services import registry as reg
from eduplan.services import tracking
from eduplan.services.accounts import Principal
from eduplan.services.parse import parse_lines

PREVIOUS = "0008"


def _units(engine: Any) -> set[str]:
    with engine.connect() as conn:
        return set(conn.scalars(text("SELECT name FROM units")))


def test_upgrade_from_0008_turns_group_units_back_into_words(server: Any, tmp_path: Path) -> None:
    with sample_world(server, tmp_path) as up:
        engine, sessions, world = up.engine, up.sessions, up.world
        system = Principal.system()
        before = {
            i.id: [(a.name, a.state) for a in i.assignments] for i in tracking.list_items(sessions, system)
        }
        assert not any(is_group_word(n) for n in _units(engine))

        down_to(engine, PREVIOUS)
        assert "kind" not in columns(engine, "tasks")
        groups = {n for n in _units(engine) if is_group_word(n)}
        assert {"各区县教育局", "局各科室"} <= groups  # as an import before 0011 made them
        with engine.begin() as conn:  # an account someone made for one of them keeps it
            unit_id = conn.scalar(text("SELECT id FROM units WHERE name = '局各科室'"))
            conn.execute(text("UPDATE users SET unit_id = :u WHERE username = 'viewer'"), {"u": unit_id})

        up_to_head(engine)
        assert {n for n in _units(engine) if is_group_word(n)} == {"局各科室"}
        with engine.connect() as conn:
            links = conn.execute(
                text("SELECT name, unit_id FROM task_units WHERE name = '各区县教育局'")
            ).all()
            kinds = set(conn.scalars(select(text("kind")).select_from(text("tasks"))))
        assert links and all(unit is None for _, unit in links)
        assert kinds == {"task"}
        after = {
            i.id: [(a.name, a.state) for a in i.assignments] for i in tracking.list_items(sessions, system)
        }
        assert after == before
        assert plan_from_dict(reg.plan_document(sessions, world.plan_id)) == parse_lines(sample_lines())
