"""The ledger with progress and the bulletin, computed from reports filed through the services:
lights, figures, the red and overdue lists, the ranking, scoping, and a constant number of queries."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from tests.export.progress_scenario import NARRATIVE_1, TODAY, file_april, reporter
from tests.reporting import OwnReports
from tests.statements import statement_count

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.loop import ReportInput
from eduplan.services.tracking.bulletin import bulletin, bulletin_title, due_bulletin_cycles
from eduplan.services.tracking.ledger_rows import progress_ledger

SYSTEM = Principal.system()


def test_ledger_rows_carry_light_progress_actuals_and_each_units_latest_narrative(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    file_april(sessions, world)
    ledger = progress_ledger(sessions, settings, SYSTEM, world.plan_id, TODAY)
    assert ledger.as_of == TODAY and ledger.issuer == "示例市教育局" and ledger.cycle_kind == "monthly"
    rows = {r.number: r for r in ledger.rows}
    assert len(rows) == 11
    first = rows["1"]
    assert first.chapter == "一、扩大优质教育资源供给" and first.title == "加快中小学幼儿园建设"
    assert (first.colour, first.light, first.progress, first.expected) == (
        "green",
        "正常",
        70,
        pytest.approx(71.8),
    )
    assert first.targets[0].text == "新增学位3200个" and first.targets[0].actual == 3000
    by_unit = {r.unit_name: r for r in first.reports}
    assert by_unit["基础教育科"].narrative == NARRATIVE_1 and by_unit["基础教育科"].state == "accepted"
    assert by_unit["发展规划科"].state == "submitted" and by_unit["发展规划科"].cycle == 3
    assert (rows["2"].colour, rows["2"].light) == ("amber", "滞后")
    assert rows["9"].done and not rows["1"].done
    assert rows["7"].colour == "red" and "有单位报告受阻" in rows["7"].reasons
    assert rows["4"].reports[0].cycle is None  # nothing reported: shown as such
    assert rows["5"].units == ["牵头：教师工作科", "配合：市教育科学研究院、各区县教育局（待明确）"]
    assert [r.unit_name for r in rows["5"].reports] == ["教师工作科", "市教育科学研究院"]
    assert ledger.counts == {"green": 2, "amber": 1, "red": 8}


def test_a_reporter_gets_its_own_tasks_and_only_its_own_units_reports(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    file_april(sessions, world)
    guihua = reporter(world, "guihua", "发展规划科")
    ledger = progress_ledger(sessions, settings, guihua, world.plan_id, TODAY)
    assert [r.number for r in ledger.rows] == ["1"]
    assert [r.unit_name for r in ledger.rows[0].reports] == ["发展规划科"]
    assert NARRATIVE_1 not in str(ledger)  # 基础教育科's narrative stays its own


def test_the_bulletin_of_the_latest_due_cycle(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    file_april(sessions, world)
    b = bulletin(sessions, settings, SYSTEM, world.plan_id, TODAY)
    assert (b.cycle.index, b.cycle.number, b.cycle.label) == (3, 4, "2024年4月")
    assert b.title == "关于2024年4月（第4期）示例市教育局教育工作要点落实情况的通报"
    assert (b.issuer, b.doc_number, b.as_of) == ("示例市教育局", "示教发〔2024〕3号", TODAY)
    assert (b.tasks, b.completed, b.overdue) == (11, 1, 0)
    assert b.counts == {"green": 2, "amber": 1, "red": 8}
    r = b.reporting
    assert (r.expected, r.on_time, r.late, r.missing, r.rate) == (20, 5, 1, 14, 30.0)
    assert {t.number for t in b.red} == {"3", "4", "5", "6", "7", "8", "10", "11"}
    five = next(t for t in b.red if t.number == "5")
    assert five.units == "牵头：教师工作科；配合：市教育科学研究院、各区县教育局（待明确）"
    assert [c.number for c in b.cycles] == [4, 3, 2, 1]


def test_the_ranking_follows_the_stated_rule(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    file_april(sessions, world)
    ranking = bulletin(sessions, settings, SYSTEM, world.plan_id, TODAY).ranking
    top = [(u.rank, u.unit_name, u.cycle_filed, u.cycle_expected) for u in ranking[:4]]
    # 100% this cycle for three units; all at 25% cumulative; 计划财务科 has a red task;
    # 发展规划科 reports 70% on average against 学前教育科's 25%
    assert top == [
        (1, "发展规划科", 1, 1),
        (2, "学前教育科", 1, 1),
        (3, "计划财务科", 2, 2),
        (4, "基础教育科", 2, 4),
    ]
    assert ranking[0].average_percent == 70 and ranking[2].red == 1
    # like with like: the 科室 ranked among themselves, then the 直属单位 among themselves
    tiers = list(dict.fromkeys(u.tier for u in ranking))
    assert tiers == ["市局科室", "直属单位"]
    for tier in tiers:
        ranks = [u.rank for u in ranking if u.tier == tier]
        assert ranks == list(range(1, len(ranks) + 1))


def test_an_earlier_cycle_is_judged_on_the_day_after_its_due_day(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    b = bulletin(sessions, settings, SYSTEM, world.plan_id, TODAY, cycle=1)
    assert (b.cycle.label, b.as_of) == ("2024年2月", date(2024, 2, 26))
    assert b.reporting.missing == b.reporting.expected == 20
    with pytest.raises(NotFound):
        bulletin(sessions, settings, SYSTEM, world.plan_id, TODAY, cycle=4)  # May is not due yet


def test_overdue_tasks_after_the_deadline(world: World, sessions: SessionFactory, settings: Settings) -> None:
    file_april(sessions, world)
    b = bulletin(sessions, settings, SYSTEM, world.plan_id, date(2024, 7, 2))
    assert b.cycle.label == "2024年6月"
    assert [t.number for t in b.overdue_items] == ["1"]  # 6月底前; task 9 (same deadline) is done
    assert b.overdue == 1 and b.overdue_items[0].deadline == date(2024, 6, 30)


def test_no_bulletin_before_the_first_due_day(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    assert due_bulletin_cycles(sessions, SYSTEM, world.plan_id, date(2024, 1, 20)) == []
    with pytest.raises(Invalid, match="还没有到期的报送周期"):
        bulletin(sessions, settings, SYSTEM, world.plan_id, date(2024, 1, 20))


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("示例市教育局2024年教育工作要点", "关于2024年4月（第4期）示例市教育局教育工作要点落实情况的通报"),
        ("2024年度示例区教育工作要点", "关于2024年4月（第4期）示例区教育工作要点落实情况的通报"),
        ("示例县教育工作要点", "关于2024年4月（第4期）示例县教育工作要点落实情况的通报"),
    ],
)
def test_bulletin_titles_do_not_repeat_the_year(title: str, expected: str) -> None:
    from eduplan.services.tracking.bulletin import BulletinCycle

    cycle = BulletinCycle(
        index=3,
        number=4,
        label="2024年4月",
        start=date(2024, 4, 1),
        end=date(2024, 4, 30),
        due=date(2024, 4, 25),
    )
    assert bulletin_title(title, cycle) == expected


def test_the_bulletin_takes_the_same_number_of_queries_for_3_or_11_tasks_and_any_reports(
    world: World, sessions: SessionFactory, settings: Settings, engine: Engine
) -> None:
    def count(plan_id: int) -> int:
        return statement_count(engine, lambda: bulletin(sessions, settings, SYSTEM, plan_id, TODAY))

    assert count(world.district_plan_id) == count(world.plan_id)  # 3 tasks, 11 tasks, no reports
    file_april(sessions, world)
    some = count(world.plan_id)  # + the queries for the reports' values, once there are reports
    caiwu = OwnReports(sessions, reporter(world, "caiwu", "计划财务科"), TODAY)
    for cycle in range(3):
        caiwu.file(world.items["9"], cycle, ReportInput("in_progress", 10))
    assert count(world.plan_id) == some < 40
