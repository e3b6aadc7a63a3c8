"""Deadlines typed relative to today (下周五, 本周三, 月底前, 下月底, 12月15日前) — for an urge, a
rectification or an extension, which are written in the present, not in a plan's year.

Pure: `today` is given.  Words naming a month and day without a year mean the next such date from
today (typed on 12月20日, "1月15日前" is next January's); a written year is kept as written.  Weeks
start on Monday (本周五 is this week's Friday, 下周五 the next week's).
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_WEEKDAYS = {"一": 0, "二": 1, "三": 2, "四": 3, "五": 4, "六": 5, "日": 6, "天": 6}
_WEEK = re.compile(r"(本|这|下下|下)\s*(?:周|星期|礼拜)\s*([一二三四五六日天])")
_MONTH_END = re.compile(r"^(本|下个?|当)?月\s*(?:底|末)\s*(?:前|之前|以前)?$")
_EXPLICIT_YEAR = re.compile(r"(?:19|20)[0-9]{2}\s*(?:年|[-－/.．]\s*[0-9]{1,2})")
"""A written year: 2026年…, or the numeric forms 2026-12-05, 2026/12/5, 2026.12.5."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def relative_day(text: str, today: date) -> date | None:
    """The day words relative to the present name (下周五, 月底前, 下月底), or None."""
    words = text.strip()
    week = _WEEK.search(words)
    if week is not None:
        monday = today - timedelta(days=today.weekday())
        weeks = {"本": 0, "这": 0, "下": 1, "下下": 2}[week.group(1)]
        return monday + timedelta(weeks=weeks, days=_WEEKDAYS[week.group(2)])
    month = _MONTH_END.match(words)
    if month is not None:
        if (month.group(1) or "").startswith("下"):
            first_next = _month_end(today.year, today.month) + timedelta(days=1)
            return _month_end(first_next.year, first_next.month)
        return _month_end(today.year, today.month)
    return None


def next_such_date(found: date, text: str, today: date) -> date:
    """A date read in today's year from `text`, moved to the next year when already past (unless
    the text names its year)."""
    if found >= today or _EXPLICIT_YEAR.search(text):
        return found
    try:
        return found.replace(year=found.year + 1)
    except ValueError:  # 2月29日
        return found.replace(year=found.year + 1, day=28)
