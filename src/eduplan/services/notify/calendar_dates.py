"""What a person must act on, by date — the content of their calendar feed (`calendar`).

- A unit reporter (填报员): the deadlines of the tasks assigned to the unit and not reported done
  (an accepted report saying 已完成), the due dates of the report cycles the unit has not filed
  yet, the answer dates of open 催办/督办 addressed to the unit (or to all of an item's units), and
  the deadlines of its open 整改 (not yet submitted or signed off).
- Office staff and leaders: the report due dates of their organisation's plans (they collect
  them), and the dates of open urges and rectifications there (they follow them up).
- Others (administrators, viewers): nothing.

Dates older than `PAST_DAYS` are left out, so a calendar keeps its recent past and the future.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import Assignment, ReportingSchedule, WorkItem
from eduplan.services.tracking.items import latest_tasks
from eduplan.services.tracking.schedule import cycles

PAST_DAYS = 31


@dataclass(frozen=True)
class DueDate:
    """One all-day entry: `uid` stays the same across fetches so calendars update it in place."""

    uid: str
    day: date
    summary: str
    description: str
    path: str


def _task_names(session: Session, items: list[WorkItem]) -> dict[int, str]:
    texts = latest_tasks(session, {i.tracked_id for i in items})
    return {
        i.id: f"{texts[i.tracked_id].number}. {texts[i.tracked_id].title}"
        if i.tracked_id in texts
        else f"任务 {i.id}"
        for i in items
    }


def _unit_dates(session: Session, unit_id: int, since: date) -> list[DueDate]:
    items = session.scalars(
        select(WorkItem)
        .join(Assignment, Assignment.item_id == WorkItem.id)
        .where(Assignment.unit_id == unit_id, WorkItem.active.is_(True))
        .order_by(WorkItem.id)
    ).all()
    names = _task_names(session, list(items))
    reports = session.execute(
        select(
            ProgressReport.item_id, ProgressReport.cycle, ProgressReport.state, ProgressReport.progress
        ).where(ProgressReport.unit_id == unit_id)
    ).all()
    done = {r.item_id for r in reports if r.state == "accepted" and r.progress == "done"}
    filed = {(r.item_id, r.cycle) for r in reports if r.state in ("submitted", "accepted")}
    out = [
        DueDate(
            f"task-{i.id}-{unit_id}", i.deadline, f"任务到期：{names[i.id]}", "任务完成时限", f"/items/{i.id}"
        )
        for i in items
        if i.deadline is not None and i.deadline >= since and i.id not in done
    ]
    by_plan: dict[int, list[int]] = {}
    for i in items:
        by_plan.setdefault(i.plan_id, []).append(i.id)
    out += _cycle_dates(session, by_plan, since, filed, f"-{unit_id}", "/my/report")
    item_ids = [i.id for i in items]
    urges = session.scalars(
        select(Urge).where(
            Urge.state == "open",
            Urge.item_id.in_(item_ids),
            or_(Urge.unit_id == unit_id, Urge.unit_id.is_(None)),
            Urge.due_on >= since,
        )
    ).all()
    out += [_urge_date(u, names.get(u.item_id, "")) for u in urges]
    rects = session.scalars(
        select(Rectification).where(
            Rectification.unit_id == unit_id, Rectification.state == "open", Rectification.deadline >= since
        )
    ).all()
    out += [_rect_date(r, names.get(r.item_id, "")) for r in rects]
    return out


def _cycle_dates(
    session: Session,
    by_plan: dict[int, list[int]],
    since: date,
    filed: set[tuple[int, int]],
    suffix: str,
    path: str,
) -> list[DueDate]:
    if not by_plan:
        return []
    rows = session.execute(
        select(ReportingSchedule, Plan.title)
        .join(Plan, Plan.id == ReportingSchedule.plan_id)
        .where(ReportingSchedule.plan_id.in_(list(by_plan)))
    ).all()
    out: list[DueDate] = []
    for schedule, title in rows:
        items = by_plan[schedule.plan_id]
        for c in cycles(schedule.cycle, schedule.due_day, schedule.starts_on, schedule.ends_on):
            if c.due < since or all((i, c.index) in filed for i in items):
                continue
            summary = f"《{title}》第 {c.index + 1} 期进展报告截止"
            out.append(DueDate(f"cycle-{schedule.plan_id}-{c.index}{suffix}", c.due, summary, summary, path))
    return out


def _urge_date(u: Urge, task: str) -> DueDate:
    label = "督办" if u.level == "red" else "催办"
    return DueDate(f"urge-{u.id}", u.due_on, f"{label}答复截止：{task}", u.note, f"/items/{u.item_id}")


def _rect_date(r: Rectification, task: str) -> DueDate:
    return DueDate(f"rect-{r.id}", r.deadline, f"整改期限：{task}", r.finding, f"/items/{r.item_id}")


def _office_dates(session: Session, org_path: str, since: date) -> list[DueDate]:
    orgs = select(Organisation.id).where(
        or_(Organisation.path == org_path, Organisation.path.startswith(org_path + "/"))
    )
    items = session.scalars(
        select(WorkItem).where(WorkItem.org_id.in_(orgs), WorkItem.active.is_(True))
    ).all()
    names = _task_names(session, list(items))
    by_plan: dict[int, list[int]] = {}
    for i in items:
        by_plan.setdefault(i.plan_id, []).append(i.id)
    out = _cycle_dates(session, by_plan, since, set(), "-office", "/")
    item_ids = list(names)
    urges = session.scalars(
        select(Urge).where(Urge.state == "open", Urge.item_id.in_(item_ids), Urge.due_on >= since)
    ).all()
    out += [_urge_date(u, names[u.item_id]) for u in urges]
    rects = session.scalars(
        select(Rectification).where(
            Rectification.item_id.in_(item_ids),
            Rectification.state == "open",
            Rectification.deadline >= since,
        )
    ).all()
    return out + [_rect_date(r, names[r.item_id]) for r in rects]


def due_dates(session: Session, user: User, today: date) -> list[DueDate]:
    """The dates `user` must act on (see the module's docstring), by day."""
    since = today - timedelta(days=PAST_DAYS)
    if user.role == "reporter" and user.unit_id is not None:
        found = _unit_dates(session, user.unit_id, since)
    elif user.role in ("office", "leader") and user.organisation is not None:
        found = _office_dates(session, user.organisation.path, since)
    else:
        found = []
    return sorted(found, key=lambda d: (d.day, d.uid))
