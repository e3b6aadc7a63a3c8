"""Roles side by side: leaders and viewers read everything of their organisation and change
nothing; office staff manage; a unit reporter reads its own unit's tasks only."""

from __future__ import annotations

import pytest
from tests.people import person

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.errors import Forbidden


@pytest.mark.parametrize("role", ["leader", "viewer"])
def test_leaders_and_viewers_read_everything_and_change_nothing(
    world: World, sessions: SessionFactory, role: str
) -> None:
    office, reader = person(world, "office", "office"), person(world, role, role)
    everything = {i.id for i in tracking.list_items(sessions, office, world.plan_id)}
    assert (
        {i.id for i in tracking.list_items(sessions, reader, world.plan_id)}
        == everything
        == {*world.items.values()}
    )
    item = world.items["11"]
    version = tracking.get_item(sessions, reader, item).version
    with pytest.raises(Forbidden):
        loop.set_deadline(sessions, reader, item, "年内", version)
    with pytest.raises(Forbidden):
        loop.issue_urge(sessions, reader, item, "请加快进度", "年内")
    with pytest.raises(Forbidden):
        loop.hand_down(sessions, reader, world.district_items["1"])
    loop.set_deadline(sessions, office, item, "年内", version)  # office staff may
    assert tracking.get_item(sessions, reader, item).deadline_source == "staff"


def test_a_reporter_reads_its_units_tasks_only(world: World, sessions: SessionFactory) -> None:
    caiwu = person(world, "caiwu", "reporter", "计划财务科")  # on items 7 and 9
    mine = {i.id for i in tracking.list_items(sessions, caiwu, world.plan_id)}
    assert mine == {world.items["7"], world.items["9"]}
    version = tracking.get_item(sessions, caiwu, world.items["9"]).version
    with pytest.raises(Forbidden):  # its own task, but deadlines are set by office staff
        loop.set_deadline(sessions, caiwu, world.items["9"], "年内", version)
