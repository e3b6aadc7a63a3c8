"""Reading a plan opened for implementation: who may follow it (`readable_plan`) or manage it
(`managed_plan`), its reporting schedule and its cycles.  Opening or changing it is `loop.plans`."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan
from eduplan.db.work import ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.registry.visibility import followed_plans
from eduplan.services.tracking import views as v
from eduplan.services.tracking.schedule import cycles
from eduplan.services.tracking.scope import visible_items
from eduplan.services.view_rows import from_row


def cycle_views(s: ReportingSchedule) -> list[v.CycleView]:
    return [from_row(v.CycleView, c) for c in cycles(s.cycle, s.due_day, s.starts_on, s.ends_on)]


def schedule_view(s: ReportingSchedule, items: int, created: int = 0) -> v.ScheduleView:
    return from_row(v.ScheduleView, s, cycles=cycle_views(s), items=items, items_created=created)


def managed_plan(session: Session, actor: Principal, plan_id: int) -> Plan:
    """A plan of the actor's organisation (or below), else `NotFound`."""
    plan = session.get(Plan, plan_id)
    if plan is None or not actor.sees_org(plan.organisation.path):
        raise NotFound(f"找不到计划 {plan_id}")
    return plan


def readable_plan(session: Session, actor: Principal, plan_id: int) -> Plan:
    """A plan whose reporting the actor may follow (`registry.visibility.followed_plans`: one of its
    organisation, or one with an item the actor sees, such as a district's items handed down from a
    city plan), else `NotFound`."""
    memo = session.info.setdefault("readable_plans", {})  # asked again in one session: remembered
    plan = memo.get((id(actor), plan_id))
    if plan is None:
        plan = session.scalars(select(Plan).where(Plan.id == plan_id, followed_plans(actor))).first()
        if plan is None:
            raise NotFound(f"找不到计划 {plan_id}")
        memo[(id(actor), plan_id)] = plan
    return plan  # type: ignore[no-any-return]


def active_item_count(session: Session, actor: Principal, plan_id: int) -> int:
    """How many active items of the plan the actor sees."""
    query = select(func.count()).where(
        WorkItem.plan_id == plan_id, WorkItem.active.is_(True), visible_items(actor)
    )
    return session.scalar(query.select_from(WorkItem)) or 0


def get_schedule(sessions: SessionFactory, actor: Principal, plan_id: int) -> v.ScheduleView:
    """A plan's schedule and cycles; `NotFound` when it has none yet."""
    with sessions() as session:
        return schedule_in(session, actor, plan_id)


def schedule_of(session: Session, plan_id: int) -> ReportingSchedule:
    """The schedule of a plan inside a transaction; `Invalid` when reporting is not open.  Asked again
    in the same session, the one already read is given (the identity map keeps it current)."""
    memo = session.info.setdefault("schedules", {})
    schedule = memo.get(plan_id)
    if schedule is None:
        schedule = session.scalars(
            select(ReportingSchedule).where(ReportingSchedule.plan_id == plan_id)
        ).first()
        if schedule is None:
            raise Invalid("该计划尚未安排报送周期")
        memo[plan_id] = schedule
    return schedule  # type: ignore[no-any-return]


def schedule_in(session: Session, actor: Principal, plan_id: int) -> v.ScheduleView:
    """`get_schedule` inside a session the caller holds (a page reads in one)."""
    plan = readable_plan(session, actor, plan_id)
    schedule = session.scalars(select(ReportingSchedule).where(ReportingSchedule.plan_id == plan.id)).first()
    if schedule is None:
        raise NotFound(f"计划 {plan_id} 尚未安排报送")
    return schedule_view(schedule, active_item_count(session, actor, plan.id))


def plan_cycles(session: Session, plan_id: int) -> list[v.CycleView]:
    """The cycles of a plan open for reporting (none when it is not), from the session's schedule."""
    try:
        s = schedule_of(session, plan_id)
    except Invalid:
        return []
    return [
        v.CycleView(index=c.index, start=c.start, end=c.end, due=c.due)
        for c in cycles(s.cycle, s.due_day, s.starts_on, s.ends_on)
    ]
