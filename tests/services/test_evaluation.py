"""Year-end evaluation: components from the reports, penalties from supervision, the reviewer's
score ranking over the computed one, a rubric of the plan's own, and a score that explains itself."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from tests.people import reporter

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Invalid, StaleVersion
from eduplan.services.loop import ReportInput, Rubric

TODAY = date(2024, 5, 10)  # January–April are due


def file(
    sessions: SessionFactory, who: Principal, item: int, cycle: int, data: ReportInput, day: int
) -> None:
    report = loop.save_report(sessions, who, item, who.unit_id or 0, cycle, data, None, TODAY)
    loop.submit_report(
        sessions, who, report.id, report.version, now=datetime(2024, cycle + 1, day, tzinfo=UTC)
    )


@pytest.fixture
def reported(world: World, sessions: SessionFactory) -> None:
    caiwu, xueqian = reporter(world, "caiwu", "计划财务科"), reporter(world, "xueqian", "学前教育科")
    schools = tracking.get_item(sessions, caiwu, world.items["7"]).targets[1]  # 智慧校园示范校 10所
    assert schools.subject == "智慧校园示范校"
    for cycle in range(4):  # on time (by the 25th), 60% on both tasks, 5 of 10 schools
        file(sessions, caiwu, world.items["9"], cycle, ReportInput("in_progress", 60), 20)
        file(
            sessions,
            caiwu,
            world.items["7"],
            cycle,
            ReportInput("in_progress", 60, values={schools.id: 5}),
            20,
        )
    for cycle in range(2):  # late (the 28th), then nothing
        file(sessions, xueqian, world.items["2"], cycle, ReportInput("in_progress", 30), 28)


def by_name(evaluation: loop.Evaluation) -> dict[str, loop.UnitScore]:
    return {u.unit_name: u for u in evaluation.units}


def test_scores_follow_the_reports(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, reported: None
) -> None:
    result = loop.evaluate(sessions, settings, office, world.plan_id, TODAY)
    units = by_name(result)
    caiwu, xueqian = units["计划财务科"], units["学前教育科"]
    assert (caiwu.completion, caiwu.timeliness, caiwu.target, caiwu.computed) == (60, 100, 50, 69.0)
    assert caiwu.explanation[:3] == [
        "完成度 60.0 × 40% = 24.0",
        "及时性 100.0 × 30% = 30.0",
        "目标达成 50.0 × 30% = 15.0",
    ]
    assert caiwu.explanation[3] == "合计 24.0 + 30.0 + 15.0 = 69.0"
    assert "应报 8 期次，按时 8，逾期 0" in caiwu.explanation[4]
    assert (xueqian.completion, xueqian.timeliness, xueqian.target, xueqian.computed) == (30, 25, None, 28.5)
    assert "按完成度计" in xueqian.explanation[2]
    assert [u.unit_name for u in result.units[:2]] == ["计划财务科", "学前教育科"]
    assert result.units[0].rank == 1 and result.units[-1].score == 0


def test_supervision_costs_points(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, reported: None
) -> None:
    xueqian = world.units["学前教育科"]
    loop.issue_urge(sessions, office, world.items["2"], "报送逾期", "5月15日前", xueqian, level="red")
    loop.raise_rectification(sessions, office, world.items["2"], xueqian, "收费公示不规范", "2024-04-30")
    score = by_name(loop.evaluate(sessions, settings, office, world.plan_id, TODAY))["学前教育科"]
    assert (score.penalty, score.computed) == (5.0, 23.5)
    assert "督办 1 次 × 2 + 整改逾期 1 项 × 3" in score.explanation[5]


def test_the_reviewer_has_the_last_word_and_self_assessment_is_shown(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, reported: None
) -> None:
    caiwu = reporter(world, "caiwu", "计划财务科")
    loop.self_assess(sessions, caiwu, world.plan_id, 90, "全部按时报送", None)
    with pytest.raises(Forbidden):
        loop.self_assess(sessions, office, world.plan_id, 90, "", None)
    with pytest.raises(Invalid):
        loop.review(sessions, office, world.plan_id, world.units["学前教育科"], 75, "", None)
    loop.review(
        sessions, office, world.plan_id, world.units["学前教育科"], 75, "受疫情影响，经核实已追赶进度", None
    )
    with pytest.raises(StaleVersion):  # someone reviewed it meanwhile
        loop.review(sessions, office, world.plan_id, world.units["学前教育科"], 70, "再议", None)
    result = loop.evaluate(sessions, settings, office, world.plan_id, TODAY)
    first, second = result.units[:2]
    assert (first.unit_name, first.score, first.computed) == ("学前教育科", 75, 28.5)
    assert "以复核为准" in first.explanation[-1]
    assert (second.unit_name, second.self_score) == ("计划财务科", 90)
    own = loop.evaluate(sessions, settings, caiwu, world.plan_id, TODAY)
    assert [u.unit_name for u in own.units] == ["计划财务科"]  # a unit sees its own score only


def test_a_plan_has_its_own_rubric(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, reported: None
) -> None:
    assert loop.evaluate(sessions, settings, office, world.plan_id, TODAY).rubric.version is None
    rubric = loop.set_rubric(sessions, office, world.plan_id, Rubric(100, 0, 0), None)
    assert rubric.version == 1
    assert (
        by_name(loop.evaluate(sessions, settings, office, world.plan_id, TODAY))["计划财务科"].computed == 60
    )
    with pytest.raises(StaleVersion):
        loop.set_rubric(sessions, office, world.plan_id, Rubric(1, 1, 1), None)
    with pytest.raises(Invalid):
        loop.set_rubric(sessions, office, world.plan_id, Rubric(0, 0, 0), rubric.version)
    with pytest.raises(Forbidden):
        loop.set_rubric(
            sessions, reporter(world, "caiwu", "计划财务科"), world.plan_id, Rubric(), rubric.version
        )


def test_the_lines_add_up_to_the_score_ties_share_a_rank_and_nothing_is_not_ranked(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, reported: None
) -> None:
    """Issue 15: 10.3 + 0 + 33.0 ≠ 43.2 and weights shown as "33%"; sixteen zeros ranked 2…16."""
    loop.set_rubric(sessions, office, world.plan_id, Rubric(1, 1, 1), None)  # thirds
    units = loop.evaluate(sessions, settings, office, world.plan_id, TODAY).units
    for u in units:
        shares = [float(line.rsplit("= ", 1)[1].split("（")[0]) for line in u.explanation[:3]]
        assert u.explanation[3].startswith("合计 ") and round(sum(shares) - u.penalty, 1) == u.computed, u
        assert all("× 33.3% =" in line for line in u.explanation[:3])
    ranked = [u for u in units if u.rank is not None]
    assert [u.unit_name for u in ranked] == ["计划财务科", "学前教育科"]
    assert all(u.rank is None and u.score == 0 and "不参与排名" in u.explanation[-1] for u in units[2:])
    # two units with the same score share a rank
    loop.review(sessions, office, world.plan_id, world.units["学前教育科"], ranked[0].score, "同分", None)
    again = loop.evaluate(sessions, settings, office, world.plan_id, TODAY).units
    assert [u.rank for u in again[:2]] == [1, 1] and again[2].rank is None


@pytest.mark.parametrize("field", ["completion_weight", "urge_penalty", "max_penalty"])
@pytest.mark.parametrize("value", [500.0, -1.0, float("nan")])
def test_the_rubric_bound_holds_for_every_caller(
    world: World, sessions: SessionFactory, settings: Settings, office: Principal, field: str, value: float
) -> None:
    """Not only the page and the API's schema: a rubric of 500 from any caller is refused, nothing stored."""
    given = Rubric(**{field: value})
    with pytest.raises(Invalid) as refused:
        loop.set_rubric(sessions, office, world.plan_id, given, None)
    assert refused.value.fields == {field: "请输入 0 到 100 之间的数字"}
    assert loop.evaluate(sessions, settings, office, world.plan_id, TODAY).rubric.version is None
