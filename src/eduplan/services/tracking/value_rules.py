"""The checks on what a report says (one home for the web form, the API and any upload).

Pure: every function here takes plain values and returns messages, so the report service, the form's
first pass and a future Excel upload give the same answer.  Two kinds of findings:

- **errors** stop the save: a status and percent that contradict each other; a percent (unit % or a
  subject such as 覆盖率/比例) outside 0–100 unless the target itself is above 100; a count or an amount
  of money below zero; a fraction where the unit counts things (所/个/名…); a cumulative target's
  actual (新增/建成… or a unit that counts things) below the last accepted value, unless the narrative
  says why (核减、更正…);
- **warnings** let the save through and are shown to the reviewer: an actual more than three times
  the last accepted value or the target, or outside the plausible range the office set (min–max).

A target whose comparator is an upper bound (``<=``: 大班额控制在 0 个) is not cumulative: it is meant
to go down.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Protocol

from eduplan.choices import PROGRESS_LABELS as PROGRESS_LABELS

PERCENT_UNITS = ("%", "％", "百分点")
PERCENT_WORDS = ("率", "比例", "占比", "覆盖率")
WHOLE_UNITS = ("所", "个", "名", "人", "家", "项", "门", "座", "间")
COUNT_UNITS = (*WHOLE_UNITS, "人次", "次", "册", "台", "套", "期", "场", "批", "件", "篇", "本", "处", "支")
MONEY_UNITS = ("元", "万元", "亿元", "千元", "百万元")
CUMULATIVE_WORDS = ("累计", "新增", "新建", "建成", "改扩建", "新改扩建", "创建", "培育", "认定", "完成")
DECREASE_WORDS = (
    "核减",
    "调减",
    "更正",
    "纠正",
    "调整",
    "下降",
    "减少",
    "撤并",
    "注销",
    "停办",
    "口径",
    "重复统计",
)
JUMP = 3.0
"""An actual above this many times the last accepted value or the target is a warning."""


@dataclass(frozen=True, kw_only=True)
class TargetFacts:
    """What the rules need to know of a target (量化目标)."""

    id: int
    subject: str
    unit: str
    value: float
    comparator: str = ">="
    value_max: float | None = None
    low: float | None = None
    high: float | None = None
    """The office's plausible range (either end may be open)."""

    @classmethod
    def of(cls, t: StoredTarget) -> TargetFacts:
        """The facts of a task's target as stored (an `ItemTarget` or its view)."""
        return cls(
            id=t.id,
            subject=t.subject,
            unit=t.unit,
            value=t.value,
            comparator=t.comparator,
            value_max=t.value_max,
            low=t.plausible_min,
            high=t.plausible_max,
        )


class StoredTarget(Protocol):
    """A task's target as the database or a view holds it."""

    @property
    def id(self) -> int: ...
    @property
    def subject(self) -> str: ...
    @property
    def unit(self) -> str: ...
    @property
    def value(self) -> float: ...
    @property
    def comparator(self) -> str: ...
    @property
    def value_max(self) -> float | None: ...
    @property
    def plausible_min(self) -> float | None: ...
    @property
    def plausible_max(self) -> float | None: ...


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem with one target's actual: an error stops the save, a warning is shown."""

    target_id: int
    level: Literal["error", "warning"]
    message: str


DEFAULT_PERCENT = {"not_started": 0.0, "done": 100.0}
"""The percent a status implies when none is given (a form's empty box)."""


def status_problems(progress: str, percent: float | None) -> dict[str, str]:
    """The status and percent of a report checked together (field → message; empty when fine);
    the one home of this rule for the API, the forms and every other caller.  `percent` None: not
    given, which only a status that implies one (`DEFAULT_PERCENT`) allows."""
    if not progress:
        return {"progress": "请选择状态"}
    if progress not in PROGRESS_LABELS:
        return {"progress": f"未知进展状态 {progress}（可选：{'、'.join(PROGRESS_LABELS)}）"}
    if percent is None:
        percent = DEFAULT_PERCENT.get(progress)
        if percent is None:
            return {"percent": "请填写完成百分比（0–100）"}
    if not 0 <= percent <= 100:
        return {"percent": "完成百分比须在 0 到 100 之间"}
    if progress == "done" and percent != 100:
        return {"percent": "状态为已完成时，完成百分比应为 100"}
    if progress == "not_started" and percent != 0:
        return {"percent": "状态为未启动时，完成百分比应为 0"}
    return {}


def is_percent(t: TargetFacts) -> bool:
    unit = t.unit.strip()
    if unit in PERCENT_UNITS:
        return True
    return unit not in COUNT_UNITS + MONEY_UNITS and any(w in t.subject for w in PERCENT_WORDS)


def is_whole(t: TargetFacts) -> bool:
    return t.unit.strip() in WHOLE_UNITS


def is_count(t: TargetFacts) -> bool:
    return t.unit.strip() in COUNT_UNITS


def is_money(t: TargetFacts) -> bool:
    return t.unit.strip() in MONEY_UNITS


def is_cumulative(t: TargetFacts) -> bool:
    """Whether the actual only grows over the year: 新增/建成… or a count of things, not a bound."""
    if t.comparator == "<=" or is_percent(t):
        return False
    return is_count(t) or any(w in t.subject for w in CUMULATIVE_WORDS)


def explains_decrease(narrative: str) -> bool:
    """Whether a narrative says why a cumulative value went down (核减、更正、撤并…)."""
    return any(w in narrative for w in DECREASE_WORDS)


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def check_value(t: TargetFacts, actual: float, previous: float | None, narrative: str = "") -> list[Finding]:
    """The findings on one target's actual, given its last accepted value (`previous`)."""
    name = f"「{t.subject or t.unit or '目标'}」"
    errors: list[str] = []
    top = max(t.value, t.value_max or 0)
    if is_percent(t):
        if actual < 0 or (actual > 100 and top <= 100):
            errors.append(f"{name}是百分比，须在 0 到 100 之间（填写的是 {_num(actual)}）")
    elif (is_count(t) or is_money(t) or is_cumulative(t)) and actual < 0:
        errors.append(f"{name}不能为负数（填写的是 {_num(actual)}）")
    if is_whole(t) and not float(actual).is_integer():
        errors.append(f"{name}以“{t.unit}”计，须为整数（填写的是 {_num(actual)}）")
    if previous is not None and is_cumulative(t) and actual < previous and not explains_decrease(narrative):
        errors.append(
            f"{name}为累计数，不应低于上次审核通过的 {_num(previous)}{t.unit}"
            f"（填写的是 {_num(actual)}）；如确需核减，请在进展说明中写明原因（如“核减”“更正”）"
        )
    if errors:
        return [Finding(target_id=t.id, level="error", message="；".join(errors))]
    warnings = []
    if (t.low is not None and actual < t.low) or (t.high is not None and actual > t.high):
        bounds = f"{_num(t.low) if t.low is not None else ''}–{_num(t.high) if t.high is not None else ''}"
        warnings.append(f"{name}为 {_num(actual)}{t.unit}，超出办公室设定的合理范围 {bounds}，请核实")
    if previous is not None and previous > 0 and actual > JUMP * previous:
        warnings.append(
            f"{name}为 {_num(actual)}{t.unit}，超过上次审核通过值 {_num(previous)} 的 {JUMP:g} 倍，请核实"
        )
    elif top > 0 and actual > JUMP * top:
        warnings.append(f"{name}为 {_num(actual)}{t.unit}，超过目标值 {_num(top)} 的 {JUMP:g} 倍，请核实")
    return [Finding(target_id=t.id, level="warning", message=w) for w in warnings]


def check_values(
    targets: list[TargetFacts], values: dict[int, float], previous: dict[int, float], narrative: str = ""
) -> list[Finding]:
    """The findings on a report's actuals (target id → value), in the targets' order."""
    out: list[Finding] = []
    for t in targets:
        if t.id in values:
            out += check_value(t, float(values[t.id]), previous.get(t.id), narrative)
    return out
