"""Opening a plan for implementation: its reporting schedule, and one work item per task.

`open_plan` (office staff) sets or changes the schedule and brings the work items in line with the
plan's latest version: each new task gets an item with its parsed deadline, its parsed units as
assignments and its targets; items of tasks a revision removed are set inactive (their reports
stay).  Context sections (`Task.kind == "context"`: 发展基础, 指导思想 …) get no item: nobody
reports on background, and it is never lit.  What staff changed on existing items (assignments, deadlines) is never overwritten, so it
is safe to run again after importing a revised version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from sqlalchemy.orm.exc import StaleDataError

from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.reports import ProgressReport
from eduplan.db.tasks import Task
from eduplan.db.work import ItemTarget, ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record, snapshot
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Invalid
from eduplan.services.loop.assign import parsed_assignments
from eduplan.services.loop.life import open_duties
from eduplan.services.loop.locking import check_version, stale
from eduplan.services.tracking import views as v
from eduplan.services.tracking.deadlines import plan_year
from eduplan.services.tracking.items import item_snapshot
from eduplan.services.tracking.plans import active_item_count, managed_plan, schedule_of, schedule_view
from eduplan.services.tracking.rollups import lock_plan
from eduplan.services.tracking.rollups import rebuild as rebuild_rollups
from eduplan.services.tracking.schedule import check_schedule


@dataclass
class ScheduleInput:
    """A schedule as staff give it; the period defaults to the plan's year (or period)."""

    cycle: str
    due_day: int
    starts_on: date | None = None
    ends_on: date | None = None


def write_schedule(
    session: Session,
    actor: Principal,
    plan: Plan,
    schedule: ReportingSchedule | None,
    cycle: str,
    due_day: int,
    starts: date,
    ends: date,
) -> ReportingSchedule:
    """Set a plan's schedule (a new one when `schedule` is None) and record it in the audit log, in
    the caller's transaction; the caller has checked the values and the version."""
    before = schedule_snapshot(schedule) if schedule else None
    if schedule is None:
        schedule = ReportingSchedule(plan_id=plan.id)
        session.add(schedule)
    schedule.cycle, schedule.due_day = cycle, due_day
    schedule.starts_on, schedule.ends_on = starts, ends
    schedule.updated_by, schedule.updated_at = actor.username, utcnow()
    session.flush()
    after = schedule_snapshot(schedule)
    record(session, actor, "schedule", "schedule", schedule.id, None, plan.org_id, before, after)
    return schedule


def schedule_snapshot(s: ReportingSchedule) -> dict[str, object]:
    return snapshot(s, "version", "cycle", "due_day", "starts_on", "ends_on")


def _period(plan: Plan, given: ScheduleInput) -> tuple[date, date]:
    first = plan_year(plan)
    last = plan.period_end or first
    if (given.starts_on is None or given.ends_on is None) and first is None:
        raise Invalid("计划没有年份，请指定报送开始和结束日期")
    starts = given.starts_on or date(first or 0, 1, 1)
    ends = given.ends_on or date(last or 0, 12, 31)
    return starts, ends


def sync_items(session: Session, actor: Principal, plan: Plan) -> int:
    """Create the work items of the latest version's new tasks; (de)activate the others.  Returns
    how many were created."""
    latest = session.scalars(
        select(PlanVersion).where(PlanVersion.plan_id == plan.id).order_by(PlanVersion.number.desc())
    ).first()
    if latest is None:
        return 0
    # context sections (发展基础, 指导思想 …: 背景/说明) are no work: no item, no slots, no light
    tasks = session.scalars(
        select(Task)
        .where(Task.version_id == latest.id, Task.kind != "context")
        .options(selectinload(Task.unit_links), selectinload(Task.targets))
        .order_by(Task.position)
    ).all()
    existing = {
        i.tracked_id: i
        for i in session.scalars(
            select(WorkItem).where(WorkItem.plan_id == plan.id, WorkItem.org_id == plan.org_id)
        )
    }
    current = {t.tracked_id for t in tasks}
    for tracked_id, item in existing.items():
        if item.active != (tracked_id in current):
            item.active = tracked_id in current
            item.updated_by, item.updated_at = actor.username, utcnow()
    made: list[WorkItem] = []
    now = utcnow()
    for task in tasks:
        if task.tracked_id in existing:
            continue
        item = WorkItem(
            tracked_id=task.tracked_id,
            plan_id=plan.id,
            org_id=plan.org_id,
            parent_id=None,
            active=True,
            deadline=task.deadline,
            deadline_source="text" if task.deadline else None,
            deadline_text=None,
            updated_by=actor.username,
            updated_at=now,
        )
        item.assignments = parsed_assignments(list(task.unit_links))
        item.targets = [
            ItemTarget(
                parent_id=None,
                position=k,
                text=t.text,
                subject=t.subject,
                comparator=t.comparator,
                value=t.value,
                value_max=t.value_max,
                unit=t.unit,
                parts=[{"label": p.label, "value": p.value, "unit": p.unit} for p in t.parts],
            )
            for k, t in enumerate(x for x in task.targets if x.kind == "target")
        ]
        session.add(item)
        made.append(item)
    session.flush()
    for item in made:
        open_duties(session, actor, item)  # each unit's part waits for 签收 (issue 14)
        record(session, actor, "open", "item", item.id, item.id, item.org_id, None, item_snapshot(item))
    return len(made)


def _has_reports(session: Session, plan_id: int) -> bool:
    found = session.scalars(
        select(ProgressReport.id)
        .join(WorkItem, ProgressReport.item_id == WorkItem.id)
        .where(WorkItem.plan_id == plan_id)
        .limit(1)
    ).first()
    return found is not None


def open_plan(
    sessions: SessionFactory, actor: Principal, plan_id: int, given: ScheduleInput, version: int | None = None
) -> v.ScheduleView:
    """Set a plan's reporting schedule (a change needs the `version` read) and sync its items."""
    actor.require_manager()
    try:
        with sessions.begin() as session:
            plan = managed_plan(session, actor, plan_id)
            lock_plan(session.connection(), plan.id)  # before any write (`rollups.lock_plan`)
            starts, ends = _period(plan, given)
            check_schedule(given.cycle, given.due_day, starts, ends)
            schedule = session.scalars(
                select(ReportingSchedule).where(ReportingSchedule.plan_id == plan.id)
            ).first()
            if schedule is not None:
                check_version(session, "schedule", schedule.id, version, schedule_snapshot(schedule))
                if (given.cycle, starts) != (schedule.cycle, schedule.starts_on) and _has_reports(
                    session, plan.id
                ):
                    raise Conflict(
                        "已有进展报告按现周期编号，不能再更改报送周期或开始日期（可调整报送日和结束日期）"
                    )
            schedule = write_schedule(
                session, actor, plan, schedule, given.cycle, given.due_day, starts, ends
            )
            created = sync_items(session, actor, plan)
            rebuild_rollups(session.connection(), plan.id)  # the schedule's cycles date every count
            return schedule_view(schedule, active_item_count(session, actor, plan.id), created)
    except StaleDataError:
        with sessions() as session:
            schedule = schedule_of(session, plan_id)
            raise stale(session, "schedule", schedule.id, version, schedule_snapshot(schedule)) from None
