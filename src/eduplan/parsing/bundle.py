"""Several plans in one file: a notice that bundles several 方案, each restarting at 一、 under its
own title, split into one list of lines per plan.  Pure: no I/O.

A new plan begins where the top numbering restarts (一、 again, after 二、 or later) and a title line
stands just above the restart: a short line, neither numbered nor a sentence, that names a kind of
plan (…工作方案, …实施方案, …工作要点, …行动计划).  附件 marks and a date or issuer line under the
title are taken along with it.  Each part must number at least two chapters itself, so an 一、 list
inside a chapter, a table of contents or a 专栏 box never splits a plan.  Later plans have no cover
notice of their own: they take the issuer, 文号, date and place (and the year, when they name
none) from the first, or from the covering notice when that numbers its own requests (一、高度重视
二、按时报送: a notice, not a plan, since no plan title stands above its 一、).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from eduplan.domain import Plan
from eduplan.parsing.cover import find_place, split_cover
from eduplan.parsing.numbering import match_marker
from eduplan.parsing.toc import find_toc

PLAN_TITLE = re.compile(
    r"(?:方案|要点|规划|计划|细则|办法|意见|清单|安排|纲要|措施|任务)(?:\s*[（(][^（）()]{1,20}[)）])?$"
)
"""A title naming a kind of plan, perhaps with a bracketed note: …工作方案, …实施方案（试行）."""
_APPENDIX = re.compile(r"^附\s*件\s*[0-9０-９一二三四五六七八九十]*\s*[：:]?$")
_PUNCTUATION = re.compile(r"[：:。；;，,、\t]")
_DATE = re.compile(r"[0-9〇一二三四五六七八九十]{1,4}\s*月\s*[0-9〇一二三四五六七八九十]{1,3}\s*日")
_SHORT_TITLE = 15  # a title line this short may be the second half of a title broken in two
_LOOK_BACK = 4  # non-blank lines searched above a restart for its title
_MAX_TITLE = 60


def _is_title(text: str) -> bool:
    return (
        len(text) <= _MAX_TITLE
        and "\t" not in text
        and match_marker(text) is None
        and not text.endswith(("。", "；", ";", "：", ":", "，"))
        and PLAN_TITLE.search(text) is not None
    )


def _top(text: str) -> int | None:
    """1 for 一、, 2 for 二、 … (the chapter style); None for any other line."""
    marker = match_marker(text)
    return marker.value if marker is not None and marker.style == "chapter" else None


def split_plans(lines: Sequence[str]) -> list[list[str]]:
    """The lines of each plan in a file; one part (all the lines) when the file holds one plan."""
    texts = [ln.strip() for ln in lines]
    nonblank = [i for i, t in enumerate(texts) if t]
    _, toc_start, toc_end = find_toc([texts[i] for i in nonblank])
    toc = set(nonblank[toc_start:toc_end]) if toc_end else set()
    starts = [0]
    highest = 0  # the highest 一、二、… number met since the last start
    for k, i in enumerate(nonblank):
        if i in toc:
            continue
        value = _top(texts[i])
        if value is None:
            continue
        if value == 1 and highest >= 2:
            title_at = _title_above(texts, nonblank, k)
            if title_at is not None and title_at > starts[-1]:
                starts.append(title_at)
                highest = 1
                continue
        highest = max(highest, value)
    parts = [list(lines[a:b]) for a, b in zip(starts, [*starts[1:], len(lines)], strict=True)]
    if len(parts) > 1 and all(_chapters(part) >= 2 for part in parts):
        return parts
    return [list(lines)]


def _title_above(texts: list[str], nonblank: list[int], k: int) -> int | None:
    """Index of the first line of the title block above the restart at nonblank[k], or None."""
    for back in range(1, _LOOK_BACK + 1):
        if k - back < 0:
            return None
        i = nonblank[k - back]
        if _is_title(texts[i]):
            above = nonblank[k - back - 1] if k - back - 1 >= 0 else None
            if above is not None and _title_head(texts[above], texts[i]):
                i = above  # a title broken over two lines: 示例市2024年学前教育 / 提质工作方案
                above = nonblank[k - back - 2] if k - back - 2 >= 0 else None
            if above is not None and _APPENDIX.match(texts[above]):
                return above  # a 附件 mark goes with the title under it
            return i
        if match_marker(texts[i]) is not None:
            return None  # a numbered line between: the restart belongs to the plan above
    return None


def _title_head(line: str, title: str) -> bool:
    """Whether `line` is the first half of a title broken before `title` (both short, no punctuation)."""
    return (
        len(title) <= _SHORT_TITLE
        and 2 <= len(line) <= 30
        and not _PUNCTUATION.search(line)
        and match_marker(line) is None
        and not _APPENDIX.match(line)
        and not _DATE.search(line)
    )


def _chapters(part: Sequence[str]) -> int:
    return len({v for t in part if (v := _top(t.strip())) is not None})


def parse_plans(lines: Sequence[str]) -> list[Plan]:
    """Every plan in a file's lines, in order (one plan for the usual file).

    Later plans take the first plan's cover metadata where they have none; their source lines are
    numbered in the whole file.  When a part cannot be parsed on its own, the file is one plan.
    """
    from eduplan.parsing.errors import ParseError
    from eduplan.parsing.plan import parse_plan

    parts = split_plans(lines)
    if len(parts) == 1:
        return [parse_plan(lines)]
    offset = 0
    notice: Plan | None = None
    if _is_notice(parts[0]):
        # a covering notice numbering its own 一、高度重视 二、… is no plan: only its cover counts
        texts = [t.strip() for t in parts[0] if t.strip()]
        cover = split_cover(texts)
        notice = Plan(
            title="",
            place=find_place(None, cover.issuer, texts),
            issuer=cover.issuer,
            doc_number=cover.doc_number,
            issued_on=cover.issued_on,
        )
        offset, parts = len(parts[0]), parts[1:]
    plans = []
    try:
        for part in parts:
            plans.append(_shifted(parse_plan(part), offset))
            offset += len(part)
    except ParseError:
        return [parse_plan(lines)]
    first = notice or plans[0]
    return [plans[0] if notice is None else _with_cover(plans[0], first)] + [
        _with_cover(plan, first) for plan in plans[1:]
    ]


def _with_cover(plan: Plan, first: Plan) -> Plan:
    """`plan` with the issuer, 文号, date and place of the notice (or first plan) that issued it."""
    return replace(
        plan,
        issuer=plan.issuer or list(first.issuer),
        doc_number=plan.doc_number or first.doc_number,
        issued_on=plan.issued_on or first.issued_on,
        place=first.place or plan.place,  # one issuer for the whole notice
        year=plan.year if plan.year is not None or plan.period or first.year is None else first.year,
    )


def _is_notice(part: Sequence[str]) -> bool:
    """Whether the first part of a file is a covering notice: no plan title above its first 一、."""
    texts = [ln.strip() for ln in part]
    nonblank = [i for i, t in enumerate(texts) if t]
    first = next((k for k, i in enumerate(nonblank) if _top(texts[i]) == 1), None)
    return first is not None and _title_above(texts, nonblank, first) is None


def _shifted(plan: Plan, offset: int) -> Plan:
    """`plan` with its source lines counted from the start of the whole file."""
    if offset:
        for chapter in plan.chapters:
            chapter.line = chapter.line + offset if chapter.line is not None else None
            for task in chapter.items:
                task.line = task.line + offset if task.line is not None else None
                for sub in task.subitems:
                    sub.line = sub.line + offset if sub.line is not None else None
    return plan
