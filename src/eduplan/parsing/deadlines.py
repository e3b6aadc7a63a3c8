"""Deadlines named in a task's text (年内, 上半年, 6月底前, 3月31日前, 第三季度, 2025年), resolved in the
plan's year.  Each kind has its own pattern anchored on a literal, which keeps the scan fast."""

from __future__ import annotations

import calendar
import re
from datetime import date

from eduplan.parsing.numbering import FW_DIGITS, cn_to_int

_BY_YEAR = re.compile(
    r"(?:到|至|于|在|截至)\s*((?:19|20)[0-9]{2})\s*年(?!\s*[0-9一二三四五六七八九十]{1,3}\s*月)"
)
_MONTH = re.compile(
    r"(?:((?:19|20)[0-9]{2})\s*年\s*)?(?<![0-9])([0-9]{1,2}|[一二三四五六七八九十]{1,3})\s*月"
    r"(?:\s*([0-9]{1,2})\s*日)?(?:底|末|份)?(前|之前|以前|底|末|为止)"
)
_QUARTER = re.compile(r"第([一二三四1-4])季度")
_HALF = re.compile(r"([上下])半年")
_YEAR_END = re.compile(r"年内|年底前|年底|年末|全年|本年度|当年")
_YEAR_BEFORE = re.compile(r"((?:19|20)[0-9]{2})\s*年?$")
# in a 完成时限 field a bare month or date is a deadline too: 2024年12月, 2024年6月15日, 2024.6.30
_FIELD_MONTH = re.compile(r"(?:((?:19|20)[0-9]{2})\s*年\s*)?([0-9]{1,2})\s*月(?:\s*([0-9]{1,2})\s*日)?")
_FIELD_YEAR = re.compile(r"^\s*((?:19|20)[0-9]{2})\s*年?\s*(?:年底前?|年内|全年)?\s*$")
_FIELD_DOTTED = re.compile(
    r"((?:19|20)[0-9]{2})\s*[.．/-]\s*([0-9]{1,2})(?:\s*[.．/-]\s*([0-9]{1,2}))?(?![0-9])"
)
_FULL_WIDTH_DIGIT = re.compile("[０-９]")


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else cn_to_int(text)


def _safe(year: int, month: int, day: int | None) -> date | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return _month_end(year, month)
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_deadline(
    text: str, year: int | None, field: bool = False, within: tuple[int, int] | None = None
) -> date | None:
    """The latest deadline the text names, or None.  Relative phrases need the plan's `year`;
    `field` says the text is a 完成时限 field, where a bare month (2024年12月) counts too;
    `within` (first year, last year) drops dates outside the plan's own time."""
    if _FULL_WIDTH_DIGIT.search(text):
        text = text.translate(FW_DIGITS)
    found: list[date | None] = [date(int(m.group(1)), 12, 31) for m in _BY_YEAR.finditer(text)]
    for m in _MONTH.finditer(text) if "月" in text else ():
        y = int(m.group(1)) if m.group(1) else year
        month = _number(m.group(2))
        if y is not None and month:
            found.append(_safe(y, month, int(m.group(3)) if m.group(3) else None))
    if field and not any(found):
        for m in (*_FIELD_MONTH.finditer(text), *_FIELD_DOTTED.finditer(text)):
            y = int(m.group(1)) if m.group(1) else year
            if y is not None:
                found.append(_safe(y, int(m.group(2)), int(m.group(3)) if m.group(3) else None))
        if (whole_year := _FIELD_YEAR.match(text)) is not None:
            found.append(date(int(whole_year.group(1)), 12, 31))  # 完成时限：2024年
    if year is not None:
        for m in _QUARTER.finditer(text) if "季度" in text else ():
            found.append(_month_end(year, 3 * (_number(m.group(1)) or 4)))
        for m in _HALF.finditer(text) if "半年" in text else ():
            found.append(_month_end(year, 6 if m.group(1) == "上" else 12))
    for m in _YEAR_END.finditer(text):
        explicit = _YEAR_BEFORE.search(text, max(0, m.start() - 6), m.start())
        if explicit or year is not None:
            found.append(date(int(explicit.group(1)) if explicit else year, 12, 31))  # type: ignore[arg-type]
    dates = [d for d in found if d is not None and (within is None or within[0] <= d.year <= within[1])]
    return max(dates) if dates else None
