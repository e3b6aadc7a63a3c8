"""A warning before reporting is opened on a plan whose period is already over (开启报送的确认).

Opening a 2023 plan in 2024 creates a whole year of cycles that are overdue the moment they exist:
every unit shows as 缺报 and every light turns red.  That may be wanted (to record a past year's
progress), so it is not refused — the page asks once more (`late_opening` gives the words) and
opens only when staff confirm.  Changing an existing schedule is never asked again.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from eduplan.db.engine import SessionFactory
from eduplan.db.work import ReportingSchedule
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Invalid
from eduplan.services.loop.plans import ScheduleInput, _period
from eduplan.services.tracking.plans import managed_plan
from eduplan.services.tracking.schedule import cycles


def _day(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def late_opening(
    sessions: SessionFactory, actor: Principal, plan_id: int, given: ScheduleInput, today: date
) -> str | None:
    """What to tell staff before opening reporting whose period ended before `today` (None: nothing;
    also None when the input is wrong — `open_plan` says what is wrong with it)."""
    with sessions() as session:
        plan = managed_plan(session, actor, plan_id)
        if session.scalars(select(ReportingSchedule.id).where(ReportingSchedule.plan_id == plan.id)).first():
            return None
        try:
            starts, ends = _period(plan, given)
            every = cycles(given.cycle, given.due_day, starts, ends)
        except Invalid:
            return None
    if ends >= today:
        return None
    overdue = sum(1 for c in every if c.due < today)
    return (
        f"该计划的报送期（{_day(starts)}至{_day(ends)}）已经结束：开启后将一次生成 {len(every)} 期报送，"
        f"其中 {overdue} 期在今天之前就已截止，各责任单位会立即显示为缺报、任务亮红灯。"
        "如确要补录往年进展，请勾选“仍要开启”后再提交；否则请把开始和结束日期改为当前年度。"
    )
