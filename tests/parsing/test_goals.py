"""Goals against results and norms (parsing/goals.py): section titles and the tense of a sentence."""

from __future__ import annotations

import pytest

from eduplan.parsing import parse_plan
from eduplan.parsing.goals import is_review


@pytest.mark.parametrize(
    ("chapter", "item", "review"),
    [
        ("发展基础与面临形势", "“十三五”发展成就", True),
        ("把握新发展阶段", "发展基础", True),
        ("总体要求", "面临的形势", True),
        ("2023年工作回顾", "学前教育", True),
        ("“十三五”时期教育发展成就", "办学条件", True),
        # looking ahead, or a task whose words merely mention an environment
        ("发展基础", "发展目标", False),
        ("总体要求", "主要目标", False),
        ("坚持安全稳定，营造良好教育发展环境", "筑牢校园安全防线", False),
        ("主要任务", "营造良好发展环境", False),
    ],
)
def test_review_sections(chapter: str, item: str, review: bool) -> None:
    assert is_review(chapter, item) is review


def test_an_annual_plans_review_chapter_gives_figures_not_targets() -> None:
    plan = parse_plan(
        [
            "示例市2024年教育工作要点",
            "一、2023年工作回顾",
            "1.学前教育。全年新建幼儿园12所，普惠性幼儿园覆盖率达到88%。",
            "2.义务教育。新增学位5000个。",
            "二、2024年重点任务",
            "3.扩大学前教育资源。新建幼儿园10所，普惠性幼儿园覆盖率达到90%以上。",
            "4.推进义务教育优质均衡。新增学位6000个。",
        ]
    )
    review, ahead = plan.chapters
    assert [t.targets for t in review.items] == [[], []]
    assert [f.value for f in review.items[0].figures] == [12, 88]
    assert [[t.value for t in task.targets] for task in ahead.items] == [[10, 90], [6000]]
