"""A save refused because someone else saved first (409) says who, by name, and which fields — in
words, only the fields that really changed (issue 15: not "目标实际值" on a task without targets,
not "percent", not "30.0")."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import ACCOUNTS, World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.audit import people
from eduplan.services.errors import StaleVersion
from eduplan.services.loop import ReportInput

TODAY = date(2024, 5, 10)


def test_the_stale_message_names_the_changed_fields_in_words(world: World, sessions: SessionFactory) -> None:
    system = Principal.system()
    reporters = {uid: name for name, uid in world.units.items()}
    item, unit = next(
        (i, a.unit_id)
        for i in tracking.list_items(sessions, system, world.plan_id)
        if not tracking.get_item(sessions, system, i.id).targets
        for a in i.assignments
        if a.unit_id in reporters
    )
    login = next(u for u, (_role, name) in ACCOUNTS.items() if name == reporters[unit])
    jichu = Principal(world.users[login], login, "reporter", world.org_id, "示例市", unit)
    assert jichu.unit_id is not None
    first = loop.save_report(
        sessions, jichu, item.id, jichu.unit_id, 0, ReportInput("in_progress", 20.0), None, TODAY
    )
    loop.save_report(
        sessions, jichu, item.id, jichu.unit_id, 0, ReportInput("in_progress", 30.0), first.version, TODAY
    )
    with pytest.raises(StaleVersion) as refused:
        loop.save_report(
            sessions, jichu, item.id, jichu.unit_id, 0, ReportInput("in_progress", 40.0), first.version, TODAY
        )
    message = str(refused.value)
    assert "完成百分比" in message
    for code in ("percent", "values", "目标实际值", "30.0"):
        assert code not in message, message


def test_people_are_named_by_their_names(world: World, sessions: SessionFactory) -> None:
    with sessions.begin() as s:
        from eduplan.db.accounts import User

        s.get(User, world.users["jichu"]).display_name = "赵敏"  # type: ignore[union-attr]
    with sessions() as s:
        assert people(s, ["jichu", "system", ""]) == {"jichu": "赵敏", "system": "system"}
