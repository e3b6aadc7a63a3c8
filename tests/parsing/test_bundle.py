"""Several plans in one file: split where 一、 restarts under a new plan title, never elsewhere."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from eduplan.parsing import parse_plan
from eduplan.parsing.bundle import parse_plans, split_plans
from eduplan.samples.bundle_text import TITLES, bundle_lines
from eduplan.samples.plan_text import sample_lines


def test_a_bundled_notice_becomes_one_plan_per_title() -> None:
    plans = parse_plans(bundle_lines())
    assert [p.title for p in plans] == list(TITLES)
    assert [[c.title for c in p.chapters] for p in plans] == [
        ["工作目标", "重点任务", "保障措施"],
        ["总体要求", "主要任务", "工作要求"],
        ["加强师德师风建设", "提升教师专业能力"],
    ]
    assert [len(p.tasks()) for p in plans] == [3, 3, 3]
    # the notice's 文号, date and place belong to every plan it issues
    assert {(p.doc_number, p.issued_on, p.place, p.year) for p in plans} == {
        ("示例教发〔2024〕5号", date(2024, 3, 1), "示例市", 2024)
    }


def test_source_lines_count_from_the_start_of_the_file() -> None:
    lines = bundle_lines()
    for plan in parse_plans(lines):
        for _, task in plan.tasks():
            assert task.line is not None
            assert lines[task.line - 1].endswith(task.text.split("\n")[0])


def test_the_附件_mark_above_a_title_goes_with_its_plan() -> None:
    parts = split_plans(bundle_lines())
    assert [part[0] for part in parts] == ["示例市教育局文件", TITLES[1], "附件3"]
    assert sum(len(part) for part in parts) == len(bundle_lines())


def test_a_title_broken_over_two_lines_goes_whole_with_its_plan() -> None:
    lines = bundle_lines()
    at = lines.index(TITLES[1])
    broken = [*lines[:at], "示例市2024年义务教育", "课后服务实施方案", *lines[at + 1 :]]
    plans = parse_plans(broken)
    assert [p.title for p in plans] == list(TITLES)


def test_a_notice_numbering_its_own_requests_is_no_plan() -> None:
    lines = bundle_lines()
    first_title = lines.index(TITLES[0])
    notice = [
        *lines[:4],
        "现将有关事项通知如下：",
        "一、提高认识。各单位要高度重视。",
        "二、按时报送。每季度末报送进展。",
        "示例市教育局",
        "2024年3月1日",
        "附件1",
    ]
    plans = parse_plans(notice + lines[first_title:])
    assert [p.title for p in plans] == list(TITLES)
    assert {(p.doc_number, p.place) for p in plans} == {("示例教发〔2024〕5号", "示例市")}
    assert plans[0].issued_on == date(2024, 3, 1)


@pytest.mark.parametrize(
    "lines",
    [
        sample_lines(),
        # an 一、 list restarting inside a chapter, with no plan title above it
        ["示例市2024年工作要点", "一、党建", "1.加强党建。", "二、教学", "一、课程", "二、作业", "三、评价"],
        # a title-like line above the restart, but the second part numbers one chapter only
        [
            "示例市2024年工作要点",
            "一、党建",
            "1.加强党建。",
            "二、教学",
            "1.深化课改。",
            "附：工作安排",
            "一、按月调度。",
        ],
    ],
)
def test_a_single_plan_stays_whole(lines: list[str]) -> None:
    assert split_plans(lines) == [lines]
    assert parse_plans(lines) == [parse_plan(lines)]


_LINES = [
    "一、总体要求",
    "二、重点任务",
    "三、保障",
    "示例市工作方案",
    "附件2",
    "1.加强党建。",
    "（一）做好宣传。",
    "目录",
    "",
]


@given(st.lists(st.one_of(st.sampled_from(_LINES), st.text(max_size=20)), max_size=40))
@settings(max_examples=200, deadline=None)
def test_the_parts_are_the_file_in_order(lines: list[str]) -> None:
    parts = split_plans(lines)
    assert [line for part in parts for line in part] == lines
    assert len(parts) == 1 or all(parts)
