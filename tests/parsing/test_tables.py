"""Indicator tables (主要指标): header, group rows, values by year, 预期性/约束性, the 注： note (tables.py)."""

from __future__ import annotations

import pytest

from eduplan.domain import IndicatorRow
from eduplan.parsing.tables import is_header, parse_table, split_cells

HEADER = "指标\t单位\t2020年\t2025年\t属性"


def rows(lines: list[str]) -> list[IndicatorRow]:
    table = parse_table(lines, "示例市“十四五”教育发展主要指标", column=1)
    assert table is not None
    return table.rows


def percent_row(label: str, in_2020: float, in_2025: float, group: str, attribute: str) -> IndicatorRow:
    """A row in % of a table with the columns of HEADER."""
    values: dict[str, float | None] = {"2020": in_2020, "2025": in_2025}
    return IndicatorRow(label=label, unit="%", values=values, group=group, attribute=attribute)


def test_indicator_table_with_groups_and_note() -> None:
    lines = [
        HEADER,
        "普及水平",
        "学前教育毛入园率\t%\t91.5\t95\t预期性",
        "九年义务教育巩固率\t%\t98.6\t99\t约束性",
        "教师队伍",
        "中小学专任教师中研究生学历教师占比\t%\t12\t20\t预期性",
        "注：带*的指标为新增指标。",
    ]
    table = parse_table(lines, "示例市“十四五”教育发展主要指标", column=1)
    assert table is not None
    assert table.title == "示例市“十四五”教育发展主要指标"
    assert table.column == 1
    assert table.header == ["指标", "单位", "2020年", "2025年", "属性"]
    assert table.rows == [
        percent_row("学前教育毛入园率", 91.5, 95, "普及水平", "预期性"),
        percent_row("九年义务教育巩固率", 98.6, 99, "普及水平", "约束性"),
        percent_row("中小学专任教师中研究生学历教师占比", 12, 20, "教师队伍", "预期性"),
    ]
    assert table.note == "注：带*的指标为新增指标。"


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("95", 95),
        ("91.5", 91.5),
        ("≥96", 96),
        (">90", 90),
        ("90以上", 90),
        ("约85", 85),
        ("1,200", 1200),
        ("95%", 95),
        ("—", None),
        ("", None),
        ("待定", None),
    ],
)
def test_value_cells(cell: str, value: float | None) -> None:
    (row,) = rows([HEADER, f"学前教育毛入园率\t%\t80\t{cell}\t预期性"])
    assert row.values["2025"] == value


@pytest.mark.parametrize(
    "header",
    [
        "指标\t单位\t2020年\t2025年\t属性",
        "指标\t单位\t2020 年\t2025 年\t属性",
        "指标名称\t单位\t2020年基期值\t2025年目标值\t指标属性",
        "主要指标\t单位\t2020年\t2025年\t类型",
    ],
)
def test_header_spellings(header: str) -> None:
    (row,) = rows([header, "学前教育毛入园率\t%\t91.5\t95\t约束性"])
    assert (row.label, row.unit, row.values, row.attribute) == (
        "学前教育毛入园率",
        "%",
        {"2020": 91.5, "2025": 95},
        "约束性",
    )


def test_header_with_three_year_columns() -> None:
    (row,) = rows(["指标\t单位\t2015年\t2020年\t2025年\t属性", "在园幼儿数\t万人\t8.2\t6.6\t7\t预期性"])
    assert row.values == {"2015": 8.2, "2020": 6.6, "2025": 7}
    assert row.unit == "万人"


def test_table_without_attribute_column() -> None:
    (row,) = rows(["指标\t单位\t2015年\t2020年", "小学净入学率\t%\t99\t99"])
    assert (row.label, row.attribute, row.values) == ("小学净入学率", None, {"2015": 99, "2020": 99})


def test_leading_group_cell_when_a_row_is_wider_than_the_header() -> None:
    (row,) = rows([HEADER, "教育普及\t学前教育毛入园率\t%\t92.5\t95\t预期性"])
    assert (row.group, row.label, row.values) == ("教育普及", "学前教育毛入园率", {"2020": 92.5, "2025": 95})


def test_no_header_no_table() -> None:
    assert parse_table(["学前教育毛入园率\t%\t91.5\t95"], "x") is None


def test_category_column() -> None:
    lines = [
        "类别\t指标\t单位\t2020年\t2025年\t属性",
        "学前教育\t学前教育毛入园率\t%\t93\t96\t预期性",
        "\t普惠性幼儿园覆盖率\t%\t85\t90\t约束性",  # the merged category cell comes out empty
    ]
    assert [(r.group, r.label) for r in rows(lines)] == [
        ("学前教育", "学前教育毛入园率"),
        ("学前教育", "普惠性幼儿园覆盖率"),
    ]


def test_serial_number_column() -> None:
    lines = [
        "序号\t指标\t单位\t2020年\t2025年\t属性",
        "1\t学前教育毛入园率\t%\t93\t96\t预期性",
        "2\t普惠性幼儿园覆盖率\t%\t85\t90\t约束性",
    ]
    assert [r.label for r in rows(lines)] == ["学前教育毛入园率", "普惠性幼儿园覆盖率"]


def test_note_on_two_lines() -> None:
    lines = [HEADER, "学前教育毛入园率\t%\t93\t96\t预期性", "注：1.带*为新增指标。", "2.数据来源于统计年鉴。"]
    table = parse_table(lines, "x")
    assert table is not None
    assert table.note is not None and "数据来源于统计年鉴" in table.note


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("指标\t单位\t2020年", ["指标", "单位", "2020年"]),
        ("指标  单位   2020年", ["指标", "单位", "2020年"]),
        ("学前教育 毛入园率\t%", ["学前教育 毛入园率", "%"]),
    ],
)
def test_split_cells(line: str, cells: list[str]) -> None:
    assert split_cells(line) == cells


@pytest.mark.parametrize(
    ("cells", "header"),
    [
        (["指标", "单位", "2020年", "2025年", "属性"], True),
        (["项目", "2021年"], True),
        (["学前教育毛入园率", "%", "91.5", "95"], False),
        (["指标", "单位"], False),
    ],
)
def test_is_header(cells: list[str], header: bool) -> None:
    assert is_header(cells) is header
