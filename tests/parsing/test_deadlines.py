"""Deadlines named in an item's text, resolved in the plan's year (deadlines.py)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.parsing.deadlines import find_deadline


def xfail(reason: str) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=True, reason=reason)


@pytest.mark.parametrize(
    ("text", "deadline"),
    [
        ("年内完成全部项目审批。", date(2024, 12, 31)),
        ("年底前完成验收。", date(2024, 12, 31)),
        ("本年度完成。", date(2024, 12, 31)),
        ("上半年完成方案制定。", date(2024, 6, 30)),
        ("下半年启动试点。", date(2024, 12, 31)),
        ("6月底前完成排查。", date(2024, 6, 30)),
        ("6月底完成排查。", date(2024, 6, 30)),
        ("6月前完成排查。", date(2024, 6, 30)),
        ("2月底前完成排查。", date(2024, 2, 29)),  # 2024 is a leap year
        ("9月份前完成招生。", date(2024, 9, 30)),
        ("十月底前完成培训。", date(2024, 10, 31)),
        ("第一季度完成部署。", date(2024, 3, 31)),
        ("第三季度组织安全大检查。", date(2024, 9, 30)),
        ("第4季度完成评估。", date(2024, 12, 31)),
        ("到2025年，建成教育强市。", date(2025, 12, 31)),
        ("6月底前完成方案，年内全面推开。", date(2024, 12, 31)),  # the latest one
        ("持续推进教育评价改革。", None),
        ("每月25日前报送进展。", None),
        ("", None),
        ("2025年底前完成全部改造。", date(2025, 12, 31)),
        ("到2022年底完成。", date(2022, 12, 31)),
        pytest.param(
            "2025年6月底前完成。",
            date(2025, 6, 30),
        ),
        pytest.param("于3月31日前完成申报。", date(2024, 3, 31)),
        pytest.param("完成时限：6月30日前", date(2024, 6, 30)),
        pytest.param(
            "完成时限：2024年12月", date(2024, 12, 31), marks=xfail("a bare month (2024年12月) is not read")
        ),
        pytest.param("完成时限：６月底前", date(2024, 6, 30)),
    ],
)
def test_deadlines_in_the_plan_year(text: str, deadline: date | None) -> None:
    assert find_deadline(text, 2024) == deadline


def test_relative_phrases_need_the_plan_year() -> None:
    assert find_deadline("6月底前完成。", None) is None
    assert find_deadline("年内完成。", None) is None
    assert find_deadline("到2025年，建成教育强市。", None) == date(2025, 12, 31)


def test_the_plan_year_decides_the_date() -> None:
    assert find_deadline("6月底前完成。", 2021) == date(2021, 6, 30)
    assert find_deadline("第二季度完成。", 2023) == date(2023, 6, 30)


def test_deadlines_outside_the_plans_own_time_are_ignored() -> None:
    from eduplan.parsing import parse_plan

    plan = parse_plan(
        [
            "示例市“十四五”教育发展规划",
            "一、发展基础",
            "（一）主要成就。到2020年，学前教育毛入园率达到90%。",
            "（二）远景目标。到2035年，总体实现教育现代化。",
            "二、主要任务",
            "（一）扩大学前教育资源。到2025年，普惠性幼儿园覆盖率达到85%以上。",
            "（二）推进义务教育优质均衡。持续推进集团化办学。",
        ]
    )
    deadlines = [t.deadline for _, t in plan.tasks()]
    assert deadlines == [None, None, date(2025, 12, 31), None]


@pytest.mark.parametrize(
    ("field_text", "expected"),
    [
        ("2024年6月15日", date(2024, 6, 15)),
        ("2024.6.30", date(2024, 6, 30)),
        ("2024-09", date(2024, 9, 30)),
        ("2024/11/5", date(2024, 11, 5)),
        ("2024年", date(2024, 12, 31)),
        ("2024年9月", date(2024, 9, 30)),
        ("长期坚持", None),
    ],
)
def test_a_deadline_column_of_a_task_table(field_text: str, expected: date | None) -> None:
    assert find_deadline(field_text, 2024, field=True) == expected
