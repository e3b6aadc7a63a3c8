"""The organisation dashboard (首页): figures over every plan in scope, the same colours as each plan's
status, units ranked by reporting completeness, a reporter's own view, an empty registry."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput
from eduplan.services.tracking.dashboard import Dashboard, PlanSummary, compute_dashboard, org_dashboard

TODAY = date(2024, 5, 10)  # Jan–Apr due (cycles 0–3), May (cycle 4) due on the 25th
SYSTEM = Principal.system()


def person(world: World, name: str, role: str, unit: str | None = None) -> Principal:
    return Principal(
        world.users[name], name, role, world.org_id, "示例市", world.units[unit] if unit else None
    )


def file(
    sessions: SessionFactory, who: Principal, item: int, cycle: int, data: ReportInput, at: datetime
) -> int:
    assert who.unit_id is not None
    report = loop.save_report(sessions, who, item, who.unit_id, cycle, data, None, TODAY)
    return loop.submit_report(sessions, who, report.id, report.version, now=at).id


def on(month: int, day: int = 20) -> datetime:
    return datetime(2024, month, day, tzinfo=UTC)


def plan_of(d: Dashboard, plan_id: int) -> PlanSummary:
    return next(p for p in d.plans if p.plan_id == plan_id)


def busy_world(world: World, sessions: SessionFactory) -> None:
    """Reports of every kind on the main plan: on time, late, returned, drafts, done, blocked, with
    target actuals; a red urge and an overdue rectification."""
    jichu = person(world, "jichu", "reporter", "基础教育科")
    guihua = person(world, "guihua", "reporter", "发展规划科")
    caiwu = person(world, "caiwu", "reporter", "计划财务科")
    xueqian = person(world, "xueqian", "reporter", "学前教育科")
    office = person(world, "office", "office")
    one = world.items["1"]
    target = tracking.get_item(sessions, SYSTEM, one).targets[0].id
    for cycle in range(4):
        file(sessions, jichu, one, cycle, ReportInput("in_progress", 15 * (cycle + 1)), on(cycle + 1))
    file(sessions, guihua, one, 3, ReportInput("in_progress", 60, values={target: 1600}), on(4, 27))  # late
    file(sessions, caiwu, world.items["9"], 3, ReportInput("done", 100), on(4))
    file(sessions, caiwu, world.items["7"], 2, ReportInput("in_progress", 30), on(3))
    returned = file(sessions, xueqian, world.items["2"], 3, ReportInput("blocked", 20), on(4))
    report = tracking.get_report(sessions, office, returned)
    loop.review_report(sessions, office, returned, "return", report.version, "请补充佐证")
    loop.save_report(
        sessions, jichu, world.items["8"], jichu.unit_id or 0, 3, ReportInput("in_progress", 50), None, TODAY
    )  # a draft: no report
    loop.issue_urge(sessions, office, world.items["3"], "请加快进度", date(2024, 5, 20), level="red")
    loop.issue_urge(sessions, office, world.items["6"], "请报送", date(2024, 5, 1))
    loop.raise_rectification(
        sessions, office, world.items["10"], _unit(world, sessions, 10), "台账不全", date(2024, 5, 1)
    )


def _unit(world: World, sessions: SessionFactory, number: int) -> int:
    item = tracking.get_item(sessions, SYSTEM, world.items[str(number)])
    return next(a.unit_id for a in item.assignments if a.unit_id is not None)


def test_an_empty_scope_has_no_plans(world: World, sessions: SessionFactory, settings: Settings) -> None:
    outsider = Principal(None, "x", "leader", None, "别的市", None)
    d = org_dashboard(sessions, outsider, settings, TODAY)
    assert d.plans == [] and d.units == [] and d.totals["tasks"] == 0 and d.next_due is None


def test_nothing_reported_yet(world: World, sessions: SessionFactory, settings: Settings) -> None:
    d = org_dashboard(sessions, person(world, "leader", "leader"), settings, TODAY)
    assert [p.plan_id for p in d.plans] == [world.plan_id, world.district_plan_id]
    main = plan_of(d, world.plan_id)
    assert (main.tasks, main.done, main.completion, main.average_percent) == (11, 0, 0.0, 0.0)
    assert (main.current_cycle, main.current_due, main.last_cycle, main.last_due) == (
        4,
        date(2024, 5, 25),
        3,
        date(2024, 4, 25),
    )
    assert (main.expected, main.filed, main.late, main.missing) == (20, 0, 0, 20)  # 20 slots of 11 tasks
    assert main.unspecified == 2  # items 5 and 10 name 各区县教育局
    assert d.next_due == date(2024, 5, 25) and d.scope == "示例市" and not d.unit_view
    assert all(u.rate == 0.0 and u.filed == 0 for u in d.units)
    assert d.totals["tasks"] == 14 and d.totals["missing"] == d.totals["expected"]


def test_figures_follow_the_reports(world: World, sessions: SessionFactory, settings: Settings) -> None:
    busy_world(world, sessions)
    leader = person(world, "leader", "leader")
    d = org_dashboard(sessions, leader, settings, TODAY)
    main = plan_of(d, world.plan_id)
    status = tracking.plan_status(sessions, settings, leader, world.plan_id, TODAY)
    assert main.counts == status.counts  # the same colours as the plan's own status
    assert main.overdue == sum(s.overdue for s in status.items)
    assert main.done == 1  # item 9, 计划财务科 alone, reported 已完成
    # cycle 3 (April): 基础教育科 and 发展规划科 (late) on item 1, 计划财务科 on item 9, 学前教育科's
    # returned report on item 2 still counts as filed; the draft on item 8 does not
    assert (main.filed, main.late, main.missing) == (4, 1, 16)
    assert (main.open_urges, main.red_urges, main.open_rectifications, main.overdue_rectifications) == (
        2,
        1,
        1,
        1,
    )
    # average of the items' reported progress: item 1 (60+60)/2, item 9 100, item 7 30/2
    assert main.average_percent == pytest.approx(round((60 + 100 + 15) / 11, 1))
    ranked = {u.unit_name: u for u in d.units}
    jichu = ranked["基础教育科"]  # items 1, 2, 3, 8 of the main plan: 4 slots × 4 due cycles
    assert (jichu.tasks, jichu.expected, jichu.filed, jichu.rate) == (4, 16, 4, 25.0)
    caiwu = ranked["计划财务科"]  # items 7 and 9, and item 3 of the district plan
    assert (caiwu.expected, caiwu.filed, caiwu.rate) == (12, 2, round(100 * 2 / 12, 1))
    # like with like: the city's 科室 and its 直属单位 each ranked among their own, 科室 first
    tiers = list(dict.fromkeys(u.tier for u in d.units))
    assert tiers == ["市局科室", "直属单位"]
    for group in tiers:
        ranked_here = [u for u in d.units if u.tier == group]
        assert [u.rank for u in ranked_here] == list(range(1, len(ranked_here) + 1))
        assert ranked_here[0].rate >= ranked_here[-1].rate
    for p in d.plans:
        assert p.counts == tracking.plan_status(sessions, settings, leader, p.plan_id, TODAY).counts


@pytest.mark.parametrize("day", [date(2024, 1, 3), date(2024, 7, 2), date(2025, 1, 10)])
def test_colours_agree_with_plan_status_on_any_day(
    world: World, sessions: SessionFactory, settings: Settings, day: date
) -> None:
    busy_world(world, sessions)
    d = org_dashboard(sessions, SYSTEM, settings, day)
    for p in d.plans:
        status = tracking.plan_status(sessions, settings, SYSTEM, p.plan_id, day)
        assert p.counts == status.counts
        assert p.overdue == sum(s.overdue for s in status.items)
        assert p.current_cycle == status.current_cycle
    # 14 tasks; the one no unit has yet is 待分工, in no colour (issue 14)
    assert d.totals["green"] + d.totals["amber"] + d.totals["red"] == 13


def test_a_reporter_sees_its_own_unit(world: World, sessions: SessionFactory, settings: Settings) -> None:
    busy_world(world, sessions)
    caiwu = person(world, "caiwu", "reporter", "计划财务科")
    d = org_dashboard(sessions, caiwu, settings, TODAY)
    assert d.unit_view and d.scope == "计划财务科"
    assert [u.unit_name for u in d.units] == ["计划财务科"]
    main = plan_of(d, world.plan_id)
    assert main.tasks == 2 and (main.expected, main.filed, main.missing) == (2, 1, 1)  # items 7 and 9
    assert main.counts == tracking.plan_status(sessions, settings, caiwu, world.plan_id, TODAY).counts
    district = plan_of(d, world.district_plan_id)
    assert district.tasks == 1  # 推进学前教育普及普惠
    assert (d.totals["current_filed"], d.totals["current_expected"]) == (0, 3)  # May, due on the 25th
    file(sessions, caiwu, world.items["9"], 4, ReportInput("done", 100), on(5, 8))
    now = org_dashboard(sessions, caiwu, settings, TODAY)
    assert (now.totals["current_filed"], plan_of(now, world.plan_id).current_filed) == (1, 1)


def test_the_reviewed_score_ranks_units_of_equal_completeness(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    office = person(world, "office", "office")
    loop.review(sessions, office, world.plan_id, world.units["学前教育科"], 91, "材料齐全", None)
    d = org_dashboard(sessions, person(world, "leader", "leader"), settings, TODAY)
    top = d.units[0]
    assert (top.unit_name, top.score, top.score_plans) == ("学前教育科", 91.0, 1)
    assert all(u.score is None for u in d.units[1:])


def test_a_kept_dashboard_is_replaced_by_the_next_change(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    leader = person(world, "leader", "leader")
    first = org_dashboard(sessions, leader, settings, TODAY)
    assert org_dashboard(sessions, leader, settings, TODAY) is first  # nothing changed: kept
    caiwu = person(world, "caiwu", "reporter", "计划财务科")
    file(sessions, caiwu, world.items["9"], 3, ReportInput("done", 100), on(4))
    after = org_dashboard(sessions, leader, settings, TODAY)
    assert after is not first and plan_of(after, world.plan_id).done == plan_of(first, world.plan_id).done + 1
    assert after == org_dashboard(sessions, leader, settings, TODAY, use_cache=False)
    office = person(world, "office", "office")
    loop.issue_urge(sessions, office, world.items["3"], "请加快进度", date(2024, 5, 20), level="red")
    urged = org_dashboard(sessions, leader, settings, TODAY)
    assert plan_of(urged, world.plan_id).red_urges == plan_of(after, world.plan_id).red_urges + 1
    assert org_dashboard(sessions, leader, settings, date(2024, 7, 2)) is not urged  # another day


def test_two_halves_give_the_figures_of_one_statement(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    """On PostgreSQL a large scope is computed as two parts of its plans at once and merged (from the
    rollups the first part sums the units over every plan); a unit with tasks in both parts
    (计划财务科: the main plan and the district plan) is counted whole."""
    if sessions.kw["bind"].dialect.name != "postgresql":
        pytest.skip("the dashboard is computed in halves on PostgreSQL only")
    busy_world(world, sessions)
    leader = person(world, "leader", "leader")
    whole = compute_dashboard(sessions, leader, settings, TODAY, halves_from=None)
    halves = compute_dashboard(sessions, leader, settings, TODAY, halves_from=1)
    assert len(whole.plans) == 2
    assert halves == whole
    caiwu = next(u for u in halves.units if u.unit_name == "计划财务科")
    assert (caiwu.expected, caiwu.filed) == (12, 2)
    # a reporter's figures come from its own slots, its unit's row from each half, summed
    reporter = person(world, "caiwu", "reporter", "计划财务科")
    mine = compute_dashboard(sessions, reporter, settings, TODAY, halves_from=1)
    assert mine == compute_dashboard(sessions, reporter, settings, TODAY, halves_from=None)
    [unit] = mine.units
    assert (unit.expected, unit.filed) == (12, 2)


@pytest.mark.parametrize("rollups", [False, True])
def test_an_item_given_today_is_not_flagged_for_a_cycle_due_before(
    world: World, sessions: SessionFactory, settings: Settings, rollups: bool
) -> None:
    """A 交办事项 given on 2 May owes nothing for April (due 25 April, last week): on the task page
    and on 首页 it is green, with no 缺报 — the dashboard follows `rules.owes_cycle` as the page does."""
    from eduplan.services.loop.adhoc import AdhocInput, create_item

    today = date(2024, 5, 2)
    office = person(world, "office", "office")
    made = create_item(
        sessions,
        office,
        AdhocInput(
            source="instruction", title="开展校园食品安全排查", lead_unit_id=world.units["基础教育科"]
        ),
        today,
    )
    [status] = tracking.plan_status(sessions, settings, office, made.plan_id, today).items
    assert status.colour == "green" and status.missing_reports == 0
    jichu = person(world, "jichu", "reporter", "基础教育科")
    for who in (office, jichu):
        d = compute_dashboard(sessions, who, settings, today, rollups=rollups and who is office)
        p = plan_of(d, made.plan_id)
        assert p.last_due == date(2024, 4, 25)
        assert p.counts == {"green": 1, "amber": 0, "red": 0}, who.role
        assert (p.expected, p.missing) == (0, 0)
