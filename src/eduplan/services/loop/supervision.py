"""Supervision (督查督办): urges and rectification items (整改), by office staff, answered by units.

- An urge is issued on a work item, or on one of its assigned units, as 催办 (yellow) or 督办 (red),
  with the date by which it must be answered.  The unit's reporter answers it; office staff close
  it.  `escalate_overdue` turns every yellow urge still unanswered after its date red, with a new
  date: the daily reminder job does so by itself, and staff can at any time
  (``POST /api/v1/urges/escalate``).
- A rectification is a finding an assigned unit must put right by a deadline (a date or words such
  as 9月底前).  The unit records its measures and evidence and submits; office staff sign it off
  (销号) or send it back.  Evidence is required before submitting.
- Open red urges and overdue rectifications show in the task's status (rules 7 and 8).

Reporters see what is addressed to their unit (and urges on the whole item); everything else is
scoped like the item itself.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from eduplan.db.engine import SessionFactory
from eduplan.db.supervision import Rectification, Urge
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.archive import archived_plans
from eduplan.services.audit import record, snapshot
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid
from eduplan.services.loop.locking import check_version, stale
from eduplan.services.tracking import views as v
from eduplan.services.tracking.deadlines import resolve_deadline
from eduplan.services.tracking.scope import item_for, managed_item, visible_items
from eduplan.services.tracking.supervision import rect_view, rectification_for, urge_for, urge_view

ESCALATE_DAYS = 7


def require_assigned(item: WorkItem, unit_id: int) -> None:
    if not any(a.unit_id == unit_id and a.state == "assigned" for a in item.assignments):
        raise Invalid("该单位不是本任务的责任单位")


def urge_snapshot(u: Urge) -> dict[str, Any]:
    return snapshot(u, "version", "level", "state", "due_on", "response", "signed_by")


def rect_snapshot(r: Rectification) -> dict[str, Any]:
    return snapshot(r, "version", "state", "deadline", "measures", "review_note", "unit_id")


def issue_urge(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    note: str,
    due_on: date | str,
    unit_id: int | None = None,
    level: str = "yellow",
) -> v.UrgeView:
    """催办 (yellow) or 督办 (red) an item or one of its units, to be answered by `due_on`."""
    if level not in ("yellow", "red"):
        raise Invalid("督办级别为 yellow（催办）或 red（督办）")
    if not note.strip():
        raise Invalid("请写明督办事项")
    with sessions.begin() as session:
        item = managed_item(session, actor, item_id)
        if unit_id is not None:
            require_assigned(item, unit_id)
        day, _words = resolve_deadline(session, item.plan_id, due_on)
        now = utcnow()
        urge = Urge(
            item_id=item.id,
            unit_id=unit_id,
            level=level,
            state="open",
            note=note.strip(),
            due_on=day,
            response=None,
            issued_by=actor.username,
            issued_at=now,
            escalated_at=None,
            updated_by=actor.username,
            updated_at=now,
        )
        session.add(urge)
        session.flush()
        _tell_urged(session, item, urge)
        _emit_urge(session, item, urge)
        record(
            session,
            actor,
            "urge",
            "urge",
            urge.id,
            item.id,
            item.org_id,
            None,
            urge_snapshot(urge) | {"note": urge.note},
        )
        return urge_view(session, urge)


def _emit_urge(session: Session, item: WorkItem, urge: Urge) -> None:
    from eduplan.services.notify.webhooks import emit_for_unit

    data = {
        "unit_id": urge.unit_id,
        "level": urge.level,
        "note": urge.note,
        "due_on": urge.due_on.isoformat(),
        "by": urge.issued_by,
    }
    emit_for_unit(session, "urge.issued", item, ("urge", urge.id), data)


def _tell_urged(session: Session, item: WorkItem, urge: Urge) -> None:
    from eduplan.services.notify.inbox import Notice, deliver, reporters_of

    units = [urge.unit_id] if urge.unit_id is not None else [a.unit_id for a in item.assignments if a.unit_id]
    label = "督办" if urge.level == "red" else "催办"
    title = f"{label}：{urge.note}（请于 {urge.due_on:%m月%d日} 前答复）"
    deliver(session, reporters_of(session, units), Notice(f"urge:{urge.id}", "urge", title, title, item.id))


def change_record(
    sessions: SessionFactory,
    actor: Principal,
    entity: str,
    entity_id: int,
    version: int,
    action: str,
    apply: Any,
) -> Any:
    """Load an urge or rectification, check its version, apply a change, audit it, return its view."""
    handlers: tuple[Any, Any, Any] = (
        (urge_for, urge_snapshot, urge_view)
        if entity == "urge"
        else (rectification_for, rect_snapshot, rect_view)
    )
    load, snap, view = handlers
    try:
        with sessions.begin() as session:
            row = load(session, actor, entity_id)
            item = item_for(session, actor, row.item_id)
            before = snap(row)
            check_version(session, entity, row.id, version, before)
            apply(session, row, item)
            row.updated_by, row.updated_at = actor.username, utcnow()
            session.flush()
            record(session, actor, action, entity, row.id, item.id, item.org_id, before, snap(row))
            return view(session, row)
    except StaleDataError:
        with sessions() as session:
            current = load(session, actor, entity_id)
            raise stale(session, entity, current.id, version, snap(current)) from None


def require_unit_reporter(actor: Principal, item: WorkItem, unit_id: int | None) -> None:
    if (
        actor.role != "reporter"
        or actor.unit_id is None
        or (unit_id is not None and actor.unit_id != unit_id)
    ):
        raise Forbidden("只能由被督办单位的填报员答复")
    require_assigned(item, actor.unit_id)


def answer_urge(
    sessions: SessionFactory, actor: Principal, urge_id: int, response: str, version: int
) -> v.UrgeView:
    """The unit's answer to an urge (what was done, when it will be)."""
    if not response.strip():
        raise Invalid("答复内容不能为空")

    def apply(_s: Session, urge: Urge, item: WorkItem) -> None:
        require_unit_reporter(actor, item, urge.unit_id)
        if urge.state == "closed":
            raise Conflict("督办已办结")
        urge.state, urge.response = "answered", response.strip()

    return change_record(sessions, actor, "urge", urge_id, version, "answer", apply)  # type: ignore[no-any-return]


def close_urge(sessions: SessionFactory, actor: Principal, urge_id: int, version: int) -> v.UrgeView:
    """Close an urge (办结), answered or not (office staff)."""
    actor.require_manager()

    def apply(_s: Session, urge: Urge, _item: WorkItem) -> None:
        if urge.state == "closed":
            raise Conflict("督办已办结")
        urge.state = "closed"

    return change_record(sessions, actor, "urge", urge_id, version, "close", apply)  # type: ignore[no-any-return]


def escalate_overdue(
    sessions: SessionFactory, actor: Principal, today: date, days: int = ESCALATE_DAYS
) -> list[int]:
    """Turn the open yellow urges past their date red, due `days` from `today`; their ids."""
    actor.require_manager()
    with sessions.begin() as session:
        return escalate_in(session, actor, today, days)


def escalate_in(session: Session, actor: Principal, today: date, days: int = ESCALATE_DAYS) -> list[int]:
    """`escalate_overdue` in the caller's transaction (the daily reminder job runs it)."""
    actor.require_manager()
    urges = session.scalars(
        select(Urge)
        .join(WorkItem, Urge.item_id == WorkItem.id)
        .where(Urge.state == "open", Urge.level == "yellow", Urge.due_on < today, visible_items(actor))
        .where(WorkItem.plan_id.not_in(archived_plans()))  # a closed year stays as it was closed
        .order_by(Urge.id)
    ).all()
    now = utcnow()
    for urge in urges:
        before = urge_snapshot(urge)
        urge.level, urge.due_on, urge.escalated_at = "red", today + timedelta(days=days), now
        urge.updated_by, urge.updated_at = actor.username, now
        session.flush()
        org_id = session.get(WorkItem, urge.item_id).org_id  # type: ignore[union-attr]
        record(session, actor, "escalate", "urge", urge.id, urge.item_id, org_id, before, urge_snapshot(urge))
    return [u.id for u in urges]
