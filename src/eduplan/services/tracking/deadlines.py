"""Deadlines staff type: an ISO date (2024-09-30) or Chinese words (年内, 上半年, 第三季度, 9月底前,
10月15日前) read by the parser's own rules in the plan's year; the day is a calendar day in the
plan's zone (Asia/Shanghai), which is how `today` is compared with it."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from eduplan.db.plans import Plan
from eduplan.services.errors import Invalid, NotFound


def plan_year(plan: Plan) -> int | None:
    """The year relative deadlines are read in: the plan's year, else its period's first year."""
    return plan.year or plan.period_start


def read_deadline(text: str, year: int | None) -> date:
    """A date from an ISO date or Chinese words; `Invalid` when neither reads."""
    from eduplan.parsing.deadlines import find_deadline

    words = text.strip()
    try:
        return date.fromisoformat(words)
    except ValueError:
        pass
    found = find_deadline(words, year) or find_deadline(words, year, field=True)
    if found is None:
        raise Invalid(f"无法识别完成时限“{words}”（可写 2024-09-30、9月底前、第三季度、年内）")
    return found


def resolve_deadline(session: Session, plan_id: int, given: date | str) -> tuple[date, str | None]:
    """The day and, when given as words, the words."""
    if isinstance(given, date):
        return given, None
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"找不到计划 {plan_id}")
    return read_deadline(given, plan_year(plan)), given.strip()
