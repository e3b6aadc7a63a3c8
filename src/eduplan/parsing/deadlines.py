"""Deadlines named in a task's text (年内, 上半年, 6月底前, 第三季度, 2025年), resolved in the plan's year."""

from __future__ import annotations

import calendar
import re
from datetime import date

from eduplan.parsing.numbering import cn_to_int

_MONTH_END = re.compile(
    r"(?<![0-9])([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月(?:底|末|份)?(?:前|之前|以前|底|末)"
)
_QUARTER = re.compile(r"第([一二三四1-4])季度")
_YEAR_END = re.compile(r"(?:((?:19|20)[0-9]{2})\s*年)?(?:年内|年底前|年底|年末|年前|全年|本年度|当年)")
_HALF = re.compile(r"(上|下)半年")
_BY_YEAR = re.compile(r"(?:到|至|于|在|截至)\s*((?:19|20)[0-9]{2})\s*年(?:底|末|前)?")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def find_deadline(text: str, year: int | None) -> date | None:
    """The latest deadline the text names, or None.  Relative phrases need the plan's `year`."""
    found: list[date] = []
    for m in _BY_YEAR.finditer(text):
        found.append(date(int(m.group(1)), 12, 31))
    if year is not None:
        for m in _MONTH_END.finditer(text):
            month = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1))
            if month and 1 <= month <= 12:
                found.append(_month_end(year, month))
        for m in _QUARTER.finditer(text):
            q = int(m.group(1)) if m.group(1).isdigit() else cn_to_int(m.group(1)) or 4
            found.append(_month_end(year, 3 * q))
        for m in _HALF.finditer(text):
            found.append(_month_end(year, 6 if m.group(1) == "上" else 12))
        for m in _YEAR_END.finditer(text):
            found.append(date(int(m.group(1)) if m.group(1) else year, 12, 31))
    return max(found) if found else None
