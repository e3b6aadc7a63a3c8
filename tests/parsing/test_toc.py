"""The document's own table of contents (目录): recognised, kept, never parsed as content (toc.py)."""

from __future__ import annotations

import pytest

from eduplan.domain import TocEntry
from eduplan.parsing import parse_plan
from eduplan.parsing.toc import find_toc

BODY = [
    "一、发展基础",
    "（一）主要成就",
    "“十三五”期间，全市新建学校20所。",
    "（二）面临挑战",
    "优质资源总量不足。",
    "二、总体要求",
    "（一）指导思想",
    "坚持以人民为中心。",
    "（二）发展目标",
    "到2025年，基本建成教育强市。",
    "三、主要任务",
    "（一）扩大资源供给",
    "新建学校。",
    "（二）提升教育质量",
    "深化课程改革。",
]
ENTRIES = [
    TocEntry(number="一", title="发展基础", page=1),
    TocEntry(number="二", title="总体要求", page=4),
    TocEntry(number="三", title="主要任务", page=7),
]


@pytest.mark.parametrize(
    "toc",
    [
        # leader dots of every kind, with and without a 目录 heading
        ["目  录", "一、发展基础……………………1", "二、总体要求……………………4", "三、主要任务……………………7"],
        ["一、发展基础……………………1", "二、总体要求……………………4", "三、主要任务……………………7"],
        ["目录", "一、发展基础 .......... 1", "二、总体要求 .......... 4", "三、主要任务 .......... 7"],
        ["目录", "一、发展基础··········1", "二、总体要求··········4", "三、主要任务··········7"],
        # a tab before the page number (Word's TOC field as exported)
        ["目录", "一、发展基础\t1", "二、总体要求\t4", "三、主要任务\t7"],
        ["目 录", "一、发展基础 ………… 1", "二、总体要求 ………… 4", "三、主要任务 ………… 7"],
    ],
)
def test_toc_styles(toc: list[str]) -> None:
    plan = parse_plan(["示例市“十四五”教育发展规划", *toc, *BODY])
    assert plan.toc == ENTRIES
    # never duplicated as content
    assert [c.title for c in plan.chapters] == ["发展基础", "总体要求", "主要任务"]
    assert [len(c.items) for c in plan.chapters] == [2, 2, 2]


def test_toc_with_sections_and_unnumbered_entries() -> None:
    toc = [
        "目  录",
        "前  言……………………………………1",
        "一、发展基础……………………………2",
        "（一）主要成就…………………………2",
        "（二）面临挑战…………………………3",
        "二、总体要求……………………………4",
        "三、主要任务……………………………7",
        "附  表……………………………………20",
    ]
    plan = parse_plan(["示例市“十四五”教育发展规划", *toc, *BODY])
    assert [(e.number, e.title.replace(" ", ""), e.page) for e in plan.toc] == [
        (None, "前言", 1),
        ("一", "发展基础", 2),
        ("一", "主要成就", 2),
        ("二", "面临挑战", 3),
        ("二", "总体要求", 4),
        ("三", "主要任务", 7),
        (None, "附表", 20),
    ]
    assert len(plan.chapters) == 3


def test_entry_wrapped_onto_two_lines() -> None:
    lines = [
        "目录",
        "一、坚持党的全面领导，推动教育事业高质量发展并",
        "取得新成效……………3",
        "二、总体要求……………4",
        "一、坚持党的全面领导，推动教育事业高质量发展并取得新成效",
    ]
    entries, start, end = find_toc(lines)
    assert entries == [
        TocEntry(number="一", title="坚持党的全面领导，推动教育事业高质量发展并取得新成效", page=3),
        TocEntry(number="二", title="总体要求", page=4),
    ]
    assert (start, end) == (0, 4)


def test_first_chapter_titles_twice_without_page_numbers() -> None:
    lines = ["目录", "一、发展基础", "二、总体要求", "三、主要任务", *BODY]
    plan = parse_plan(["示例市“十四五”教育发展规划", *lines])
    assert [e.title for e in plan.toc] == ["发展基础", "总体要求", "主要任务"]
    assert [c.title for c in plan.chapters] == ["发展基础", "总体要求", "主要任务"]


def test_toc_with_dashed_page_numbers() -> None:
    toc = ["目  录", "一、发展基础 - 1 -", "二、总体要求 - 4 -", "三、主要任务 - 7 -"]
    plan = parse_plan(["示例市“十四五”教育发展规划", *toc, *BODY])
    assert [c.title for c in plan.chapters] == ["发展基础", "总体要求", "主要任务"]


@pytest.mark.parametrize(
    "lines",
    [
        BODY,
        ["一、发展基础", "全市共有学校……等等。", *BODY],
        ["说明：本文件共3页", *BODY],
    ],
)
def test_no_toc(lines: list[str]) -> None:
    assert find_toc(lines) == ([], 0, 0)
