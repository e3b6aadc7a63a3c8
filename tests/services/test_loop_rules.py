"""Pure rules of the loop: reporting cycles and their due days, 序时进度, target achievement, colours."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.services.errors import Invalid
from eduplan.services.tracking import rules
from eduplan.services.tracking.schedule import cycle_at, cycles, due_cycles

YEAR = (date(2024, 1, 1), date(2024, 12, 31))
LIMITS = rules.Thresholds(amber_lag=10, red_lag=25)


@pytest.mark.parametrize(
    ("kind", "due_day", "count", "first", "last"),
    [
        (
            "weekly",
            5,
            53,
            (date(2024, 1, 1), date(2024, 1, 7), date(2024, 1, 5)),
            (date(2024, 12, 30), date(2025, 1, 5), date(2025, 1, 3)),
        ),
        ("biweekly", 5, 27, (date(2024, 1, 1), date(2024, 1, 14), date(2024, 1, 12)), None),
        ("monthly", 25, 12, (date(2024, 1, 1), date(2024, 1, 31), date(2024, 1, 25)), None),
        ("monthly", 31, 12, None, (date(2024, 12, 1), date(2024, 12, 31), date(2024, 12, 31))),
        (
            "quarterly",
            25,
            4,
            (date(2024, 1, 1), date(2024, 3, 31), date(2024, 3, 25)),
            (date(2024, 10, 1), date(2024, 12, 31), date(2024, 12, 25)),
        ),
    ],
)
def test_cycles(
    kind: str, due_day: int, count: int, first: tuple[date, ...] | None, last: tuple[date, ...] | None
) -> None:
    found = cycles(kind, due_day, *YEAR)
    assert len(found) == count and [c.index for c in found] == list(range(count))
    if first:
        assert (found[0].start, found[0].end, found[0].due) == first
    if last:
        assert (found[-1].start, found[-1].end, found[-1].due) == last


def test_short_months_and_cycle_lookup() -> None:
    feb = cycles("monthly", 31, *YEAR)[1]
    assert feb.due == date(2024, 2, 29)
    all_cycles = cycles("monthly", 25, *YEAR)
    cycle = cycle_at(all_cycles, date(2024, 5, 10))
    assert cycle is not None and cycle.index == 4
    assert [c.index for c in due_cycles(all_cycles, date(2024, 5, 10))] == [0, 1, 2, 3]
    assert [c.index for c in due_cycles(all_cycles, date(2024, 4, 25))] == [
        0,
        1,
        2,
    ]  # due day itself is on time


@pytest.mark.parametrize(
    ("kind", "due_day", "span"),
    [("daily", 1, YEAR), ("weekly", 0, YEAR), ("monthly", 32, YEAR), ("monthly", 25, (YEAR[1], YEAR[0]))],
)
def test_bad_schedules(kind: str, due_day: int, span: tuple[date, date]) -> None:
    with pytest.raises(Invalid):
        cycles(kind, due_day, *span)


def test_expected_progress() -> None:
    start, end = date(2024, 1, 1), date(2024, 12, 31)
    assert rules.expected_progress(start, end, date(2023, 12, 1)) == 0
    assert rules.expected_progress(start, end, date(2024, 7, 1)) == pytest.approx(49.9, abs=0.2)
    assert rules.expected_progress(start, end, date(2025, 1, 1)) == 100


@pytest.mark.parametrize(
    ("comparator", "target", "actual", "ratio"),
    [(">=", 200, 150, 0.75), ("=", 10, 12, 1.0), ("<=", 5, 10, 0.5), ("<=", 5, 4, 1.0), (">=", 0, 3, 1.0)],
)
def test_achievement(comparator: str, target: float, actual: float, ratio: float) -> None:
    assert rules.achievement(comparator, target, actual) == ratio


def _judge(expected: float, reported: float, achieved: float | None = None, **flags: bool) -> rules.Judgement:
    base = {"done": False, "overdue": False, "blocked": False, "missing": False} | flags
    return rules.judge(expected, reported, achieved, thresholds=LIMITS, **base)


def test_colours() -> None:
    assert _judge(50, 45).colour == "green"
    assert _judge(50, 40).colour == "amber"  # 10 points behind
    assert _judge(50, 25).colour == "red"  # 25 points behind
    assert _judge(100, 100, done=True).colour == "green"
    late = _judge(100, 90, overdue=True)
    assert late.colour == "red" and "已超过完成时限" in late.reasons
    assert _judge(50, 60, blocked=True).colour == "amber"
    assert _judge(50, 60, missing=True).colour == "amber"
    # targets lagging behind the words pull progress down
    short = _judge(50, 60, achieved=30)
    assert (short.progress, short.colour) == (30, "amber") and "目标完成" in short.reasons[0]
