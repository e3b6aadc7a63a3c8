"""The cells of a 台账 read as people write them.  Pure: no I/O.

- A progress cell (进展情况) becomes one report per unit: lines that start with the name of one of
  the task's units (``基础教育科：…``) are that unit's; the rest is the default unit's (the lead).
  eduplan's own export writes ``基础教育科（第4期，已通过，推进中 70%）：…`` — the period, review
  state, status and percent in brackets — and ``基础教育科：尚未报送`` for nothing reported.
- Status and percent "where stated": the bracket above, a status word (已完成, 未启动, 受阻), or a
  percent after 完成/进度 (完成进度70%); otherwise 推进中 with no percent.  A lone percent
  column (完成进度) may be a fraction of 1 (0.7, as Excel stores 70%).
- A target line (量化目标) ``普惠性幼儿园覆盖率≥85%`` is read by the target parser, its sign
  (≥ ≤ 约) kept as the comparator; an actuals line (目标完成情况) ``新增学位3200个：已完成 3000个``.
- A ledger title ``2024年某市教育工作要点 工作台账（截至2024年5月10日）`` gives the plan's title
  and the ledger's date.
Limits: a unit named in the text but not among the task's units is text, not a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from eduplan.domain import Target
from eduplan.parsing.targets import find_targets

STATUS_WORDS = {"未启动": "not_started", "推进中": "in_progress", "已完成": "done", "受阻": "blocked"}
"""The status labels (as `value_rules.PROGRESS_LABELS`, read back)."""
STATE_WORDS = {"已通过": "accepted", "已报送": "submitted"}
_HEAD = re.compile(r"^第\s*([0-9]+)\s*期$")
_UNIT_LINE = re.compile(
    r"^(?P<unit>[^：:（(\n]{2,40}?)\s*(?:[（(](?P<head>[^）)]*)[）)])?\s*[：:]\s*(?P<text>.*)$"
)
_STATED_PERCENT = re.compile(
    r"(?:完成进度|工作进度|总体进度|进度|完成比例|完成率|完成了?|已完成)\s*(?:为|达|达到|约)?\s*"
    r"([0-9]+(?:\.[0-9]+)?)\s*[%％]"
)
_PERCENT_CELL = re.compile(r"^([0-9]+(?:\.[0-9]+)?)\s*([%％]?)$")
_DONE = re.compile(
    r"(?:^|[，。；,;\s])(?:已全部完成|已全面完成|已按期完成|已圆满完成|任务已完成|已完成|全部完成)(?:[。；;，,！!]|$)"
)
_NOT_STARTED = re.compile(r"未启动|尚未启动|尚未开展|未开展")
_BLOCKED = re.compile(r"受阻|停滞|暂停|无法推进")
_NOTHING = ("尚未报送", "未报送", "无", "暂无", "/", "-", "—")
_AS_OF = re.compile(
    r"[（(]?截[至止]\s*((?:19|20)[0-9]{2})\s*年\s*([0-9]{1,2})\s*月\s*([0-9]{1,2})\s*日[）)]?"
)
_TITLE_TAIL = re.compile(
    r"[\s—\-]*(?:重点)?(?:工作|任务|推进|落实|进展)?(?:台账|推进情况表|进展情况表|落实情况表|推进表|进度表|清单)$"
)
_SIGNS = {"≥": ">=", "≤": "<=", "约": "≈"}
_ACTUAL = re.compile(r"^(?P<text>.+?)[：:]\s*已完成\s*(?P<value>-?[0-9]+(?:\.[0-9]+)?)")


@dataclass
class UnitText:
    """What one unit (None: the task's default unit) reported in one progress cell."""

    unit: str | None
    text: str
    progress: str
    percent: float | None
    state: str
    cycle: int | None = None
    """The period written in eduplan's own export (第4期 → 3), else None."""


def clean_title(title: str) -> tuple[str, date | None]:
    """The plan title of a ledger title row, and the date it is "as of" (截至…), if given."""
    as_of = None
    if m := _AS_OF.search(title):
        try:
            as_of = date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            as_of = None
        title = title.replace(m.group(0), "")
    title = _TITLE_TAIL.sub("", title.strip()).strip()
    return title, as_of


def status_of(text: str) -> tuple[str, float | None]:
    """The status and percent a narrative states (推进中 and None when it states neither)."""
    stated = _STATED_PERCENT.search(text)
    percent = float(stated.group(1)) if stated else None
    if percent is not None and percent > 100:
        percent = None  # 完成率达到120% speaks of a target, not of the work
    if percent == 100 or (percent is None and _DONE.search(text)):
        return "done", 100.0
    if _BLOCKED.search(text):
        return "blocked", percent
    if _NOT_STARTED.search(text) and percent is None:
        return "not_started", 0.0
    return "in_progress", percent


def _head(head: str) -> tuple[int | None, str | None, str | None, float | None]:
    """(cycle, state, status, percent) of eduplan's ``第4期，已通过，推进中 70%``."""
    cycle = state = status = None
    percent = None
    for part in re.split(r"[，,]\s*", head):
        part = part.strip()
        if m := _HEAD.match(part):
            cycle = int(m.group(1)) - 1
        elif part in STATE_WORDS:
            state = STATE_WORDS[part]
        elif (word := part.split(" ")[0]) in STATUS_WORDS:
            status = STATUS_WORDS[word]
            if m := re.search(r"([0-9]+(?:\.[0-9]+)?)\s*%", part):
                percent = float(m.group(1))
    return cycle, state, status, percent


def split_units(cell: str, units: list[str]) -> list[UnitText]:
    """The reports of one progress cell: one per unit named at a line's start, the rest for the
    default unit (None); nothing for 尚未报送 or an empty cell."""
    known = {u.strip() for u in units if u.strip()}
    parts: list[tuple[str | None, str | None, list[str]]] = []
    for line in cell.split("\n"):
        m = _UNIT_LINE.match(line.strip())
        if m is not None and m.group("unit").strip() in known:
            parts.append((m.group("unit").strip(), m.group("head"), [m.group("text").strip()]))
        elif parts:
            parts[-1][2].append(line)
        else:
            parts.append((None, None, [line]))
    out: list[UnitText] = []
    for unit, head, lines in parts:
        text = "\n".join(lines).strip()
        if (not text and head is None) or text in _NOTHING:
            continue
        progress, percent = status_of(text)
        state, cycle = "accepted", None
        if head is not None:
            cycle, stated_state, stated_status, stated_percent = _head(head)
            state = stated_state or state
            if stated_status is not None:
                progress, percent = stated_status, stated_percent
            elif head.strip():
                text = f"（{head}）{text}"  # a bracket that is no eduplan head belongs to the text
        out.append(UnitText(unit, text, progress, percent, state, cycle))
    return out


def percent_cell(cell: str) -> float | None:
    """A percent column's value: ``70%``, ``70`` or Excel's 0.7; None when empty.  Raises
    ValueError with the reason when the cell is not a percent in 0–100."""
    text = cell.strip().replace("％", "%")
    if not text or text in _NOTHING:
        return None
    m = _PERCENT_CELL.match(text)
    if m is None:
        raise ValueError(f"完成进度“{cell}”不是百分数（应为 0–100 或 70%）")
    value = float(m.group(1))
    if not m.group(2) and value <= 1 and "." in m.group(1):
        value *= 100  # Excel keeps 70% as 0.7
    if not 0 <= value <= 100:
        raise ValueError(f"完成进度“{cell}”超出 0–100")
    return round(value, 4)


def status_cell(cell: str) -> str | None:
    """A status column's value (未启动/推进中/已完成/受阻 and common variants); None when empty.
    Raises ValueError naming the words it knows."""
    text = cell.strip()
    if not text:
        return None
    for word, code in (
        ("完成", "done"),
        ("未启动", "not_started"),
        ("未开始", "not_started"),
        ("受阻", "blocked"),
        ("滞后", "in_progress"),
        ("推进", "in_progress"),
        ("进行", "in_progress"),
        ("正常", "in_progress"),
    ):
        if word in text and not (word == "完成" and "未完成" in text):
            return code
    if "未完成" in text:
        return "in_progress"
    raise ValueError(f"进展状态“{cell}”无法识别（可写：{'、'.join(STATUS_WORDS)}）")


def target_lines(cell: str) -> list[Target]:
    """The targets of a 量化目标 cell, one line (or ；-separated part) at a time."""
    out: list[Target] = []
    for line in re.split(r"[\n；;]", cell):
        line = line.strip()
        if not line:
            continue
        for t in find_targets(line):
            for sign, comparator in _SIGNS.items():
                if t.subject.endswith(sign):
                    t.subject, t.comparator = t.subject.removesuffix(sign).strip(), comparator  # type: ignore[assignment]
            t.subject = t.subject.removesuffix("介于").strip()
            out.append(t)
    return out


def actual_lines(cell: str) -> list[tuple[str, float]]:
    """(target words, actual) of a 目标完成情况 cell: ``新增学位3200个：已完成 3000个`` →
    (``新增学位3200个``, 3000)."""
    out = []
    for line in cell.split("\n"):
        if m := _ACTUAL.match(line.strip()):
            out.append((m.group("text").strip(), float(m.group("value"))))
    return out
