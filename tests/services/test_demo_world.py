"""The demo world (samples.demo_world): a registry that looks alive on the day it is built, made
through the services, so what the pages show obeys the rules (run on SQLite and PostgreSQL)."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.demo_world import DemoWorld, build_demo_world
from eduplan.samples.loop import SAMPLE_PASSWORD
from eduplan.services.accounts import Principal, login
from eduplan.services.notify.inbox import list_inbox
from eduplan.services.registry import list_indicator_tables, list_plans, list_projects, list_units
from eduplan.services.tracking import (
    get_item,
    item_audit,
    list_items,
    list_rectifications,
    list_reports,
    list_urges,
    plan_status,
)
from eduplan.services.tracking.adhoc import adhoc_in
from eduplan.services.tracking.instructions import list_instructions

DAY = date(2026, 12, 1)


@pytest.fixture
def demo(sessions: SessionFactory, settings: Settings) -> DemoWorld:
    return build_demo_world(sessions, settings, DAY, SAMPLE_PASSWORD)


def test_plans_units_and_accounts(sessions: SessionFactory, settings: Settings, demo: DemoWorld) -> None:
    plans = {p.title: p for p in list_plans(sessions).items}
    assert "示例市教育局2026年教育工作要点" in plans
    assert plans["示例市“十五五”教育事业发展规划"].period == [2026, 2030]
    [table] = list_indicator_tables(sessions, demo.five_year_plan_id).items
    assert [r.attribute for r in table.rows].count("约束性") == 2
    assert any(
        p.title == "示例市第二高级中学新校区建设项目"
        for p in list_projects(sessions, demo.five_year_plan_id).items
    )

    units = {u.name: u for u in list_units(sessions, demo.org_id, limit=200).items}
    assert "市教科院" in units["市教育科学研究院"].aliases
    assert "市招生考试院" in units  # named by no plan, added to the directory

    roles = {a.role for a in demo.accounts}
    assert roles == {"admin", "leader", "office", "reporter", "viewer"}
    result = login(sessions, settings, "jichu", SAMPLE_PASSWORD)
    assert result.user.unit_name == "基础教育科" and not result.user.must_change_password


def test_past_cycles_have_a_realistic_mix_of_reports(
    sessions: SessionFactory, settings: Settings, demo: DemoWorld
) -> None:
    office = demo.principals["office"]
    states: Counter[str] = Counter()
    for item in list_items(sessions, office, demo.plan_id):
        states.update(r.state for r in list_reports(sessions, office, item.id))
    assert states["accepted"] > 100 and states["submitted"] >= 3 and states["returned"] == 1
    status = plan_status(sessions, settings, office, demo.plan_id, DAY)
    assert status.due_cycles == 11  # January to November are due by 1 December
    assert sum(u.missing for u in status.units) == demo.counts["missing"] > 0
    assert sum(u.late for u in status.units) > 0
    assert len(set(i.colour for i in status.items)) >= 2  # not all green, not all red

    # supervision, and a reporter sees only its unit's tasks
    levels = sorted((u.level, u.state) for u in list_urges(sessions, office))
    assert levels == [("red", "answered"), ("yellow", "open")]
    [rect] = list_rectifications(sessions, office)
    assert rect.state == "submitted" and rect.evidence
    reporter = demo.principals["xueqian"]
    mine = list_items(sessions, reporter, demo.plan_id)
    assert mine and all(any(a.unit_id == reporter.unit_id for a in i.assignments) for i in mine)

    # the district got its share of the key projects
    [child] = list_items(sessions, demo.principals["jiaqu"], demo.projects_plan_id)
    assert child.org_name == "甲区" and [t.value for t in child.targets] == [4]


def test_early_in_the_year_bi_weekly_with_one_time_passwords(
    sessions: SessionFactory, settings: Settings
) -> None:
    world = build_demo_world(sessions, settings, date(2027, 2, 20))
    status = plan_status(sessions, settings, Principal.system(), world.plan_id, date(2027, 2, 20))
    assert status.due_cycles >= 3 and world.counts["accepted"] > 0
    admin = next(a for a in world.accounts if a.username == "admin")
    assert admin.password and admin.password != SAMPLE_PASSWORD
    assert login(sessions, settings, "admin", admin.password).user.must_change_password


def test_adhoc_items_a_duty_and_a_leaders_instruction(
    sessions: SessionFactory, settings: Settings, demo: DemoWorld
) -> None:
    """Issue 14 on show: a 交办事项 from a 领导批示 given to a city unit, a monthly 常态化 duty given three
    months ago (occurrences reported, one 缺报), and the leader's 批示 on the safety task, announced."""
    office = demo.principals["office"]
    with sessions() as session:
        given = adhoc_in(session, office, demo.ids["adhoc_instruction"], DAY, settings.timezone)
        duty = adhoc_in(session, office, demo.ids["adhoc_duty"], DAY, settings.timezone)
    assert given is not None and given.source_label == "领导批示"
    item = get_item(sessions, office, demo.ids["adhoc_instruction"])
    assert item.org_name == "示例市" and item.assignments[0].unit_name == "基础教育科"
    assert ("create", "adhoc") in [(e.action, e.entity) for e in item_audit(sessions, office, item.id)]

    assert duty is not None and duty.recurrence_label == "每月" and duty.starts_on == date(2026, 9, 1)
    past = [o.units[0].label for o in duty.occurrences if o.due < DAY]
    assert past == ["已报送", "缺报", "已报送"]  # September, October (missed), November
    assert duty.missed == demo.counts["duty_missed"] == 1

    [words] = list_instructions(sessions, office, demo.ids["instructed_item"])
    assert words.author == "李明（分管局领导）" and words.deadline == date(2026, 12, 15)
    notices = [n.title for n in list_inbox(sessions, demo.principals["anquan"])]
    assert any("批示" in t and "校园安全" in t for t in notices)
