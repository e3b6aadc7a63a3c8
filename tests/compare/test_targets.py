"""Targets of several plans side by side, units normalised."""

from __future__ import annotations

import pytest

from eduplan.compare import side_by_side
from eduplan.compare.targets import kind_of, measured
from eduplan.compare.units import base_unit, dimension, to_base
from eduplan.domain import Plan


@pytest.mark.parametrize(
    ("unit", "expected"),
    [
        ("万元", ("元", 1e4)),
        ("亿元", ("元", 1e8)),
        ("元", ("元", 1.0)),
        ("万名", ("名", 1e4)),
        ("万人", ("名", 1e4)),
        ("人", ("名", 1.0)),
        ("％", ("%", 1.0)),
        ("百分点", ("个百分点", 1.0)),
        ("万平方米", ("平方米", 1e4)),
        ("万人次", ("人次", 1e4)),
        ("所", ("所", 1.0)),
        ("万个", ("个", 1e4)),
    ],
)
def test_base_units(unit: str, expected: tuple[str, float]) -> None:
    assert base_unit(unit) == expected


def test_the_same_sum_in_two_units_is_equal() -> None:
    assert to_base(1.5, "亿元") == to_base(15000, "万元") == (1.5e8, "元")
    assert dimension("万元") == dimension("亿元") == "金额"


@pytest.mark.parametrize(
    ("subject", "kind"),
    [
        ("普惠性幼儿园学位覆盖率", "preschool_inclusive"),
        ("普惠优质资源覆盖率", "preschool_inclusive"),
        ("学前三年毛入园率", "preschool_enrolment"),
        ("全市新增学位", "places"),
        ("新建学校", "places"),
        ("学生体质健康优良率", "fitness"),
    ],
)
def test_kinds_of_common_indicators(subject: str, kind: str) -> None:
    found = kind_of(subject)
    assert found is not None and found.id == kind


def test_targets_of_the_same_kind_stand_side_by_side(three_plans: dict[str, Plan]) -> None:
    groups = {g.kind: g for g in side_by_side(three_plans)}
    places = groups["places/学位/个"]
    assert places.plans == ("样例市2023", "样例市2024", "样例县2024")
    assert {(t.plan, t.value, t.unit) for t in places.targets} == {
        ("样例市2023", 9000, "个"),
        ("样例市2024", 8000, "个"),
        ("样例县2024", 2400, "个"),
    }
    assert places.name == "学位供给（新增学位、新建学校）：学位（个）"
    money = groups["funding/投入/金额"]
    assert [(t.plan, t.base_value, t.base_unit) for t in money.targets] == [
        ("样例市2023", 2.5e9, "元"),
        ("样例市2024", 2.8e8, "元"),
    ]


def test_a_family_of_targets_is_split_by_the_thing_measured_and_its_dimension(
    three_plans: dict[str, Plan],
) -> None:
    """New places (学位, 个) never stand beside new schools (所) or kindergartens, nor student visits
    (人次) beside courses (门), though all are one family of targets (issue 15)."""
    groups = side_by_side(three_plans)
    for group in groups:
        assert len({(measured(t.subject), t.unit) for t in group.targets}) == 1, group
    kinds = {g.kind for g in groups}
    assert {"places/学位/个", "places/学校/所", "places/幼儿园/所"} <= kinds
    assert {"practice/学生/人次", "practice/课程/门", "practice/基地/个"} <= kinds


@pytest.mark.parametrize(
    ("subject", "head"),
    [
        ("新增学位", "学位"),
        ("新建改扩建中小学幼儿园", "幼儿园"),
        ("重点建设项目", "项目"),
        ("普惠性幼儿园覆盖率达到", "覆盖率"),
        ("培养技能导师（名）", "导师"),
    ],
)
def test_the_thing_measured_is_the_head_of_the_subject(subject: str, head: str) -> None:
    assert measured(subject) == head


def test_groups_in_more_plans_come_first_and_min_plans_filters(three_plans: dict[str, Plan]) -> None:
    groups = side_by_side(three_plans)
    assert [len(g.plans) for g in groups] == sorted((len(g.plans) for g in groups), reverse=True)
    shared = side_by_side(three_plans, min_plans=2)
    assert shared and all(len(g.plans) >= 2 for g in shared)
    assert "preschool_inclusive" not in {g.kind for g in shared}  # only 样例县 has one


def test_indicator_table_rows_count_as_targets() -> None:
    from eduplan.domain import IndicatorRow, IndicatorTable

    plan = Plan(
        title="示例市“十四五”教育发展规划",
        indicator_tables=[
            IndicatorTable(
                "主要目标",
                ["指标", "单位", "2020年", "2025年"],
                [IndicatorRow(label="学前教育毛入园率", unit="%", values={"2020": 90.0, "2025": 95.0})],
            )
        ],
    )
    (group,) = side_by_side({"示例市": plan})
    (target,) = group.targets
    assert (group.kind, target.value, target.year) == ("preschool_enrolment", 95.0, "2025")
