"""我的任务: what a unit's reporter has to report, and what office staff have to review.

For a reporter, every active item its unit is assigned to gives one slot per plan cycle that is
"current" on day `on` — the cycle containing `on`, or, once the plan's reporting period is over,
its last cycle (nothing before the first cycle starts).  Earlier cycles whose report was returned
or left as a draft are listed too (they still need the unit), and the number of earlier due cycles
never filed is counted.  Returned reports come first, then overdue ones, then the rest.

For office staff, the reports submitted and waiting for review (通过/退回) in their scope.
A handful of queries per page, whatever the number of items (no per-item queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.work import ReportingSchedule, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import as_utc
from eduplan.services.tracking import views as v
from eduplan.services.tracking.items import latest_tasks, list_items
from eduplan.services.tracking.my_counts import MissedCycle, slot_counts
from eduplan.services.tracking.reports import report_view
from eduplan.services.tracking.schedule import current_cycle, cycles
from eduplan.services.tracking.scope import visible_items
from eduplan.services.view_rows import from_row

FILED = ("submitted", "accepted", "returned")


@dataclass(kw_only=True)
class MySlot(v.ItemLabel):
    """One report a unit owes: an item in one cycle, and the report so far (None: not begun)."""

    deadline: date | None
    cycle: int
    cycle_start: date
    cycle_end: date
    due: date
    state: str
    """missing (not begun), draft, submitted, returned or accepted."""
    overdue: bool
    editable: bool
    missed_before: int
    targets: list[v.ItemTargetView]
    report: v.ReportView | None
    missed: list[MissedCycle] = field(default_factory=list)
    """The earlier due cycles never filed (`missed_before` of them), each with its 补报 link's day."""


@dataclass(kw_only=True)
class ReviewSlot(v.ItemRef):
    """A submitted report waiting for office staff."""

    report_id: int
    unit_name: str
    cycle: int
    submitted_at: datetime | None
    updated_by: str


@dataclass(kw_only=True)
class MyWork:
    """The 我的任务 page's data."""

    role: str
    unit_id: int | None
    unit_name: str
    on: date
    slots: list[MySlot] = field(default_factory=list)
    to_review: list[ReviewSlot] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)


def _order(slot: MySlot) -> tuple[int, int, int, int]:
    rank = 0 if slot.state == "returned" else 1 if slot.overdue else 2
    return (rank, slot.plan_id, slot.cycle, slot.item_id)


def _reporter_slots(sessions: SessionFactory, actor: Principal, on: date) -> list[MySlot]:
    items = [i for i in list_items(sessions, actor, unit_id=actor.unit_id) if i.active]
    items = [i for i in items if any(a.unit_id == actor.unit_id for a in i.assignments)]
    if not items:
        return []
    plan_ids = {i.plan_id for i in items}
    with sessions() as session:
        schedules = {
            s.plan_id: cycles(s.cycle, s.due_day, s.starts_on, s.ends_on)
            for s in session.scalars(select(ReportingSchedule).where(ReportingSchedule.plan_id.in_(plan_ids)))
        }
        titles = dict(session.execute(select(Plan.id, Plan.title).where(Plan.id.in_(plan_ids))).all())
        unit = session.get(Unit, actor.unit_id)
        rows = session.scalars(
            select(ProgressReport)
            .where(ProgressReport.item_id.in_([i.id for i in items]), ProgressReport.unit_id == actor.unit_id)
            .options(selectinload(ProgressReport.values), selectinload(ProgressReport.evidence))
        ).all()
        reports = {(r.item_id, r.cycle): report_view(r, unit.name if unit else "") for r in rows}
    out: list[MySlot] = []
    for item in items:
        all_cycles = schedules.get(item.plan_id, [])
        now = current_cycle(all_cycles, on)
        if now is None:
            continue
        shown = [c for c in all_cycles[: now.index] if (item.id, c.index) in reports]
        shown = [c for c in shown if reports[(item.id, c.index)].state in ("returned", "draft")]
        gaps = [c for c in all_cycles[: now.index] if c.due < on and (item.id, c.index) not in reports]
        missed = len(gaps)
        for c in [*shown, now]:
            report = reports.get((item.id, c.index))
            state = report.state if report else "missing"
            out.append(
                from_row(
                    MySlot,
                    item,
                    item_id=item.id,
                    plan_title=titles.get(item.plan_id, ""),
                    cycle=c.index,
                    cycle_start=c.start,
                    cycle_end=c.end,
                    due=c.due,
                    state=state,
                    overdue=c.due < on and state in ("missing", "draft"),
                    editable=state in ("missing", "draft", "returned"),
                    missed_before=missed if c is now else 0,
                    report=report,
                    missed=[MissedCycle(index=g.index, opens=g.start, due=g.due) for g in gaps]
                    if c is now
                    else [],
                )
            )
    return sorted(out, key=_order)


def _to_review(sessions: SessionFactory, actor: Principal) -> list[ReviewSlot]:
    with sessions() as session:
        rows = session.execute(
            select(ProgressReport, WorkItem.tracked_id, Unit.name)
            .join(WorkItem, ProgressReport.item_id == WorkItem.id)
            .join(Unit, ProgressReport.unit_id == Unit.id)
            .where(ProgressReport.state == "submitted", visible_items(actor))
            .order_by(ProgressReport.updated_at, ProgressReport.id)
            .limit(500)
        ).all()
        texts = latest_tasks(session, {r.tracked_id for r in rows})
        out = []
        for report, tracked_id, unit_name in rows:
            t = texts.get(tracked_id)
            submitted = as_utc(report.updated_at) if report.updated_at else None
            out.append(
                from_row(
                    ReviewSlot,
                    report,
                    report_id=report.id,
                    number=t.number if t else "",
                    title=t.title if t else "",
                    unit_name=unit_name,
                    submitted_at=submitted,
                )
            )
        return out


def my_work(sessions: SessionFactory, actor: Principal, on: date) -> MyWork:
    """A reporter's slots as of `on`; for office staff, the reports waiting for review."""
    if actor.role == "reporter" and actor.unit_id is not None:
        slots = _reporter_slots(sessions, actor, on)
        with sessions() as session:
            unit = session.get(Unit, actor.unit_id)
            name = unit.name if unit else ""
        counts = slot_counts(slots)
        return MyWork(
            role=actor.role,
            unit_id=actor.unit_id,
            unit_name=name,
            on=on,
            slots=slots,
            to_review=[],
            counts=counts,
        )
    review = _to_review(sessions, actor) if actor.manages else []
    return MyWork(
        role=actor.role,
        unit_id=None,
        unit_name="",
        on=on,
        slots=[],
        to_review=review,
        counts={"to_review": len(review)},
    )
