"""Reporting cycles (报送周期) of a plan, computed from its schedule: nothing per cycle is stored.

- ``weekly`` (周报): Monday–Sunday weeks; `due_day` is the weekday (1 = Monday … 7 = Sunday) of
  the week by which the report is due.
- ``biweekly`` (双周报): two-week periods from the Monday of the start; due on `due_day` (a weekday)
  of the second week.
- ``monthly`` (月报): calendar months, due on day `due_day` of the month (the last day when the
  month is shorter).
- ``quarterly`` (季报): calendar quarters, due on day `due_day` of the quarter's last month (the
  sample plan's 每季度最后一个月的25日前 is ``quarterly`` with due day 25).

Cycles run from the one containing `starts_on` to the one containing `ends_on`, numbered from 0.
A report is on time when first submitted on or before its cycle's due date (in the plan's zone).

Open-ended schedules (常态化工作, a duty that recurs without an end date): the schedule's `ends_on` is
a horizon, `open_horizon(today)`, moved on as time passes, so that every cycle exists before it falls
due; an item's occurrences are its cycles from the day it was given up to the current one
(`occurrences`), each a report slot tracked like any cycle (reported / 缺报).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from eduplan.choices import CYCLE_LABELS as CYCLE_LABELS
from eduplan.services.errors import Invalid


@dataclass(frozen=True, kw_only=True)
class Cycle:
    """One reporting period and the day its reports are due."""

    index: int
    start: date
    end: date
    due: date


def check_schedule(kind: str, due_day: int, starts_on: date, ends_on: date) -> None:
    """Refuse an unknown cycle, a due day it cannot have, or an empty period."""
    if kind not in CYCLE_LABELS:
        raise Invalid(f"未知的报送周期 {kind}（可选：{'、'.join(CYCLE_LABELS)}）")
    if kind in ("weekly", "biweekly") and not 1 <= due_day <= 7:
        raise Invalid("周报、双周报的报送日是星期几（1–7）")
    if kind in ("monthly", "quarterly") and not 1 <= due_day <= 31:
        raise Invalid("月报、季报的报送日是几号（1–31）")
    if ends_on < starts_on:
        raise Invalid("报送结束日期不能早于开始日期")


def _day_of(year: int, month: int, day: int) -> date:
    return date(year, month, min(day, calendar.monthrange(year, month)[1]))


def _next_month(d: date, months: int) -> date:
    m = d.month - 1 + months
    return date(d.year + m // 12, m % 12 + 1, 1)


def cycles(kind: str, due_day: int, starts_on: date, ends_on: date) -> list[Cycle]:
    """Every cycle of a schedule, in order."""
    check_schedule(kind, due_day, starts_on, ends_on)
    out: list[Cycle] = []
    if kind in ("weekly", "biweekly"):
        weeks = 1 if kind == "weekly" else 2
        start = starts_on - timedelta(days=starts_on.weekday())
        while start <= ends_on:
            end = start + timedelta(days=7 * weeks - 1)
            due = start + timedelta(days=7 * (weeks - 1) + due_day - 1)
            out.append(Cycle(index=len(out), start=start, end=end, due=due))
            start = end + timedelta(days=1)
        return out
    months = 1 if kind == "monthly" else 3
    first_month = starts_on.month if months == 1 else 3 * ((starts_on.month - 1) // 3) + 1
    start = date(starts_on.year, first_month, 1)
    while start <= ends_on:
        following = _next_month(start, months)
        end = following - timedelta(days=1)
        out.append(Cycle(index=len(out), start=start, end=end, due=_day_of(end.year, end.month, due_day)))
        start = following
    return out


def cycle_at(all_cycles: list[Cycle], day: date) -> Cycle | None:
    """The cycle a day falls in, if any."""
    return next((c for c in all_cycles if c.start <= day <= c.end), None)


def due_end(c: Cycle, zone: ZoneInfo) -> float:
    """The first moment after a cycle's due day ends in the plan's zone, in Unix seconds."""
    return datetime.combine(c.due + timedelta(days=1), time(0), zone).timestamp()


def due_cycles(all_cycles: list[Cycle], today: date) -> list[Cycle]:
    """Cycles whose due date has passed: a report missing for one of them is missing."""
    return [c for c in all_cycles if c.due < today]


def current_cycle(all_cycles: list[Cycle], on: date) -> Cycle | None:
    """The cycle containing `on`; the last cycle after the period; None before it starts."""
    started = [c for c in all_cycles if c.start <= on]
    return started[-1] if started else None


RECURRENCE_DUE_DAY = {"weekly": 5, "monthly": 25, "quarterly": 25}
"""The day a recurring duty's occurrence is due by: Friday of the week, the 25th of the month or of
the quarter's last month (as the sample plan's 季报)."""


def open_horizon(today: date) -> date:
    """Where an open-ended schedule ends on `today`: the end of next year (a year or more ahead)."""
    return date(today.year + 1, 12, 31)


def occurrences(all_cycles: list[Cycle], since: date, today: date) -> list[Cycle]:
    """The occurrences of a duty given on `since`: its cycles due on or after that day (as
    `levels.counted_cycles` counts them) that have begun by `today`."""
    return [c for c in all_cycles if c.due >= since and c.start <= today]
