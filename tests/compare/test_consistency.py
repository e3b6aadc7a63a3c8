"""Consistency checks: a clean plan passes them all; each check catches a plan written to fail it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.compare import check_plan
from eduplan.compare.consistency import (
    figures_against_tables,
    numbering_gaps,
    parts_against_totals,
    targets_below_baseline,
    toc_against_body,
)
from eduplan.parsing import parse_plan

CLEAN = """示例市“十四五”教育发展规划
目录
一、总体要求…………1
二、主要任务…………3
一、总体要求
（一）发展目标
到2025年，学前教育毛入园率达到95%，九年义务教育巩固率保持在99%以上。
（二）基本原则
坚持公益普惠，坚持改革创新。
二、主要任务
（一）扩大学位供给
新增学位9000个，其中幼儿园学位3000个、小学学位4000个、初中学位2000个。
（二）加强劳动教育
建设劳动教育实践基地20个。
（三）加强教师队伍建设
培训骨干教师500名。
专栏1 主要指标
指标	单位	2020年	2025年	属性
学前教育毛入园率	%	92	95	预期性
九年义务教育巩固率	%	98	99	约束性
"""


def plan_of(text: str, old: str = "", new: str = ""):  # type: ignore[no-untyped-def]
    if old:
        assert old in text, old
        text = text.replace(old, new)
    return parse_plan(text.splitlines())


def test_a_clean_plan_has_no_findings() -> None:
    assert check_plan(plan_of(CLEAN)) == []


def test_a_figure_that_disagrees_with_the_table() -> None:
    plan = plan_of(CLEAN, "到2025年，学前教育毛入园率达到95%", "到2025年，学前教育毛入园率达到96%")
    (finding,) = figures_against_tables(plan)
    assert finding.check == "figure_vs_table" and finding.severity == "error"
    assert "学前教育毛入园率达到96%" in finding.message and "2025年 95%" in finding.message
    assert finding.where.startswith("一.一")


def test_a_figure_is_compared_with_the_year_its_sentence_names() -> None:
    # 92 is in the table, but for 2020: in a sentence about 2025 it disagrees
    plan = plan_of(CLEAN, "到2025年，学前教育毛入园率达到95%", "到2025年，学前教育毛入园率达到92%")
    assert len(figures_against_tables(plan)) == 1
    plan = plan_of(CLEAN, "到2025年，学前教育毛入园率达到95%", "学前教育毛入园率达到92%")
    assert figures_against_tables(plan) == []  # no year: any value of the row will do


def test_a_target_below_its_baseline() -> None:
    plan = plan_of(CLEAN, "九年义务教育巩固率	%	98	99", "九年义务教育巩固率	%	99.5	99")
    (finding,) = targets_below_baseline(plan)
    assert "九年义务教育巩固率" in finding.message and "2025年目标 99" in finding.message


def test_an_indicator_that_should_fall_may_fall_but_not_rise() -> None:
    falling = plan_of(CLEAN, "九年义务教育巩固率	%	98	99", "学生近视率	%	55	50")
    assert targets_below_baseline(falling) == []
    rising = plan_of(CLEAN, "九年义务教育巩固率	%	98	99", "学生近视率	%	50	55")
    assert "应当下降" in targets_below_baseline(rising)[0].message


def test_parts_that_do_not_add_up() -> None:
    plan = plan_of(CLEAN, "初中学位2000个", "初中学位3000个")
    (finding,) = parts_against_totals(plan)
    assert finding.severity == "error" and "10000 大于总数 9000" in finding.message
    short = plan_of(CLEAN, "初中学位2000个", "初中学位1000个")
    assert "小于" in parts_against_totals(short)[0].message


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [("（三）加强教师", "（四）加强教师", "之前缺少第3号"), ("（三）加强教师", "（二）加强教师", "“二”重复")],
    ids=["skip", "repeat"],
)
def test_item_numbers_that_skip_or_repeat(old: str, new: str, message: str) -> None:
    (finding,) = numbering_gaps(plan_of(CLEAN, old, new))
    assert message in finding.message and finding.where.startswith("二.")


def test_items_numbered_on_across_chapters_are_read_as_one_run() -> None:
    lines = [
        "示例市2024年教育工作要点",
        "一、党建",
        "1.加强党建。",
        "2.加强廉政。",
        "二、保障",
        "3.加大投入。",
        "5.改善条件。",
    ]
    findings = numbering_gaps(parse_plan(lines))
    assert [f.message for f in findings] == ["条目编号“5”之前缺少第4号"]


def test_a_toc_title_that_differs_from_the_body() -> None:
    plan = plan_of(CLEAN, "二、主要任务…………3", "二、重点任务…………3")
    (finding,) = toc_against_body(plan)
    assert "重点任务" in finding.message and "主要任务" in finding.message


CORPUS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_the_jilin_plan_contradicts_its_own_table() -> None:
    """Issue 6's example: 学前教育毛入园率 90.70% in the text, 92.5 in 专栏1."""
    from eduplan.readers import read_path

    plan = parse_plan(read_path(CORPUS / "001_c5f615e3b9c469d9.txt"))
    messages = [f.message for f in check_plan(plan)]
    assert any("90.70%" in m and "92.5" in m for m in messages)
    assert any("毛入学率" in m and "2025年目标 95" in m for m in messages)


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
@pytest.mark.parametrize(
    "seed", ["000_127a49a51ad6add9", "002_ed8192ea9db54648", "003_7019507cb0a9b6dc", "004_e030d9f7420ebbc9"]
)
def test_the_real_work_plans_raise_no_false_alarm(seed: str) -> None:
    from eduplan.readers import read_path

    assert check_plan(parse_plan(read_path(CORPUS / f"{seed}.txt"))) == []
