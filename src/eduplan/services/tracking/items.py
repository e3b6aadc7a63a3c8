"""Reading work items: their title and text come from the latest version of the tracked task, so a
revised plan shows its new wording while assignments, deadlines and reports stay attached."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import Session, selectinload

from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Chapter, PlanVersion
from eduplan.db.reports import ProgressReport
from eduplan.db.tasks import Task
from eduplan.db.work import Assignment, WorkItem
from eduplan.parsing.units import group_hint
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import AuditView, entries_of_item
from eduplan.services.tracking import views as v
from eduplan.services.tracking.scope import item_for, sees_report, visible_items
from eduplan.services.view_rows import from_row


def latest_tasks(session: Session, tracked_ids: set[int], chapters: bool = False) -> dict[int, Any]:
    """(number, title, text) of the newest version's task of each tracked task; with `chapters`, its
    chapter's too (`chapter_number`, `chapter_title`)."""
    if not tracked_ids:
        return {}
    query = select(Task.tracked_id, Task.number, Task.title, Task.text)
    if chapters:
        query = query.add_columns(
            Chapter.number.label("chapter_number"), Chapter.title.label("chapter_title")
        ).join(Chapter, Task.chapter_id == Chapter.id)
    rows = session.execute(
        query.join(PlanVersion, Task.version_id == PlanVersion.id)
        .where(Task.tracked_id.in_(tracked_ids))
        .order_by(Task.tracked_id, PlanVersion.number.desc())
    ).all()
    out: dict[int, Any] = {}
    for r in rows:
        out.setdefault(r.tracked_id, r)
    return out


def assignment_view(a: Assignment) -> v.AssignmentView:
    hint = group_hint(a.name) if a.state == "unspecified" else None
    return from_row(v.AssignmentView, a, unit_name=a.unit.name if a.unit else None, hint=hint)


def item_snapshot(item: WorkItem) -> dict[str, Any]:
    """What the audit log keeps of an item and a conflict reports on."""
    return {
        "version": item.version,
        "deadline": item.deadline.isoformat() if item.deadline else None,
        "deadline_text": item.deadline_text,
        "assignments": [
            {"role": a.role, "state": a.state, "name": a.name, "unit_id": a.unit_id} for a in item.assignments
        ],
    }


def item_views(session: Session, items: list[WorkItem]) -> list[v.WorkItemView]:
    texts = latest_tasks(session, {i.tracked_id for i in items})
    ids = [i.id for i in items]
    children: dict[int, list[int]] = {}
    if ids:
        for child_id, parent_id in session.execute(
            select(WorkItem.id, WorkItem.parent_id).where(WorkItem.parent_id.in_(ids)).order_by(WorkItem.id)
        ):
            if parent_id is not None:
                children.setdefault(parent_id, []).append(child_id)
    out = []
    for i in items:
        t = texts.get(i.tracked_id)
        targets = [
            from_row(
                v.ItemTargetView,
                x,
                parts=[
                    v.PartView(label=p["label"], value=p["value"], unit=p.get("unit")) for p in x.parts or []
                ],
            )
            for x in i.targets
        ]
        out.append(
            from_row(
                v.WorkItemView,
                i,
                org_name=i.organisation.name,
                org_level=i.organisation.level,
                number=t.number if t else "",
                title=t.title if t else "",
                text=t.text if t else "",
                assignments=[assignment_view(a) for a in i.assignments],
                targets=targets,
                children=children.get(i.id, []),
                to_be_specified=any(a.state == "unspecified" for a in i.assignments),
            )
        )
    return out


def _loaded() -> Any:
    return (
        selectinload(WorkItem.assignments).joinedload(Assignment.unit),
        selectinload(WorkItem.targets),
        selectinload(WorkItem.organisation),
    )


def list_items(
    sessions: SessionFactory,
    actor: Principal,
    plan_id: int | None = None,
    unit_id: int | None = None,
    to_be_specified: bool | None = None,
    include_inactive: bool = False,
) -> list[v.WorkItemView]:
    """Work items the actor may read, in plan then document order."""
    query = select(WorkItem).where(visible_items(actor)).options(*_loaded())
    if plan_id is not None:
        query = query.where(WorkItem.plan_id == plan_id)
    if not include_inactive:
        query = query.where(WorkItem.active.is_(True))
    if unit_id is not None:
        query = query.where(exists().where(Assignment.item_id == WorkItem.id, Assignment.unit_id == unit_id))
    if to_be_specified is not None:
        pending = exists().where(Assignment.item_id == WorkItem.id, Assignment.state == "unspecified")
        query = query.where(pending if to_be_specified else ~pending)
    with sessions() as session:
        items = list(session.scalars(query.order_by(WorkItem.plan_id, WorkItem.tracked_id, WorkItem.id)))
        return item_views(session, items)


def item_audit(sessions: SessionFactory, actor: Principal, item_id: int) -> list[AuditView]:
    """The audit trail of an item the actor may read, oldest first.  Entries about a report, urge or
    rectification (and their evidence) are shown to whoever may read that record now: a draft's
    history stays its unit's, and a reporter sees only what concerns its unit."""
    with sessions() as session:
        return audit_in(session, actor, item_id)


def get_item(sessions: SessionFactory, actor: Principal, item_id: int) -> v.WorkItemView:
    with sessions() as session:
        return item_in(session, actor, item_id)


def item_in(session: Session, actor: Principal, item_id: int) -> v.WorkItemView:
    """`get_item` inside a session the caller holds (a page reads in one)."""
    return item_views(session, [item_for(session, actor, item_id)])[0]


def audit_in(
    session: Session, actor: Principal, item_id: int, readable: dict[str, set[int]] | None = None
) -> list[AuditView]:
    """`item_audit` inside a session the caller holds (a page reads in one).  `readable`: the ids of
    the reports, urges and rectifications the actor may read, when the caller has just listed them."""
    item_for(session, actor, item_id)
    entries = entries_of_item(session, item_id)
    allowed = readable if readable is not None else _readable(session, actor, item_id)
    return [e for e in entries if _readable_entry(e, allowed)]


def _readable(session: Session, actor: Principal, item_id: int) -> dict[str, set[int]]:
    from eduplan.db.supervision import Rectification, Urge

    reports = session.scalars(select(ProgressReport).where(ProgressReport.item_id == item_id)).all()
    urges = session.execute(select(Urge.id, Urge.unit_id).where(Urge.item_id == item_id)).all()
    fixes = session.execute(
        select(Rectification.id, Rectification.unit_id).where(Rectification.item_id == item_id)
    )
    unit = actor.unit_id if actor.role == "reporter" else None
    return {
        "report": {r.id for r in reports if sees_report(actor, r)},
        "urge": {i for i, u in urges if unit is None or u in (None, unit)},
        "rectification": {i for i, u in fixes if unit is None or u == unit},
    }


def _readable_entry(e: AuditView, readable: dict[str, set[int]]) -> bool:
    kind, key = e.entity, e.entity_id
    if kind == "evidence":  # filed under the record it belongs to
        after = e.after or {}
        kind = "report" if "report_id" in after else "rectification"
        key = int(after.get("report_id", after.get("rectification_id", 0)))
    return kind not in readable or key in readable[kind]
