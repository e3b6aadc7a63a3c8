"""Status rules (红黄绿灯): how a task's colour follows from time and reports.  Pure functions; the
two thresholds come from `Settings` (``status_amber_lag``, ``status_red_lag``).

1. Expected progress (序时进度) is the share of the time from the schedule's start — or, for a 交办事项
   given by hand (an item with a `received_on` and no parent), the day it was given when later — to
   the task's deadline that has elapsed, in percent (0 before the start, 100 from the deadline on).
   (A task handed down still counts from the schedule's start here; only its cycles count from the day
   it was received.)
2. Reported progress is the mean, over the units assigned to the task, of the percent in each
   unit's latest submitted or accepted report (a unit that has reported nothing counts 0).
3. Target achievement is, over the task's targets with a reported actual value (the highest any
   unit reported), the lowest ratio of actual to target (inverted for "不超过" targets), in percent
   and capped at 100.  When there is one, progress is the lower of 2 and 3.
4. Lag = expected − progress.
5. Done (every unit reports 已完成, or every unit's part is 办结): green.  Otherwise past the deadline: red (overdue).
   Otherwise lag ≥ red threshold: red; lag ≥ amber threshold: amber; else green.
6. A unit reporting 受阻 (blocked), or a report missing for the latest due cycle, makes a green task
   amber: the reason is listed either way.  A unit owes a cycle's report only when the cycle falls
   due on or after the day the task was received (`owes_cycle`), so a task just given is not
   flagged for a cycle that fell due before it (the task page and the dashboard alike).
7. An open 督办 (red urge), or an urge left unanswered past its date, makes a green task amber.
8. A rectification (整改) past its deadline and not signed off (销号) makes a green task amber.
0. Lights start when a unit has the task: a task with no assigned unit yet is ``none`` (待分工),
   never red for lack of reports (`status`, `dashboard_query`).
9. A task handed down (下发) takes, for 2, the progress rolled up from its children and, for its
   colour, the worst of its own and theirs (`levels`: the weights and the wording).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Colour = Literal["green", "amber", "red", "none"]
"""``none``: 待分工 — no unit has the task yet, so it is not judged (issue 14)."""
UPPER_BOUND = ("<=",)


@dataclass(frozen=True, kw_only=True)
class Thresholds:
    """Points behind 序时进度 at which a task turns amber, then red."""

    amber_lag: float = 10.0
    red_lag: float = 25.0


@dataclass(kw_only=True)
class Judgement:
    """A task's colour and why."""

    colour: Colour
    expected: float
    progress: float
    lag: float
    overdue: bool
    reasons: list[str] = field(default_factory=list)


def progress_start(schedule_start: date, received_on: date | None, parent_id: int | None = None) -> date:
    """Where 序时进度 starts: the schedule's start, or the day a 交办事项 was given when later."""
    return max(schedule_start, received_on) if received_on and parent_id is None else schedule_start


def owes_cycle(due_on: date, received_on: date | None) -> bool:
    """Whether a report is owed for a cycle due on `due_on` by a task received on `received_on`
    (None: it was there from the schedule's start): only cycles due on or after that day.  The
    dashboard's SQL twin is `dashboard_query.owes_cycle_sql`."""
    return received_on is None or due_on >= received_on


def expected_progress(start: date, deadline: date, today: date) -> float:
    """序时进度 in percent, one decimal."""
    if today >= deadline:
        return 100.0
    if today <= start:
        return 0.0
    return round(100.0 * (today - start).days / (deadline - start).days, 1)


def achievement(comparator: str, target: float, actual: float) -> float:
    """How far an actual value meets a target, as a ratio capped at 1."""
    if comparator in UPPER_BOUND:
        ratio = 1.0 if actual <= target else (target / actual if actual else 1.0)
    else:
        ratio = actual / target if target else 1.0
    return max(0.0, min(1.0, ratio))


def judge(
    expected: float,
    reported: float,
    achieved: float | None,
    *,
    done: bool,
    overdue: bool,
    blocked: bool,
    missing: bool,
    thresholds: Thresholds,
    supervised: tuple[bool, bool, int] = (False, False, 0),
) -> Judgement:
    """The colour of a task by rules 4–8 (progress values in percent); `supervised` is (an open red
    urge, an urge unanswered past its date, how many rectifications are overdue)."""
    progress = reported if achieved is None else min(reported, achieved)
    progress = round(progress, 1)
    lag = round(expected - progress, 1)
    reasons: list[str] = []
    if achieved is not None and achieved < reported:
        reasons.append(f"目标完成 {achieved:.0f}%，低于报送进度 {reported:.0f}%")
    if done:
        return Judgement(
            colour="green", expected=expected, progress=progress, lag=lag, overdue=False, reasons=["已完成"]
        )
    colour: Colour = "green"
    if overdue:
        colour = "red"
        reasons.append("已超过完成时限")
    elif lag >= thresholds.red_lag:
        colour = "red"
        reasons.append(f"落后序时进度 {lag:.0f} 个百分点")
    elif lag >= thresholds.amber_lag:
        colour = "amber"
        reasons.append(f"落后序时进度 {lag:.0f} 个百分点")
    if blocked:
        reasons.append("有单位报告受阻")
    if missing:
        reasons.append("最近一期有单位未报送")
    red_urge, late_answer, late_fixes = supervised
    if red_urge:
        reasons.append("督办中")
    if late_answer:
        reasons.append("督办逾期未答复")
    if late_fixes:
        reasons.append(f"{late_fixes} 项整改逾期未销号")
    if colour == "green" and (blocked or missing or red_urge or late_answer or late_fixes):
        colour = "amber"
    return Judgement(
        colour=colour, expected=expected, progress=progress, lag=lag, overdue=overdue, reasons=reasons
    )
