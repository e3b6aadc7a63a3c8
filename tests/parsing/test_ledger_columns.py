"""How a 台账's columns and cells are understood (`parsing.ledger_columns`, `ledger_cells`)."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.parsing.ledger_cells import (
    actual_lines,
    clean_title,
    percent_cell,
    split_units,
    status_cell,
    status_of,
    target_lines,
)
from eduplan.parsing.ledger_columns import Period, check_roles, guess_role, guess_roles, period_of


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("序号", "number"),
        ("章", "category"),
        ("重点任务", "task"),
        ("主要内容", "measures"),
        ("牵头单位", "lead"),
        ("配合单位", "support"),
        ("完成时限", "deadline"),
        ("量化目标", "target"),
        ("进展情况", "progress"),
        ("工作推进情况", "progress"),
        ("完成情况", "progress"),
        ("目标完成情况", "actuals"),
        ("完成进度", "percent"),
        ("完成进度（%）", "percent"),
        ("进展状态", "status"),
        ("灯号", "ignore"),
        ("序时进度", "ignore"),
        ("备注", "note"),
        ("1月进展", "progress:m1"),
        ("2月份进展情况", "progress:m2"),
        ("十二月", "progress:m12"),
        ("11月", "progress:m11"),
        ("2024年5月工作进展", "progress:m5"),
        ("第一季度", "progress:q1"),
        ("三季度进展", "progress:q3"),
        ("上半年推进情况", "progress:h1"),
        ("6月底前", "ignore"),
        ("3月完成值", "actuals"),
        ("联系电话", "ignore"),
    ],
)
def test_header_words_give_the_column_role(header: str, code: str) -> None:
    assert guess_role(header) == code


def test_a_second_column_of_one_role_is_not_read_twice() -> None:
    assert guess_roles(["任务", "进展情况", "3月", "三月", "牵头单位", "牵头单位"]) == [
        "task",
        "progress",
        "progress:m3",
        "ignore",
        "lead",
        "lead",
    ]


def test_a_mapping_needs_a_task_column_and_one_column_per_period() -> None:
    assert check_roles(["number", "progress:m1"]) == ["请至少把一列设为“任务”或“主要内容”"]
    assert "同一期" in check_roles(["task", "progress:m1", "progress:m1"])[0]
    assert check_roles(["task", "progress", "progress:m2"]) == [
        "“进展情况（一列）”不能与按期的进展列同时使用"
    ]
    assert check_roles(["task", "frobnicate"]) == ["未知的列用途：frobnicate"]
    assert check_roles(["task", "lead", "progress:q2"]) == []


@pytest.mark.parametrize(
    ("code", "end"),
    [
        ("progress:m2", date(2024, 2, 29)),
        ("progress:q3", date(2024, 9, 30)),
        ("progress:h1", date(2024, 6, 30)),
        ("progress", date(2024, 5, 10)),
    ],
)
def test_a_period_ends_on_its_last_day(code: str, end: date) -> None:
    period = period_of(code)
    assert period is not None
    assert period.end(2024, date(2024, 5, 10)) == end


def test_periods_sort_by_their_last_month() -> None:
    periods = [Period("quarter", 1), Period("month", 2), Period("single", 0), Period("month", 12)]
    assert [p.label for p in sorted(periods, key=Period.order)] == ["2月", "第一季度", "12月", "进展情况"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("已完成。", ("done", 100.0)),
        ("任务已完成，形成总结报告。", ("done", 100.0)),
        ("已完成2所幼儿园主体建设，完成进度60%。", ("in_progress", 60.0)),
        ("尚未启动，正在编制方案。", ("not_started", 0.0)),
        ("因资金未到位，工作受阻。", ("blocked", None)),
        ("普惠性幼儿园覆盖率达到92%，继续推进。", ("in_progress", None)),
        ("工作进度为100%。", ("done", 100.0)),
        ("按计划推进。", ("in_progress", None)),
    ],
)
def test_status_and_percent_where_stated(text: str, expected: tuple[str, float | None]) -> None:
    assert status_of(text) == expected


def test_a_cell_with_unit_names_gives_each_unit_its_report() -> None:
    cell = "基础教育处：完成规划编制。\n计划财务处：资金已下达，完成进度50%。\n继续推进。"
    got = split_units(cell, ["基础教育处", "计划财务处"])
    assert [(u.unit, u.text, u.percent) for u in got] == [
        ("基础教育处", "完成规划编制。", None),
        ("计划财务处", "资金已下达，完成进度50%。\n继续推进。", 50.0),
    ]


def test_eduplans_own_export_head_is_read_back() -> None:
    cell = "发展规划科（第4期，已报送，推进中 70%）：完成项目开工审批。\n基础教育科：尚未报送"
    [got] = split_units(cell, ["发展规划科", "基础教育科"])
    assert (got.unit, got.cycle, got.state, got.progress, got.percent, got.text) == (
        "发展规划科",
        3,
        "submitted",
        "in_progress",
        70.0,
        "完成项目开工审批。",
    )


def test_words_before_a_colon_that_name_no_unit_stay_text() -> None:
    [got] = split_units("一是：完成调研。", ["基础教育处"])
    assert (got.unit, got.text) == (None, "一是：完成调研。")


@pytest.mark.parametrize(
    ("cell", "value"), [("70%", 70.0), ("0.7", 70.0), ("70", 70.0), ("", None), ("1", 1.0)]
)
def test_percent_cells(cell: str, value: float | None) -> None:
    assert percent_cell(cell) == value


@pytest.mark.parametrize("cell", ["约一半", "150%", "-5"])
def test_a_percent_cell_that_is_no_percent_says_why(cell: str) -> None:
    with pytest.raises(ValueError, match="完成进度"):
        percent_cell(cell)


def test_status_cells() -> None:
    assert [status_cell(c) for c in ("已完成", "未完成", "推进中", "未启动", "")] == [
        "done",
        "in_progress",
        "in_progress",
        "not_started",
        None,
    ]
    with pytest.raises(ValueError, match="进展状态"):
        status_cell("待定")


def test_ledger_titles_give_the_plan_title_and_date() -> None:
    assert clean_title("示例市教育局2024年教育工作要点 工作台账（截至2024年5月10日）") == (
        "示例市教育局2024年教育工作要点",
        date(2024, 5, 10),
    )
    assert clean_title("2024年长春市教育工作要点任务台账") == ("2024年长春市教育工作要点", None)


def test_stored_targets_and_actuals_read_back() -> None:
    targets = target_lines("普惠性幼儿园覆盖率≥85%\n新建公办幼儿园介于2–3所\n新增学位3200个")
    assert [(t.subject, t.comparator, t.value, t.value_max, t.unit) for t in targets] == [
        ("普惠性幼儿园覆盖率", ">=", 85.0, None, "%"),
        ("新建公办幼儿园", "between", 2.0, 3.0, "所"),
        ("新增学位", "=", 3200.0, None, "个"),
    ]
    assert actual_lines("新增学位3200个：已完成 3000个（93.8%）\n覆盖率≥85%：尚未报送实际值") == [
        ("新增学位3200个", 3000.0)
    ]
