"""How plan parts are labelled for people, shared by the outline and the 台账 (ledger).

Kept in one place so that the terminal outline and the xlsx say the same thing the same way.
"""

from __future__ import annotations

from datetime import date

from eduplan.choices import PLAN_KIND_LABELS as KIND_LABELS
from eduplan.domain import Plan, Target, Task

_COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "≈": "≈"}


def chapter_label(number: str, title: str) -> str:
    """`一、title` — chapters are written with 、 after their numeral."""
    return f"{number}、{title}" if number else title


def item_label(number: str | None, title: str) -> str:
    """`1. title` for arabic numbers, `（一）title` for Chinese numerals, as plans write them."""
    if not number:
        return title
    if number.isdigit():
        return f"{number}. {title}"
    return f"（{number}）{title}"


def chinese_date(day: date) -> str:
    """2024-06-30 → 2024年6月30日."""
    return f"{day.year}年{day.month}月{day.day}日"


def target_text(target: Target) -> str:
    """The words a target was read from, or a reconstruction when the span is missing."""
    if target.text:
        return target.text
    sign = _COMPARATOR_SIGNS.get(target.comparator, "")
    value = _number(target.value)
    if target.comparator == "between" and target.value_max is not None:
        value = f"{value}–{_number(target.value_max)}"
    return f"{target.subject}{sign}{value}{target.unit}"


def units_text(task: Task, sep: str = "、") -> str:
    """Responsible units (责任单位) as one string, 牵头/配合 told apart when the plan does."""
    if task.lead_units or task.support_units:
        parts = []
        if task.lead_units:
            parts.append("牵头：" + sep.join(task.lead_units))
        if task.support_units:
            parts.append("配合：" + sep.join(task.support_units))
        return "；".join(parts)
    return sep.join(task.units)


def plan_facts(plan: Plan) -> list[str]:
    """The plan's metadata as short `label：value` strings (place, kind, year or period, 文号 …)."""
    facts = [plan.place or "（地区未识别）", KIND_LABELS.get(plan.kind, plan.kind)]
    if plan.year is not None:
        facts.append(f"{plan.year}年")
    if plan.period is not None:
        facts.append(f"{plan.period[0]}—{plan.period[1]}年")
    if plan.doc_number:
        facts.append(f"文号：{plan.doc_number}")
    if plan.issued_on:
        facts.append(f"印发：{chinese_date(plan.issued_on)}")
    return facts


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
