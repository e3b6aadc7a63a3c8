"""The value rules as a table: one reported actual against its target and the last accepted value."""

from __future__ import annotations

import pytest

from eduplan.services.tracking.value_rules import TargetFacts, check_value, check_values, status_problems

COVERAGE = TargetFacts(id=1, subject="普惠性幼儿园覆盖率", unit="%", value=85)
ENROLMENT = TargetFacts(
    id=2, subject="学前教育毛入园率", unit="", value=105
)  # a rate above 100 by its definition
SHARE = TargetFacts(id=3, subject="交流轮岗教师比例", unit="", value=15)
KINDERGARTENS = TargetFacts(
    id=4, subject="新建公办幼儿园", unit="所", value=2, comparator="between", value_max=3
)
PLACES = TargetFacts(id=5, subject="新增学位", unit="个", value=3200)
MONEY = TargetFacts(id=6, subject="投入", unit="亿元", value=1.5)
BIG_CLASSES = TargetFacts(id=7, subject="56人以上大班额", unit="个", value=0, comparator="<=")
PUPILS = TargetFacts(id=8, subject="受资助学生", unit="人次", value=500)


@pytest.mark.parametrize(
    ("target", "actual", "previous", "narrative", "level", "words"),
    [
        (COVERAGE, 86.5, None, "", None, ""),
        (COVERAGE, 850, None, "", "error", "0 到 100"),
        (COVERAGE, -1, None, "", "error", "0 到 100"),
        (COVERAGE, 70, 80, "", None, ""),  # a rate may fall: not cumulative
        (ENROLMENT, 103, None, "", None, ""),  # the target itself is above 100
        (SHARE, 150, None, "", "error", "百分比"),  # 比例 in the subject, no unit
        (KINDERGARTENS, -4, None, "", "error", "不能为负数"),
        (KINDERGARTENS, 2.5, None, "", "error", "须为整数"),
        (KINDERGARTENS, 2, 3, "", "error", "不应低于上次审核通过的 3所"),
        (KINDERGARTENS, 2, 3, "核减1所：此前重复统计", None, ""),
        (PLACES, 2000, 500, "", "warning", "超过上次审核通过值 500 的 3 倍"),
        (PLACES, 12000, None, "", "warning", "超过目标值 3200 的 3 倍"),
        (PLACES, 1500, 500, "", None, ""),
        (MONEY, -0.2, None, "", "error", "不能为负数"),
        (MONEY, 0.75, None, "", None, ""),  # money may have decimals
        (BIG_CLASSES, 3, 5, "", None, ""),  # an upper bound is meant to go down
        (PUPILS, 120.5, None, "", None, ""),  # 人次 counts, but not of whole things
    ],
)
def test_one_value(
    target: TargetFacts, actual: float, previous: float | None, narrative: str, level: str | None, words: str
) -> None:
    found = check_value(target, actual, previous, narrative)
    assert [f.level for f in found] == ([level] if level else [])
    if level:
        assert words in found[0].message and target.subject in found[0].message


def test_a_report_is_checked_target_by_target_in_order() -> None:
    found = check_values([COVERAGE, KINDERGARTENS, PLACES], {4: 2.5, 1: 850, 5: 100}, {5: 90})
    assert [(f.target_id, f.level) for f in found] == [(1, "error"), (4, "error")]


@pytest.mark.parametrize(
    ("progress", "percent", "problems"),
    [
        ("in_progress", 40, {}),
        ("in_progress", 140, {"percent": "完成百分比须在 0 到 100 之间"}),
        ("done", 90, {"percent": "状态为已完成时，完成百分比应为 100"}),
        ("not_started", 5, {"percent": "状态为未启动时，完成百分比应为 0"}),
        (
            "finished",
            100,
            {"progress": "未知进展状态 finished（可选：not_started、in_progress、done、blocked）"},
        ),
    ],
)
def test_status_and_percent(progress: str, percent: float, problems: dict[str, str]) -> None:
    assert status_problems(progress, percent) == problems
