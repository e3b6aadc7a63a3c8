"""Deadlines named in a task's text (年内, 上半年, 6月底前, 第三季度, 2025年), resolved in the plan's year."""

from __future__ import annotations

import calendar
import re
from datetime import date

from eduplan.parsing.numbering import cn_to_int

# one pass over the text: each alternative names its kind of deadline
_DEADLINE = re.compile(
    r"(?:到|至|于|在|截至)\s*(?P<by_year>(?:19|20)[0-9]{2})\s*年(?:底|末|前)?"
    r"|(?<![0-9])(?P<month>[0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:底|末|份)?(?:前|之前|以前|底|末)"
    r"|第(?P<quarter>[一二三四1-4])季度"
    r"|(?P<half>[上下])半年"
    r"|(?:(?P<year>(?:19|20)[0-9]{2})\s*年?)?(?:年内|年底前|年底|年末|年前|全年|本年度|当年)"
)


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text)


def find_deadline(text: str, year: int | None) -> date | None:
    """The latest deadline the text names, or None.  Relative phrases need the plan's `year`."""
    found: list[date] = []
    for m in _DEADLINE.finditer(text):
        if m.group("by_year"):
            found.append(date(int(m.group("by_year")), 12, 31))
        elif year is None:
            continue
        elif m.group("month"):
            month = _number(m.group("month"))
            if month and 1 <= month <= 12:
                found.append(_month_end(year, month))
        elif m.group("quarter"):
            found.append(_month_end(year, 3 * (_number(m.group("quarter")) or 4)))
        elif m.group("half"):
            found.append(_month_end(year, 6 if m.group("half") == "上" else 12))
        else:
            found.append(date(int(m.group("year")) if m.group("year") else year, 12, 31))
    return max(found) if found else None
