"""Deadlines staff type: an ISO date (2024-09-30) or Chinese words (年内, 上半年, 第三季度, 9月底前,
10月15日前) read by the parser's own rules in the plan's year; the day is a calendar day in the
plan's zone (Asia/Shanghai), which is how `today` is compared with it.

Words that only make sense from the present (下周五, 月底前, 下月底) are read from today whatever
the plan's year.  `upcoming_deadline` (an extension, issue 14) reads every word from today: "12月15日前"
is the next 12月15日 to come.  Rules in `parsing.relative_dates`."""

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
        raise Invalid(f"无法识别完成时限“{words}”（可写 {year}-09-30、9月底前、第三季度、年内）")
    return found


def upcoming_deadline(text: str, today: date) -> date:
    """The next date the words name from `today` (下周五, 月底前, 12月15日前, 2025-01-10)."""
    from eduplan.parsing.relative_dates import next_such_date, relative_day

    words = text.strip()
    relative = relative_day(words, today)
    if relative is not None:
        return relative
    return next_such_date(read_deadline(words, today.year), words, today)


def resolve_deadline(
    session: Session, plan_id: int, given: date | str, today: date | None = None
) -> tuple[date, str | None]:
    """The day and, when given as words, the words (下周五 and 月底前 from `today`, default: today
    in Asia/Shanghai)."""
    from eduplan.parsing.relative_dates import relative_day
    from eduplan.services.clock import today as clock_today

    if isinstance(given, date):
        return given, None
    relative = relative_day(given, today or clock_today("Asia/Shanghai"))
    if relative is not None:
        return relative, given.strip()
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"找不到计划 {plan_id}")
    return read_deadline(given, plan_year(plan)), given.strip()
