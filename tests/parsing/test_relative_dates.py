"""Deadlines typed for an urge, a rectification or an extension mean the next such date from today
(issue 14): 下周五, 月底前, 12月15日前 — a table of words and the day they name."""

from __future__ import annotations

from datetime import date

import pytest

from eduplan.services.errors import Invalid
from eduplan.services.tracking.deadlines import upcoming_deadline

SUNDAY = date(2026, 12, 6)
WEDNESDAY = date(2026, 12, 9)


@pytest.mark.parametrize(
    ("words", "today", "expected"),
    [
        ("下周五", SUNDAY, date(2026, 12, 11)),  # a week runs Monday to Sunday
        ("下周五", WEDNESDAY, date(2026, 12, 18)),
        ("本周五", WEDNESDAY, date(2026, 12, 11)),
        ("下星期一", WEDNESDAY, date(2026, 12, 14)),
        ("月底前", WEDNESDAY, date(2026, 12, 31)),
        ("本月底", date(2027, 2, 3), date(2027, 2, 28)),
        ("下月底", WEDNESDAY, date(2027, 1, 31)),
        ("下个月底前", date(2027, 1, 31), date(2027, 2, 28)),
        ("12月15日前", WEDNESDAY, date(2026, 12, 15)),
        ("12月5日前", WEDNESDAY, date(2027, 12, 5)),  # already past this year: next year's
        ("1月15日前", date(2026, 12, 20), date(2027, 1, 15)),
        ("3月底前", WEDNESDAY, date(2027, 3, 31)),
        ("2026年12月5日前", WEDNESDAY, date(2026, 12, 5)),  # a written year is kept
        ("2027-01-10", WEDNESDAY, date(2027, 1, 10)),
        ("2026-12-05", WEDNESDAY, date(2026, 12, 5)),  # a numeric year is a written year: kept, not moved on
        ("2026/12/5", WEDNESDAY, date(2026, 12, 5)),
        ("年底前", WEDNESDAY, date(2026, 12, 31)),
    ],
)
def test_words_mean_the_next_such_date_from_today(words: str, today: date, expected: date) -> None:
    assert upcoming_deadline(words, today) == expected


def test_words_naming_no_date_are_refused_with_examples() -> None:
    with pytest.raises(Invalid, match="9月底前"):
        upcoming_deadline("尽快", WEDNESDAY)
