"""A task handed down to a district, carried out there: the district adds its units, assigns the
task, its reporter reports, the city follows; the city's schedule cannot be renumbered under reports;
two saves racing past the version check still cannot both win."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts, loop, tracking
from eduplan.services.accounts import Principal, UserCreate
from eduplan.services.errors import Conflict, Invalid, NotFound, StaleVersion
from eduplan.services.loop import AssignmentInput, ReportInput, ScheduleInput
from eduplan.services.loop import reports as reports_module

TODAY = date(2024, 5, 10)


def test_a_district_carries_out_what_the_city_handed_down(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    city = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    made = loop.hand_down(sessions, city, world.district_items["1"], ["甲区", "乙区"]).created
    child = tracking.get_item(sessions, city, made["甲区"])
    jia = Principal(None, "jia-office", "office", child.org_id, "示例市/甲区", None)
    with pytest.raises(NotFound):  # a district keeps to its own directory
        loop.add_unit(sessions, jia, world.org_id, "某科")
    section = loop.add_unit(sessions, jia, child.org_id, "基础教育股", ["基教股"])
    assert section.created and section.unit.aliases == ["基础教育股", "基教股"]
    again = loop.add_unit(sessions, jia, child.org_id, "基教股")
    assert not again.created and again.unit.id == section.unit.id
    with pytest.raises(Invalid):
        loop.add_unit(sessions, jia, child.org_id, "安全股", ["基教股"])
    loop.set_assignments(sessions, jia, child.id, [AssignmentInput("lead", name="基教股")], child.version)
    with pytest.raises(Invalid):  # the city's sections are not the district's to assign
        loop.set_assignments(
            sessions, jia, child.id, [AssignmentInput(unit_id=world.units["基础教育科"])], child.version + 1
        )
    reporter = accounts.create_user(
        sessions,
        settings,
        jia,
        UserCreate("jia-jiaoyu", "reporter", "", child.org_id, section.unit.id, world.password),
    ).user
    who = Principal(reporter.id, reporter.username, "reporter", child.org_id, "示例市/甲区", section.unit.id)
    target = child.targets[0]
    report = loop.save_report(
        sessions,
        who,
        child.id,
        section.unit.id,
        4,
        ReportInput("in_progress", 50, "已开工2个", {target.id: 2}),
        None,
        TODAY,
    )
    loop.submit_report(sessions, who, report.id, report.version, now=datetime(2024, 5, 8, tzinfo=UTC))
    district_view = tracking.plan_status(sessions, settings, jia, world.district_plan_id, TODAY)
    assert [s.item_id for s in district_view.items] == [child.id]
    assert district_view.items[0].progress == 50  # 2 of the district's 4 projects: 50%
    assert [u.unit_name for u in district_view.units] == ["基础教育股"]
    assert tracking.get_schedule(sessions, who, world.district_plan_id).items == 1
    with pytest.raises(NotFound):
        tracking.plan_status(sessions, settings, jia, world.plan_id, TODAY)
    city_view = tracking.plan_status(sessions, settings, city, world.district_plan_id, TODAY)
    assert {s.item_id for s in city_view.items} >= {child.id, made["乙区"]}
    assert tracking.list_reports(sessions, city, child.id)[0].percent == 50
    yi = Principal(
        None,
        "yi-office",
        "office",
        tracking.get_item(sessions, city, made["乙区"]).org_id,
        "示例市/乙区",
        None,
    )
    with pytest.raises(NotFound):
        tracking.list_reports(sessions, yi, child.id)


def test_cycles_are_not_renumbered_under_reports(world: World, sessions: SessionFactory) -> None:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    jichu = Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )
    version = tracking.get_schedule(sessions, office, world.plan_id).version
    moved = loop.open_plan(sessions, office, world.plan_id, ScheduleInput("monthly", 20), version)
    assert moved.due_day == 20 and moved.cycles[0].due == date(2024, 1, 20)
    loop.save_report(
        sessions, jichu, world.items["1"], world.units["基础教育科"], 0, ReportInput(), None, TODAY
    )
    with pytest.raises(Conflict):
        loop.open_plan(sessions, office, world.plan_id, ScheduleInput("biweekly", 5), moved.version)
    later = ScheduleInput("monthly", 25, ends_on=date(2025, 6, 30))
    assert len(loop.open_plan(sessions, office, world.plan_id, later, moved.version).cycles) == 18


def test_a_save_racing_past_the_check_still_loses(
    world: World, sessions: SessionFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two saves of version 1 pass the version check; the other one commits before this one writes."""
    jichu = Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )
    unit, item = world.units["基础教育科"], world.items["1"]
    first = loop.save_report(sessions, jichu, item, unit, 4, ReportInput("in_progress", 10), None, TODAY)
    real_check = reports_module.check_version
    raced: list[bool] = []

    def check_then_lose_the_race(*args: object) -> None:
        real_check(*args)  # type: ignore[arg-type]
        if not raced:
            raced.append(True)
            data = ReportInput("in_progress", 20, "先到")
            loop.save_report(sessions, jichu, item, unit, 4, data, first.version, TODAY)

    monkeypatch.setattr(reports_module, "check_version", check_then_lose_the_race)
    with pytest.raises(StaleVersion) as lost:
        loop.save_report(
            sessions, jichu, item, unit, 4, ReportInput("in_progress", 30, "后到"), first.version, TODAY
        )
    assert raced and lost.value.details.current_version == first.version + 1
    assert {c.field for c in lost.value.details.changes} == {"percent", "narrative"}
    assert tracking.get_report(sessions, jichu, first.id).narrative == "先到"


def test_changing_the_password_ends_the_other_sessions(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    phone = accounts.login(sessions, settings, "leader", world.password)
    desk = accounts.login(sessions, settings, "leader", world.password)
    me = accounts.session_principal(sessions, settings, desk.token)
    accounts.change_password(sessions, settings, me, world.password, "Another-Passw0rd")
    assert accounts.session_principal(sessions, settings, desk.token).username == "leader"
    with pytest.raises(Exception, match="过期"):
        accounts.session_principal(sessions, settings, phone.token)
