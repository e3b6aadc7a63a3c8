"""How things are written for people: plan parts (shared by the outline, the 台账 and the ledger
import), and dates as Chinese readers write them (2021年3月11日; the pages' filters, the exports and
the services' messages all use these).  Pure: depends on the domain and the choices only.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from eduplan.choices import PLAN_KIND_LABELS as KIND_LABELS
from eduplan.domain import Plan, Target, Task

ZONE = ZoneInfo("Asia/Shanghai")

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


def zh_date(value: date | datetime | str | None, empty: str = "—") -> str:
    """2021年3月11日 (a datetime is shown on its day in Asia/Shanghai)."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        text = value
        try:
            value = datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
        except ValueError:
            return text
    if isinstance(value, datetime):
        value = value.astimezone(ZONE) if value.tzinfo else value
    return f"{value.year}年{value.month}月{value.day}日"


def zh_datetime(value: datetime | str | None, empty: str = "—") -> str:
    """2021年3月11日 14:05 in Asia/Shanghai (naive values are taken as UTC, as stored)."""
    if value is None or value == "":
        return empty
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    local = value.astimezone(ZONE)
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


def example_day(today: date, month: int = 12, day: int = 31) -> str:
    """A date a form's hint shows as an example, in the current year (never a stale one such as
    2024-09-30 read in 2026): ``example_day(today, 9, 30)`` → 2026-09-30."""
    return date(today.year, month, day).isoformat()
