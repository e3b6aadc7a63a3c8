"""Assignment: parsed 责任单位 through the unit directory, 待明确 for group words, lead and support
kept apart, staff changes, 下发 to districts with per-district targets, deadlines in words."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Invalid, NotFound, StaleVersion
from eduplan.services.loop.assign import AssignmentInput, is_unspecified

SYSTEM = Principal.system()


def office(world: World) -> Principal:
    return Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)


def reporter(world: World, name: str = "jichu", unit: str = "基础教育科") -> Principal:
    return Principal(world.users[name], name, "reporter", world.org_id, "示例市", world.units[unit])


@pytest.mark.parametrize(
    ("words", "unspecified"),
    [
        ("局各科室", True),
        ("局相关科室", True),
        ("各县区教育局", True),
        ("各区县", True),
        ("相关单位", True),
        ("各直属单位", True),
        ("基础教育科", False),
        ("市教育科学研究院", False),
        ("各级党组织", True),
    ],
)
def test_group_words_are_to_be_specified(words: str, unspecified: bool) -> None:
    assert is_unspecified(words) is unspecified


def test_parsed_units_become_assignments(world: World, sessions: SessionFactory) -> None:
    items = {i.number: i for i in tracking.list_items(sessions, SYSTEM, world.district_plan_id)}
    first = items["1"]
    assert [(a.name, a.state, a.hint) for a in first.assignments] == [
        ("发展规划科", "assigned", None),
        ("各县区教育局", "unspecified", "handdown"),
    ]
    assert first.to_be_specified and first.assignments[0].unit_id == world.units["发展规划科"]
    assert [(a.name, a.state) for a in items["2"].assignments] == [("局各科室", "unspecified")]
    roles = [(a.role, a.name, a.state) for a in items["3"].assignments]
    assert roles == [
        ("lead", "学前教育科", "assigned"),
        ("support", "局相关科室", "unspecified"),
        ("support", "计划财务科", "assigned"),
    ]
    pending = tracking.list_items(sessions, SYSTEM, world.district_plan_id, to_be_specified=True)
    assert [i.number for i in pending] == ["1", "2", "3"]


def test_aliases_resolve_to_the_same_unit(world: World, sessions: SessionFactory) -> None:
    # 教育科学研究院 is written 市教育科学研究院 in the plan: one unit, found by either name
    item = world.items["5"]
    view = tracking.get_item(sessions, SYSTEM, item)
    loop.set_assignments(
        sessions,
        office(world),
        item,
        [AssignmentInput("lead", name="教师工作科"), AssignmentInput("support", name="教育科学研究院")],
        view.version,
    )
    after = tracking.get_item(sessions, SYSTEM, item)
    assert [(a.role, a.unit_name) for a in after.assignments] == [
        ("lead", "教师工作科"),
        ("support", "市教育科学研究院"),
    ]
    assert not after.to_be_specified and after.version == view.version + 1


def test_staff_specify_and_only_staff(world: World, sessions: SessionFactory) -> None:
    item = world.district_items["2"]
    version = tracking.get_item(sessions, SYSTEM, item).version
    with pytest.raises(NotFound):  # a reporter whose unit is not on the task does not even see it
        loop.set_assignments(sessions, reporter(world), item, [AssignmentInput(name="基础教育科")], version)
    viewer = Principal(world.users["viewer"], "viewer", "viewer", world.org_id, "示例市", None)
    with pytest.raises(Forbidden):
        loop.set_assignments(sessions, viewer, item, [AssignmentInput(name="基础教育科")], version)
    with pytest.raises(Invalid):  # an unknown unit is refused, never created by guess
        loop.set_assignments(sessions, office(world), item, [AssignmentInput(name="不存在科")], version)
    loop.set_assignments(
        sessions,
        office(world),
        item,
        [
            AssignmentInput("responsible", unit_id=world.units["基础教育科"]),
            AssignmentInput("support", name="人事科"),
        ],
        version,
    )
    view = tracking.get_item(sessions, reporter(world), item)  # now the reporter sees it
    assert [a.unit_name for a in view.assignments] == ["基础教育科", "人事科"]
    with pytest.raises(StaleVersion):
        loop.set_assignments(sessions, office(world), item, [AssignmentInput(name="人事科")], version)


def test_hand_down_splits_targets_by_district(world: World, sessions: SessionFactory) -> None:
    city = world.district_items["1"]
    result = loop.hand_down(sessions, office(world), city)
    assert sorted(result.created) == ["丙县", "乙区", "甲区"]
    children = {n: tracking.get_item(sessions, SYSTEM, i) for n, i in result.created.items()}
    parent = tracking.get_item(sessions, SYSTEM, city)
    assert sorted(parent.children) == sorted(result.created.values())
    for name, value in [("甲区", 4), ("乙区", 6), ("丙县", 42)]:
        child = children[name]
        assert child.org_name == name and child.parent_id == city
        assert child.deadline == parent.deadline and child.deadline_source == "inherited"
        assert [(t.subject, t.value, t.parent_id) for t in child.targets] == [
            ("实施教育重点项目", value, parent.targets[0].id)
        ]
        # waiting for the district's office (待分工), not 待明确
        assert [a.state for a in child.assignments] == ["received"] and not child.to_be_specified
    # 各县区教育局 is carried by the children now: the city's task is not 待明确 any more
    assert [a.state for a in parent.assignments] == ["assigned", "handed_down"]
    assert not parent.to_be_specified
    again = loop.hand_down(sessions, office(world), city, ["甲区", "丁区"])
    assert list(again.existing) == ["甲区"] and list(again.created) == ["丁区"]
    # a district the parts do not name gets the task but no share of the split target
    assert tracking.get_item(sessions, SYSTEM, again.created["丁区"]).targets == []
    # the deadline staff set follows down to the children that inherit it
    loop.set_deadline(sessions, office(world), city, "第三季度", parent.version)
    assert tracking.get_item(sessions, SYSTEM, result.created["甲区"]).deadline == date(2024, 9, 30)


def test_hand_down_without_district_parts_needs_names(world: World, sessions: SessionFactory) -> None:
    item = world.items["10"]  # 筑牢校园安全防线: 安全稳定科、各区县教育局, targets not split
    with pytest.raises(Invalid):
        loop.hand_down(sessions, office(world), item)
    made = loop.hand_down(sessions, office(world), item, ["甲区"])
    child = tracking.get_item(sessions, SYSTEM, made.created["甲区"])
    parent = tracking.get_item(sessions, SYSTEM, item)
    assert [t.value for t in child.targets] == [t.value for t in parent.targets]


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        ("9月底前", date(2024, 9, 30)),
        ("上半年", date(2024, 6, 30)),
        ("第三季度", date(2024, 9, 30)),
        ("年内", date(2024, 12, 31)),
        ("10月15日前", date(2024, 10, 15)),
        ("2024-11-20", date(2024, 11, 20)),
    ],
)
def test_deadline_words_read_in_the_plans_year(
    world: World, sessions: SessionFactory, words: str, expected: date
) -> None:
    item = world.items["11"]  # no deadline in its text
    view = tracking.get_item(sessions, SYSTEM, item)
    assert view.deadline is None and view.deadline_source is None
    loop.set_deadline(sessions, office(world), item, words, view.version)
    after = tracking.get_item(sessions, SYSTEM, item)
    assert (after.deadline, after.deadline_source) == (expected, "staff")


def test_deadlines_from_text_and_unreadable_words(world: World, sessions: SessionFactory) -> None:
    assert tracking.get_item(sessions, SYSTEM, world.items["1"]).deadline == date(2024, 6, 30)
    assert tracking.get_item(sessions, SYSTEM, world.items["1"]).deadline_source == "text"
    view = tracking.get_item(sessions, SYSTEM, world.items["11"])
    with pytest.raises(Invalid):
        loop.set_deadline(sessions, office(world), world.items["11"], "尽快", view.version)
