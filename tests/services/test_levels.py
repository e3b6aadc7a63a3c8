"""Down every level and back up (issue 14): a city's task handed to its districts, a district's
office handing its part on to its schools; children inherit deadline and targets (a district's part
of a split target becomes its own), each level runs the same life, progress and lights roll up, a
unit owes reports only from the day it received the task, and rankings compare like with like."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.loop import AssignmentInput, ReportInput
from eduplan.services.loop.life import sign
from eduplan.services.loop.life_requests import (
    decide_closing,
    decide_extension,
    request_closing,
    request_extension,
)
from eduplan.services.tracking import levels
from eduplan.services.tracking.children import roll_up_in
from eduplan.services.tracking.dashboard import compute_dashboard
from eduplan.services.tracking.life import life_in

TODAY = date(2024, 5, 10)  # monthly reports due on the 25th: January to April are due


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        ([], 0.0),
        ([(50.0, None), (0.0, None)], 25.0),  # no parts: each member the same
        ([(100.0, 4.0), (0.0, 6.0)], 40.0),  # weighted by the share of the target
        ([(100.0, 4.0), (0.0, None)], 50.0),  # a member without a share: plain mean
        ([(100.0, 0.0), (50.0, 0.0)], 75.0),  # nothing to weigh by: plain mean
        ([(25.0, 4.0), (0.0, 6.0), (100.0, 47.0)], round((100 + 4700) / 57, 1)),  # 本级 carries the rest
    ],
)
def test_rolled_progress(members: list[tuple[float, float | None]], expected: float) -> None:
    assert levels.rolled_progress(members) == expected


@pytest.mark.parametrize(
    ("colours", "expected"),
    [([], "green"), (["green", "amber"], "amber"), (["amber", "red", "green"], "red"), (["green"], "green")],
)
def test_the_worst_light_shows(colours: list[str], expected: str) -> None:
    assert levels.worst(colours) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("received", "expected"),
    [(None, [0, 1, 2, 3]), (date(2024, 3, 1), [2, 3]), (date(2024, 3, 25), [2, 3]), (date(2024, 5, 1), [])],
)
def test_cycles_count_from_receipt(received: date | None, expected: list[int]) -> None:
    due = [(i, date(2024, i + 1, 25)) for i in range(4)]
    assert levels.counted_cycles(due, received) == expected


@pytest.mark.parametrize(
    ("level", "kind", "expected"),
    [
        ("city", "section", "市局科室"),
        ("city", "other", "市局科室"),
        ("city", "affiliated", "直属单位"),
        ("county", "section", "县区"),
        ("school", "other", "学校"),
        (None, None, "其他"),
    ],
)
def test_tiers(level: str | None, kind: str | None, expected: str) -> None:
    assert levels.tier(level, kind) == expected


@pytest.mark.parametrize(
    ("states", "expected"),
    [
        ({1: ["closed"], 2: ["closed"], 3: ["closed"], 4: ["closed"]}, True),
        ({1: [], 2: [], 3: ["closed"], 4: ["closed"]}, True),  # handed on whole: its schools decide
        ({1: ["closed"], 2: ["closed"], 3: ["closed"], 4: ["signed"]}, False),  # a school still at it
        ({1: ["closed"], 2: ["closed"], 3: ["closed"]}, False),  # a school without units (待分工)
        ({1: ["closed"], 2: ["closing"], 3: ["closed"], 4: ["closed"]}, False),
        ({1: ["closed", "transferred"], 2: ["closed"], 3: ["closed"], 4: ["closed"]}, True),  # 转办
        ({}, False),
    ],
)
def test_closing_flows_up(states: dict[int, list[str]], expected: bool) -> None:
    """City task 1 → district 2 → schools 3 and 4: 办结 when every part at every level is."""
    parents: dict[int, int | None] = {1: None, 2: 1, 3: 2, 4: 2}
    assert levels.closed_family(1, parents, states) == expected
    assert levels.closed_family(3, parents, states) == ("closed" in states.get(3, []))


def office_of(org_id: int, path: str, name: str) -> Principal:
    return Principal(None, name, "office", org_id, path, None)


def _unit_and_reporter(sessions: SessionFactory, office: Principal, item_id: int, name: str) -> Principal:
    """An office names its own unit for its task; the unit's reporter."""
    item = tracking.get_item(sessions, office, item_id)
    unit = loop.add_unit(sessions, office, item.org_id, name).unit
    loop.set_assignments(sessions, office, item_id, [AssignmentInput("lead", unit.id)], item.version)
    return Principal(None, f"{name}-reporter", "reporter", item.org_id, office.org_path, unit.id)


def _report(sessions: SessionFactory, who: Principal, item_id: int, cycle: int, percent: float) -> None:
    done = "done" if percent >= 100 else "in_progress"
    assert who.unit_id is not None
    r = loop.save_report(sessions, who, item_id, who.unit_id, cycle, ReportInput(done, percent), None, TODAY)
    loop.submit_report(sessions, who, r.id, r.version, now=datetime(2024, 4, 20, tzinfo=UTC))


def test_down_to_the_schools_and_back_up(world: World, sessions: SessionFactory, settings: Settings) -> None:
    city = office_of(world.org_id, "示例市", "office")
    task = world.district_items["1"]  # 57 projects: 市本级5个、甲区4个、乙区6个、丙县42个, 9月底前
    down = loop.hand_down(sessions, city, task, ["甲区", "乙区"], today=date(2024, 3, 1)).created
    jia_item = tracking.get_item(sessions, city, down["甲区"])
    assert jia_item.org_level == "county" and [t.value for t in jia_item.targets] == [4]
    jia = office_of(jia_item.org_id, "示例市/甲区", "jia-office")
    # a district's office hands its part on to its schools; the schools inherit deadline and target
    schools = loop.hand_down(
        sessions, jia, jia_item.id, ["实验小学", "第二中学"], today=date(2024, 4, 1)
    ).created
    a, b = (tracking.get_item(sessions, jia, schools[n]) for n in ("实验小学", "第二中学"))
    assert a.org_level == "school" and a.parent_id == jia_item.id
    assert a.deadline == jia_item.deadline is not None and a.deadline_source == "inherited"
    assert [(t.value, t.parent_id) for t in a.targets] == [(4, jia_item.targets[0].id)]
    # a district sees its schools' tasks, not another district's; a school nothing above it
    with pytest.raises(NotFound):
        tracking.get_item(sessions, jia, down["乙区"])
    school_a = office_of(a.org_id, "示例市/甲区/实验小学", "a-office")
    with pytest.raises(NotFound):
        tracking.get_item(sessions, school_a, jia_item.id)
    with pytest.raises(Invalid, match="没有下级单位"):
        loop.hand_down(sessions, school_a, a.id, ["一年级"])
    # handed on, the district's task is neither 待明确 nor 待分工 any more
    assert [x.state for x in tracking.get_item(sessions, jia, jia_item.id).assignments] == ["handed_down"]
    parent = tracking.get_item(sessions, city, task)
    assert not parent.to_be_specified
    # the office changing the city's own units keeps the words its children carry
    lead = AssignmentInput("lead", world.units["发展规划科"])
    kept = loop.set_assignments(sessions, city, task, [lead], parent.version)["assignments"]
    assert [(a["state"], a["name"]) for a in kept] == [
        ("assigned", "发展规划科"),
        ("handed_down", "各县区教育局"),
    ]
    # each level runs the same life: a school names its unit, which reports
    _report(sessions, _unit_and_reporter(sessions, school_a, a.id, "教务处"), a.id, 3, 100)
    school_b = office_of(b.org_id, "示例市/甲区/第二中学", "b-office")
    b_reporter = _unit_and_reporter(sessions, school_b, b.id, "教导处")  # assigned, never reports
    yi = office_of(tracking.get_item(sessions, city, down["乙区"]).org_id, "示例市/乙区", "yi-office")
    _report(sessions, _unit_and_reporter(sessions, yi, down["乙区"], "基教股"), down["乙区"], 3, 60)

    waiting = loop.hand_down(sessions, city, task, ["丙县"], today=date(2024, 5, 1)).created["丙县"]
    status = tracking.plan_status(sessions, settings, city, world.district_plan_id, TODAY)
    by_id = {s.item_id: s for s in status.items}
    assert "待本级分工（指定承办科室或继续下发）" in by_id[waiting].reasons
    assert "责任单位待明确" not in by_id[waiting].reasons + by_id[task].reasons
    # received on 1 April, a school owes April's report only, not January's to March's
    assert by_id[b.id].missing_reports == 1 and by_id[a.id].missing_reports == 0
    jiaodao = next(u for u in status.units if u.unit_name == "第二中学教导处")  # named with its school
    assert (jiaodao.expected, jiaodao.missing) == (1, 1)
    # the dashboard counts the same, from the rollups (a leader) and from the slots (the reporter)
    leader = Principal(None, "leader", "leader", world.org_id, "示例市", None)
    for who in (leader, b_reporter):
        row = next(
            u for u in compute_dashboard(sessions, who, settings, TODAY).units if u.unit_name == "教导处"
        )
        assert (row.expected, row.filed, row.missing_last, row.tier) == (1, 0, 1, "学校")
    # the district: the mean of its schools (no parts below it), with the worst of their lights
    assert by_id[a.id].colour == "green" and by_id[b.id].colour == "red"
    jia_status = by_id[jia_item.id]
    assert jia_status.rolled_up and jia_status.progress == 50.0
    assert jia_status.colour == "red" and "下级单位红灯 1 个" in jia_status.reasons
    # the city: weighted by the districts' parts (4, 6, 42), 发展规划科 carrying the rest (57 − 52)
    city_status = by_id[task]
    assert city_status.progress == round((50 * 4 + 60 * 6 + 0 * 42 + 0 * 5) / 57, 1)
    assert city_status.colour == "red" and city_status.rolled_up
    # the district's own view rolls up the same way
    mine = tracking.plan_status(sessions, settings, jia, world.district_plan_id, TODAY)
    assert {s.item_id for s in mine.items} == {jia_item.id, a.id, b.id}
    assert next(s for s in mine.items if s.item_id == jia_item.id).progress == 50.0

    # the parent's roll-up lists each child with its light, latest report and open supervision
    loop.issue_urge(sessions, city, down["乙区"], "请加快进度", date(2024, 5, 20), level="red")
    with sessions() as session:
        statuses = {s.item_id: s for s in status.items}
        rolled = roll_up_in(session, city, tracking.get_item(sessions, city, task), statuses)
    assert rolled.level_word == "县区"
    rows = {r.org_name: r for r in rolled.children}
    assert set(rows) == {"甲区", "乙区", "丙县"}
    assert (rows["甲区"].colour, rows["甲区"].progress, rows["甲区"].handed_on) == ("red", 50.0, True)
    assert (rows["乙区"].latest_percent, rows["乙区"].latest_cycle, rows["乙区"].assigned) == (60, 3, True)
    assert (rows["乙区"].open_urges, rows["甲区"].open_urges) == (1, 0)
    assert rows["甲区"].received_on == date(2024, 3, 1)
    assert not {"甲区", "乙区"} & {name for _id, name in rolled.options}  # handed down already


def test_rankings_compare_like_with_like(world: World, sessions: SessionFactory, settings: Settings) -> None:
    city = office_of(world.org_id, "示例市", "office")
    task = world.district_items["1"]
    down = loop.hand_down(sessions, city, task, ["甲区"], today=date(2024, 3, 1)).created
    jia = office_of(tracking.get_item(sessions, city, down["甲区"]).org_id, "示例市/甲区", "jia-office")
    _report(sessions, _unit_and_reporter(sessions, jia, down["甲区"], "基教股"), down["甲区"], 3, 100)
    school = loop.hand_down(sessions, jia, down["甲区"], ["实验小学"], today=date(2024, 4, 1)).created
    school_office = office_of(
        tracking.get_item(sessions, jia, school["实验小学"]).org_id, "示例市/甲区/实验小学", "s-office"
    )
    _unit_and_reporter(sessions, school_office, school["实验小学"], "教务处")
    result = loop.evaluate(sessions, settings, city, world.district_plan_id, TODAY)
    tiers = [u.tier for u in result.units]
    assert tiers == sorted(tiers, key=levels.TIERS.index)  # groups in order: 科室 … 县区, 学校
    assert {"市局科室", "县区", "学校"} <= set(tiers)
    for tier in set(tiers):  # each group ranked among its own, from 1 (a unit with nothing scored: none)
        ranks = [u.rank for u in result.units if u.tier == tier and u.rank is not None]
        assert ranks == sorted(ranks) and ranks[:1] in ([], [1])
    assert any(u.rank == 1 for u in result.units if u.tier == "县区")  # 甲区's unit reported: ranked
    jiaowu = next(u for u in result.units if u.unit_name == "实验小学教务处")
    jijiao = next(u for u in result.units if u.unit_name == "甲区基教股")
    assert jijiao.rank == 1  # alone in its group, not behind the city's 科室
    assert jiaowu.rank is None  # nothing reported yet: not ranked (issue 15), nor put behind anyone
    # the school received the task on 1 April: one report due (April), not four
    assert "应报 1 期次" in " ".join(jiaowu.explanation)
    assert "应报 2 期次" in " ".join(jijiao.explanation)  # 甲区 since 1 March: March and April


def test_a_board_mixing_levels_names_each_unit_with_its_organisation(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    """Issue 15: 甲区's 基础教育科 beside the city's 基础教育科 on the city's 督办 board reads 甲区基础教育科."""
    from eduplan.services.pages.board import urge_board

    city = office_of(world.org_id, "示例市", "office")
    task = world.district_items["1"]
    down = loop.hand_down(sessions, city, task, ["甲区"], today=date(2024, 3, 1)).created
    jia = office_of(tracking.get_item(sessions, city, down["甲区"]).org_id, "示例市/甲区", "jia-office")
    district_unit = _unit_and_reporter(sessions, jia, down["甲区"], "基础教育科").unit_id
    city_unit = world.units["基础教育科"]
    loop.issue_urge(sessions, city, down["甲区"], "请加快进度", "2024-05-10", district_unit)
    loop.issue_urge(sessions, city, world.items["1"], "请加快进度", "2024-05-10", city_unit)
    board = urge_board(sessions, city, TODAY)
    names = {row.urge.unit_id: row.urge.unit_name for row in board.urges}
    assert names[city_unit] == "基础教育科"
    assert names[district_unit] == "甲区基础教育科"


def _signed(sessions: SessionFactory, who: Principal, item_id: int) -> int:
    """The unit's part signed (签收) unless it is; its version."""
    with sessions() as session:
        mine = life_in(session, who, item_id, 2, TODAY).mine
    assert mine is not None
    if mine.state == "signed":
        return mine.version
    return sign(sessions, who, item_id, mine.version).version


def _request(sessions: SessionFactory, who: Principal, item_id: int, kind: str) -> tuple[int, int]:
    """The pending request of `kind` on a task, as the office reads it: (id, its duty's version)."""
    with sessions() as session:
        found = life_in(session, who, item_id, 2, TODAY)
    req = next(r for r in found.requests if r.kind == kind and r.state == "pending")
    duty = next(d for d in found.duties if d.unit_id == req.unit_id)
    return req.id, duty.version


def _extend(sessions: SessionFactory, office: Principal, unit: Principal, item_id: int, day: date) -> None:
    version = _signed(sessions, unit, item_id)
    request_extension(sessions, unit, item_id, day, "场地施工延误", version, TODAY)
    req, duty_version = _request(sessions, office, item_id, "extend")
    decide_extension(sessions, office, req, duty_version, approve=True)


def test_an_extension_above_passes_down_unless_a_child_has_a_later_one(
    world: World, sessions: SessionFactory
) -> None:
    """(c) 甲区 is given until 2025年1月31日 by the city: the school that inherited 12月31日 follows,
    the one whose own approved extension runs to 2月20日 keeps it; the audit says who moved what."""
    city = office_of(world.org_id, "示例市", "office")
    task = world.district_items["1"]  # 全年: 12月31日
    jia_id = loop.hand_down(sessions, city, task, ["甲区"], today=date(2024, 3, 1)).created["甲区"]
    jia_item = tracking.get_item(sessions, city, jia_id)
    jia = office_of(jia_item.org_id, "示例市/甲区", "jia-office")
    schools = loop.hand_down(sessions, jia, jia_id, ["实验小学", "第二中学"], today=date(2024, 4, 1)).created
    a, b = schools["实验小学"], schools["第二中学"]
    b_office = office_of(tracking.get_item(sessions, jia, b).org_id, "示例市/甲区/第二中学", "b-office")
    _extend(sessions, jia, _unit_and_reporter(sessions, b_office, b, "总务处"), b, date(2025, 2, 20))
    jia_unit = _unit_and_reporter(sessions, jia, jia_id, "基础教育科")
    # the district's own unit asks the city for more time: its task and the school following it move
    _extend(sessions, city, jia_unit, jia_id, date(2025, 1, 31))
    assert tracking.get_item(sessions, city, jia_id).deadline == date(2025, 1, 31)
    followed, kept = (tracking.get_item(sessions, jia, i) for i in (a, b))
    assert (followed.deadline, followed.deadline_source) == (date(2025, 1, 31), "inherited")
    assert (kept.deadline, kept.deadline_source) == (date(2025, 2, 20), "extension")
    assert any(e.action == "deadline" for e in tracking.item_audit(sessions, jia, a))
    assert tracking.get_item(sessions, city, task).deadline == jia_item.deadline  # the city's stays
    # an earlier extension of its own is overtaken by its parent's later one
    _extend(sessions, jia, _unit_and_reporter(sessions, jia, a, "教务处"), a, date(2025, 2, 10))
    _extend(sessions, city, jia_unit, jia_id, date(2025, 3, 31))
    assert tracking.get_item(sessions, jia, a).deadline == date(2025, 3, 31)
    assert tracking.get_item(sessions, jia, b).deadline == date(2025, 3, 31)


def test_a_deadline_the_city_sets_by_hand_reaches_the_schools(world: World, sessions: SessionFactory) -> None:
    """The city's office moves its task's deadline by hand to 2025年1月15日: the district and the
    school that inherit it follow (two levels down); the school with its own later approved
    extension, and the district whose office set its own deadline, keep theirs."""
    city = office_of(world.org_id, "示例市", "office")
    task = world.district_items["1"]  # 全年: 12月31日
    made = loop.hand_down(sessions, city, task, ["甲区", "乙区"], today=date(2024, 3, 1)).created
    jia_id, yi_id = made["甲区"], made["乙区"]
    jia = office_of(tracking.get_item(sessions, city, jia_id).org_id, "示例市/甲区", "jia-office")
    yi = office_of(tracking.get_item(sessions, city, yi_id).org_id, "示例市/乙区", "yi-office")
    schools = loop.hand_down(sessions, jia, jia_id, ["实验小学", "第二中学"], today=date(2024, 4, 1)).created
    a, b = schools["实验小学"], schools["第二中学"]
    b_office = office_of(tracking.get_item(sessions, jia, b).org_id, "示例市/甲区/第二中学", "b-office")
    _extend(sessions, jia, _unit_and_reporter(sessions, b_office, b, "总务处"), b, date(2025, 2, 20))
    yi_school = loop.hand_down(sessions, yi, yi_id, ["实验小学"], today=date(2024, 4, 1)).created["实验小学"]
    loop.set_deadline(sessions, yi, yi_id, "10月31日前", tracking.get_item(sessions, yi, yi_id).version)
    assert tracking.get_item(sessions, yi, yi_school).deadline == date(2024, 10, 31)

    loop.set_deadline(
        sessions, city, task, date(2025, 1, 15), tracking.get_item(sessions, city, task).version
    )
    jia_item, school = (tracking.get_item(sessions, jia, i) for i in (jia_id, a))
    assert (jia_item.deadline, jia_item.deadline_source) == (date(2025, 1, 15), "inherited")
    assert (school.deadline, school.deadline_source) == (date(2025, 1, 15), "inherited")
    assert any(e.action == "deadline" for e in tracking.item_audit(sessions, jia, a))
    kept = tracking.get_item(sessions, jia, b)
    assert (kept.deadline, kept.deadline_source) == (date(2025, 2, 20), "extension")
    own = tracking.get_item(sessions, yi, yi_id)
    assert (own.deadline, own.deadline_source) == (date(2024, 10, 31), "staff")
    assert tracking.get_item(sessions, yi, yi_school).deadline == date(2024, 10, 31)


def test_a_districts_red_light_counts_on_the_citys_dashboard_and_closing_flows_up(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    """(b) a school's red light shows on the city's task and in the city's 红灯 count (rollups and
    slots alike); (d) the city's task is 办结 and done only when every school's part is closed."""
    city = office_of(world.org_id, "示例市", "office")
    leader = Principal(None, "leader", "leader", world.org_id, "示例市", None)
    task = world.district_items["2"]  # 局各科室: no unit of its own, no light before
    before = _plan_row(sessions, settings, leader, world.district_plan_id)
    jia_id = loop.hand_down(sessions, city, task, ["甲区"], today=date(2024, 3, 1)).created["甲区"]
    jia = office_of(tracking.get_item(sessions, city, jia_id).org_id, "示例市/甲区", "jia-office")
    schools = loop.hand_down(sessions, jia, jia_id, ["实验小学", "第二中学"], today=date(2024, 4, 1)).created
    reporters = {}
    for name, unit in (("实验小学", "教务处"), ("第二中学", "教导处")):
        school = office_of(
            tracking.get_item(sessions, jia, schools[name]).org_id, f"示例市/甲区/{name}", name
        )
        reporters[name] = _unit_and_reporter(sessions, school, schools[name], unit)
    _report(sessions, reporters["实验小学"], schools["实验小学"], 3, 40)  # 第二中学 misses April: red
    status = {
        s.item_id: s
        for s in tracking.plan_status(sessions, settings, city, world.district_plan_id, TODAY).items
    }
    assert status[schools["第二中学"]].colour == "red" and status[task].colour == "red"
    for rollups in (True, False):
        row = _plan_row(sessions, settings, leader, world.district_plan_id, rollups)
        assert row.tasks == before.tasks  # the children are the districts' tasks, not the city's
        assert row.counts["red"] == before.counts["red"] + 1
    jia_row = _plan_row(sessions, settings, jia, world.district_plan_id)
    assert (jia_row.tasks, jia_row.counts["red"]) == (1, 1)  # 甲区's own task, red from its school

    with sessions() as session:
        assert not life_in(session, city, task, 2, TODAY).closed
    for name, who in reporters.items():
        item = schools[name]
        request_closing(sessions, who, item, f"{name}已完成", _signed(sessions, who, item))
        req, version = _request(sessions, jia, item, "close")
        decide_closing(sessions, jia, req, version, accept=True)
        with sessions() as session:
            closed = {i: life_in(session, city, i, 2, TODAY).closed for i in (item, jia_id, task)}
        last = name == "第二中学"
        assert closed == {item: True, jia_id: last, task: last}
    row = _plan_row(sessions, settings, leader, world.district_plan_id)
    assert row.done == before.done + 1 and row.counts["red"] == before.counts["red"]
    assert _plan_row(sessions, settings, jia, world.district_plan_id).done == 1


def _plan_row(
    sessions: SessionFactory, settings: Settings, who: Principal, plan_id: int, rollups: bool | None = None
) -> Any:
    board = compute_dashboard(sessions, who, settings, TODAY, rollups=rollups)
    return next(p for p in board.plans if p.plan_id == plan_id)
