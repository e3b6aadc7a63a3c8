"""Status from reports: colours per task, missing and late reports, completeness per unit and cycle."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput

TODAY = date(2024, 5, 10)
SYSTEM = Principal.system()


def reporter(world: World, name: str, unit: str) -> Principal:
    return Principal(world.users[name], name, "reporter", world.org_id, "示例市", world.units[unit])


def file(
    sessions: SessionFactory,
    who: Principal,
    item: int,
    cycle: int,
    data: ReportInput,
    at: datetime,
) -> None:
    assert who.unit_id is not None
    report = loop.save_report(sessions, who, item, who.unit_id, cycle, data, None, TODAY)
    loop.submit_report(sessions, who, report.id, report.version, now=at)


def status_of(
    sessions: SessionFactory, settings: Settings, world: World, number: str
) -> tracking.views.ItemStatus:
    found = tracking.plan_status(sessions, settings, SYSTEM, world.plan_id, TODAY).items
    return next(s for s in found if s.number == number)


def test_nothing_reported_is_red_with_missing_reports(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    status = tracking.plan_status(sessions, settings, SYSTEM, world.plan_id, TODAY)
    assert (status.current_cycle, status.due_cycles) == (4, 4)  # Jan–Apr are due by 10 May
    first = status.items[0]
    assert first.number == "1" and first.colour == "red" and first.expected == pytest.approx(71.8)
    assert first.missing_reports == 2 * 4  # two units × four due cycles
    assert "最近一期有单位未报送" in first.reasons
    assert sum(status.counts.values()) == 11


def test_progress_on_schedule_is_green_and_targets_count(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    jichu, guihua = reporter(world, "jichu", "基础教育科"), reporter(world, "guihua", "发展规划科")
    item = world.items["1"]  # deadline 6月底前: 序时进度 71.8% on 10 May; target 3200 places
    target = tracking.get_item(sessions, SYSTEM, item).targets[0].id
    on_time = datetime(2024, 4, 20, tzinfo=UTC)
    for cycle in range(4):
        for who in (jichu, guihua):
            file(
                sessions,
                who,
                item,
                cycle,
                ReportInput("in_progress", 20 * cycle),
                on_time.replace(month=cycle + 1),
            )
    behind = status_of(sessions, settings, world, "1")
    assert (behind.colour, behind.progress, behind.missing_reports) == ("amber", 60, 0)  # 11.8 behind
    file(
        sessions,
        jichu,
        item,
        4,
        ReportInput("in_progress", 70, values={target: 3000}),
        on_time.replace(month=5),
    )
    file(sessions, guihua, item, 4, ReportInput("in_progress", 70), on_time.replace(month=5))
    ahead = status_of(sessions, settings, world, "1")
    assert (ahead.colour, ahead.progress) == ("green", 70)  # 1.8 points behind, 3000/3200 = 94%
    assert ahead.lag == pytest.approx(1.8)


def test_target_actuals_pull_progress_down(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    jichu, guihua = reporter(world, "jichu", "基础教育科"), reporter(world, "guihua", "发展规划科")
    item = world.items["1"]
    target = tracking.get_item(sessions, SYSTEM, item).targets[0].id
    at = datetime(2024, 5, 5, tzinfo=UTC)
    file(sessions, jichu, item, 4, ReportInput("in_progress", 80, values={target: 1600}), at)
    file(sessions, guihua, item, 4, ReportInput("in_progress", 80), at)
    status = status_of(sessions, settings, world, "1")
    assert status.progress == 50  # 1600 of 3200, below the 80% both units said
    assert status.colour == "amber" and any("目标完成 50%" in r for r in status.reasons)


def test_blocked_done_and_overdue(world: World, sessions: SessionFactory, settings: Settings) -> None:
    xueqian, caiwu = reporter(world, "xueqian", "学前教育科"), reporter(world, "caiwu", "计划财务科")
    at = datetime(2024, 5, 5, tzinfo=UTC)
    # item 9 落实教育经费投入: 计划财务科 alone, deadline 6月底前
    file(sessions, caiwu, world.items["9"], 4, ReportInput("done", 100), at)
    assert status_of(sessions, settings, world, "9").colour == "green"
    file(sessions, xueqian, world.items["2"], 4, ReportInput("blocked", 40), at)
    blocked = status_of(sessions, settings, world, "2")
    assert "有单位报告受阻" in blocked.reasons and blocked.colour != "green"
    late = tracking.plan_status(sessions, settings, SYSTEM, world.plan_id, date(2024, 7, 2)).items
    assert next(s for s in late if s.number == "1").overdue


def test_completeness_per_unit_and_cycle(world: World, sessions: SessionFactory, settings: Settings) -> None:
    caiwu = reporter(world, "caiwu", "计划财务科")
    # 计划财务科 is on items 7 (智慧校园) and 9 (经费): two slots per cycle
    file(
        sessions,
        caiwu,
        world.items["9"],
        0,
        ReportInput("in_progress", 10),
        datetime(2024, 1, 25, 15, 59, tzinfo=UTC),
    )
    # 25 Jan 23:59 in Shanghai is still on time; 26 Jan 00:00 Shanghai is late
    file(
        sessions,
        caiwu,
        world.items["7"],
        0,
        ReportInput("in_progress", 10),
        datetime(2024, 1, 25, 16, 0, tzinfo=UTC),
    )
    file(
        sessions,
        caiwu,
        world.items["9"],
        1,
        ReportInput("in_progress", 20),
        datetime(2024, 2, 20, tzinfo=UTC),
    )
    unsent = loop.save_report(
        sessions, caiwu, world.items["7"], caiwu.unit_id or 0, 1, ReportInput(), None, TODAY
    )
    assert unsent.state == "draft"  # a draft is not a report
    status = tracking.plan_status(sessions, settings, SYSTEM, world.plan_id, TODAY)
    row = next(u for u in status.units if u.unit_name == "计划财务科")
    cells = {c.cycle: (c.expected, c.on_time, c.late, c.missing) for c in row.cycles}
    assert cells == {0: (2, 1, 1, 0), 1: (2, 1, 0, 1), 2: (2, 0, 0, 2), 3: (2, 0, 0, 2)}
    assert (row.expected, row.on_time, row.late, row.missing, row.rate) == (8, 2, 1, 5, 37.5)


def test_a_reporter_sees_the_status_of_its_own_tasks_only(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    caiwu = reporter(world, "caiwu", "计划财务科")
    status = tracking.plan_status(sessions, settings, caiwu, world.plan_id, TODAY)
    assert sorted(s.number for s in status.items) == ["7", "9"]
    assert [u.unit_name for u in status.units] == ["计划财务科"]


def test_the_thresholds_are_configured(world: World, sessions: SessionFactory, settings: Settings) -> None:
    jichu, guihua = reporter(world, "jichu", "基础教育科"), reporter(world, "guihua", "发展规划科")
    for who in (jichu, guihua):  # April's report, on time: 60% against 序时进度 71.8%
        file(
            sessions,
            who,
            world.items["1"],
            3,
            ReportInput("in_progress", 60),
            datetime(2024, 4, 20, tzinfo=UTC),
        )
    assert status_of(sessions, settings, world, "1").colour == "amber"  # 11.8 behind, defaults 10 / 25

    def configured(amber: float, red: float) -> Settings:
        return Settings(**{**settings.model_dump(), "status_amber_lag": amber, "status_red_lag": red})

    assert status_of(sessions, configured(15, 30), world, "1").colour == "green"
    assert status_of(sessions, configured(5, 11), world, "1").colour == "red"
    with pytest.raises(ValueError):  # red before amber makes no sense
        configured(20, 10)
