"""The report service checks reported values by the target's unit and kind: 850 % coverage, −4 or
2.5 new kindergartens are refused with the target named and nothing written; a cumulative value
falls below the last accepted one only with a reason in the narrative; a 4× jump, or a value outside
the range the office set, is saved and shown to the reviewer as a warning, and listed per cycle."""

from __future__ import annotations

import pytest

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Invalid
from eduplan.services.loop import ReportInput
from eduplan.services.loop.value_flags import flagged_values, set_target_range

from .test_reports import TODAY


def targets(sessions: SessionFactory, who: Principal, item: int) -> dict[str, int]:
    """Target id by unit (% / 所 / 个) of an item."""
    return {t.unit: t.id for t in tracking.get_item(sessions, who, item).targets}


def save(
    sessions: SessionFactory,
    who: Principal,
    item: int,
    values: dict[int, float],
    cycle: int = 4,
    note: str = "",
) -> tracking.views.ReportView:
    assert who.unit_id is not None
    data = ReportInput("in_progress", 40, note or "按计划推进", values)
    return loop.save_report(sessions, who, item, who.unit_id, cycle, data, None, TODAY)


def accepted(
    sessions: SessionFactory,
    who: Principal,
    office: Principal,
    item: int,
    values: dict[int, float],
    cycle: int,
) -> None:
    r = save(sessions, who, item, values, cycle)
    r = loop.submit_report(sessions, who, r.id, r.version)
    loop.review_report(sessions, office, r.id, "accept", r.version)


@pytest.mark.parametrize(
    ("unit", "actual", "words"),
    [("%", 850, "须在 0 到 100 之间"), ("所", -4, "不能为负数"), ("所", 2.5, "须为整数")],
)
def test_impossible_values_are_refused_naming_the_target(
    world: World, sessions: SessionFactory, jichu: Principal, unit: str, actual: float, words: str
) -> None:
    item = world.items["2"]  # 普惠性幼儿园覆盖率达到85%以上；新建公办幼儿园2—3所
    ids = targets(sessions, jichu, item)
    with pytest.raises(Invalid) as caught:
        save(sessions, jichu, item, {ids[unit]: actual})
    message = caught.value.fields[f"t{ids[unit]}"]
    assert words in message and ("覆盖率" in message or "幼儿园" in message)
    assert words in str(caught.value)
    assert tracking.list_reports(sessions, jichu, item) == []  # nothing written


def test_a_cumulative_value_goes_down_only_with_a_reason(
    world: World, sessions: SessionFactory, jichu: Principal, office: Principal
) -> None:
    item = world.items["2"]
    kindergartens = targets(sessions, jichu, item)["所"]
    accepted(sessions, jichu, office, item, {kindergartens: 2}, cycle=3)
    with pytest.raises(Invalid) as caught:
        save(sessions, jichu, item, {kindergartens: 1})
    assert "不应低于上次审核通过的 2所" in caught.value.fields[f"t{kindergartens}"]
    saved = save(sessions, jichu, item, {kindergartens: 1}, note="核减1所：原统计的分园不属于新建")
    assert [x.actual for x in saved.values] == [1] and saved.warnings == []


def test_a_fourfold_jump_is_saved_and_shown_to_the_reviewer(
    world: World, sessions: SessionFactory, jichu: Principal, office: Principal
) -> None:
    item = world.items["1"]  # 新增学位3200个
    places = targets(sessions, jichu, item)["个"]
    accepted(sessions, jichu, office, item, {places: 400}, cycle=3)
    saved = save(sessions, jichu, item, {places: 1600})
    assert len(saved.warnings) == 1 and "超过上次审核通过值 400 的 3 倍" in saved.warnings[0]
    loop.submit_report(sessions, jichu, saved.id, saved.version)
    waiting = [r for r in tracking.list_reports(sessions, office, item) if r.state == "submitted"]
    assert [r.warnings for r in waiting] == [saved.warnings]
    assert tracking.get_report(sessions, office, saved.id).warnings == saved.warnings
    earlier = [r for r in tracking.list_reports(sessions, office, item) if r.state == "accepted"]
    assert earlier and all(r.warnings == [] for r in earlier)


def test_the_office_sets_a_plausible_range_and_sees_a_cycles_flagged_values(
    world: World, sessions: SessionFactory, jichu: Principal, office: Principal
) -> None:
    item = world.items["1"]  # 新增学位3200个
    places = targets(sessions, jichu, item)["个"]
    with pytest.raises(Forbidden):
        set_target_range(sessions, jichu, places, 0, 1000)
    with pytest.raises(Invalid, match="下限 900 不能大于上限 100"):
        set_target_range(sessions, office, places, 900, 100)
    assert set_target_range(sessions, office, places, 100, 1000).plausible_max == 1000
    assert tracking.get_item(sessions, jichu, item).targets[0].plausible_min == 100
    saved = save(sessions, jichu, item, {places: 1500})
    assert ["超出办公室设定的合理范围 100–1000" in w for w in saved.warnings] == [True]
    assert flagged_values(sessions, office, world.plan_id, 4) == []  # a draft is its unit's own
    loop.submit_report(sessions, jichu, saved.id, saved.version)
    flagged = flagged_values(sessions, office, world.plan_id, 4)
    assert [(f.unit_name, f.target_id, f.actual, f.level) for f in flagged] == [
        ("基础教育科", places, 1500, "warning")
    ]
    assert flagged_values(sessions, office, world.plan_id, 3) == []
    with pytest.raises(Forbidden):
        flagged_values(sessions, jichu, world.plan_id, 4)
