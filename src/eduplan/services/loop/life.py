"""The task's life as bureaus run it (issue 14), write side: a unit signs for a task (签收) or
refuses it as not its duty (退回：不属于本单位职责, proposing the right unit); the office reassigns it
(转办) or insists (维持交办: the unit must sign).  Extensions and closings are in `life_requests`.

Every transition is checked here — the same for pages, ``.json`` and the API — against the role
(the unit's own reporter asks, office staff decide), the state (one cannot sign a closed part) and
the version the client read (optimistic locking: a concurrent transition gives `StaleVersion`, 409,
never a lost step); each is written to the audit log.  A unit receives its part when it is assigned
(`open_duties`, called where assignments are made).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.life import Duty, DutyRequest
from eduplan.db.orgs import Unit
from eduplan.db.supervision import Urge
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid
from eduplan.services.loop.locking import check_version, stale
from eduplan.services.tracking import views as v
from eduplan.services.tracking.life import DutyView, duty_for, duty_view, request_for
from eduplan.services.tracking.rollups import lock_plan, refresh_group
from eduplan.services.tracking.scope import item_for


def open_duties(session: Session, actor: Principal, item: WorkItem) -> None:
    """Give each unit now assigned to `item` its part (待签收), unless it has one (caller flushes)."""
    units = {a.unit_id for a in item.assignments if a.unit_id is not None and a.state == "assigned"}
    if not units:
        return
    have: set[int] = set()
    if item.id is not None:
        have = set(session.scalars(select(Duty.unit_id).where(Duty.item_id == item.id)))
    now = utcnow()
    for unit_id in sorted(units - have):
        session.add(
            Duty(
                item_id=item.id,
                unit_id=unit_id,
                state="to_sign",
                received_at=now,
                signed_by=None,
                signed_at=None,
                deadline=None,
                closing_note=None,
                closed_at=None,
                updated_by=actor.username,
                updated_at=now,
            )
        )


def person(session: Session, actor: Principal) -> str:
    """The actor's name as people know it (not the login)."""
    user = session.get(User, actor.user_id) if actor.user_id is not None else None
    return user.display_name if user is not None and user.display_name else actor.username


def duty_snapshot(d: Duty) -> dict[str, Any]:
    return {
        "version": d.version,
        "state": d.state,
        "signed_by": d.signed_by,
        "deadline": d.deadline.isoformat() if d.deadline else None,
        "closing_note": d.closing_note,
    }


def require_own_unit(actor: Principal, item: WorkItem) -> int:
    """The actor's unit when it is a reporter of a unit on the task, else `Forbidden`."""
    if actor.role != "reporter" or actor.unit_id is None:
        raise Forbidden("只能由责任单位的填报员办理")
    if not any(a.unit_id == actor.unit_id and a.state == "assigned" for a in item.assignments):
        raise Forbidden("本单位不是该任务的责任单位")
    return actor.unit_id


# The office's words when a request is not the one it decides, by the request's kind.
_OTHER_DECISIONS = {
    "extend": "该申请不是延期申请（请用 accept/return 或 reassign/insist）",
    "close": "该申请不是办结申请（请用 approve/refuse 或 reassign/insist）",
    "refuse": "该申请不是退回（请用 approve/refuse 或 accept/return）",
}
_HANDLED = {"extend": "该延期申请已处理", "close": "该办结申请已处理", "refuse": "该退回已处理"}


def ask(session: Session, actor: Principal, duty: Duty, kind: str, reason: str) -> DutyRequest:
    """Write the unit's request of `kind` on its part, pending the office's decision."""
    req = DutyRequest(
        duty_id=duty.id,
        item_id=duty.item_id,
        unit_id=duty.unit_id,
        kind=kind,
        state="pending",
        reason=reason.strip(),
        new_deadline=None,
        proposed_unit_id=None,
        asked_by=person(session, actor),
        asked_at=utcnow(),
    )
    session.add(req)
    return req


def pending_request(
    session: Session, request_id: int, kind: str, duty: Duty, waiting: str | None = None
) -> DutyRequest:
    """The request the office decides: `Invalid` when it is of another kind, `Conflict` when it was
    decided already (or the unit's part is no longer in the `waiting` state)."""
    req = session.get(DutyRequest, request_id)
    assert req is not None
    if req.kind != kind:
        raise Invalid(_OTHER_DECISIONS[kind])
    if req.state != "pending" or (waiting is not None and duty.state != waiting):
        raise Conflict(_HANDLED[kind])
    return req


def decide(
    session: Session, actor: Principal, req: DutyRequest, state: str, note: str | None, why: str | None = None
) -> None:
    """Write the office's decision on a request (who, when, its note); `why`: the refusal when this
    decision needs a note and has none."""
    text = (note or "").strip() or None
    if why is not None and text is None:
        raise Invalid(why)
    req.state = state
    req.decided_by, req.decided_at, req.decision_note = person(session, actor), utcnow(), text


Apply = Callable[[Session, Duty, WorkItem], str | None]


def change_duty(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    unit_id: int | None,
    version: int,
    action: str,
    apply: Apply,
    days: int,
    request_id: int | None = None,
) -> DutyView:
    """Load a unit's part (of the actor's own unit, or the request's), check the version, apply a
    transition, audit it; `apply` may return a note for the audit entry."""
    from eduplan.services.clock import today

    try:
        with sessions.begin() as session:
            if request_id is not None:
                found = request_for(session, actor, request_id)
                item_id, unit_id = found.item_id, found.unit_id
            item = item_for(session, actor, item_id)
            unit = require_own_unit(actor, item) if unit_id is None else unit_id
            duty = duty_for(session, actor, item.id, unit)
            before = duty_snapshot(duty)
            check_version(session, "duty", duty.id, version, before)
            note = apply(session, duty, item)
            duty.updated_by, duty.updated_at = actor.username, utcnow()
            session.flush()
            after = duty_snapshot(duty) | ({"note": note} if note else {})
            record(session, actor, action, "duty", duty.id, item.id, item.org_id, before, after)
            name = session.get(Unit, duty.unit_id)
            return duty_view(duty, name.name if name else "", days, today("Asia/Shanghai"))
    except StaleDataError:
        with sessions() as session:
            current = session.scalars(
                select(Duty).where(Duty.item_id == item_id, Duty.unit_id == unit_id)
            ).first()
            assert current is not None
            raise stale(session, "duty", current.id, version, duty_snapshot(current)) from None


def sign(sessions: SessionFactory, actor: Principal, item_id: int, version: int, days: int = 2) -> DutyView:
    """签收: the unit acknowledges its part of the task (its reporter)."""

    def apply(session: Session, duty: Duty, _item: WorkItem) -> None:
        if duty.state != "to_sign":
            raise Conflict(f"本单位已{'签收' if duty.state == 'signed' else '办理'}该任务，无需再签收")
        duty.state, duty.signed_by, duty.signed_at = "signed", person(session, actor), utcnow()

    return change_duty(sessions, actor, item_id, None, version, "sign", apply, days)


def refuse(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    reason: str,
    version: int,
    proposed_unit_id: int | None = None,
    days: int = 2,
) -> DutyView:
    """退回: the unit says the task is not its duty, with a reason (and may name the right unit)."""
    if not reason.strip():
        raise Invalid("请写明退回理由（为何不属于本单位职责）")

    def apply(session: Session, duty: Duty, item: WorkItem) -> None:
        if duty.state not in ("to_sign", "signed"):
            raise Conflict("该任务已退回、申请办结或已办结，不能退回")
        if proposed_unit_id is not None:
            proposed = session.get(Unit, proposed_unit_id)
            if proposed is None or proposed.org_id != item.org_id or proposed.id == duty.unit_id:
                raise Invalid("建议承办单位须为本机构的其他单位")
        duty.state = "refused"
        ask(session, actor, duty, "refuse", reason).proposed_unit_id = proposed_unit_id

    return change_duty(sessions, actor, item_id, None, version, "refuse", apply, days)


def decide_refusal(
    sessions: SessionFactory,
    actor: Principal,
    request_id: int,
    version: int,
    *,
    reassign_to: int | None = None,
    insist: bool = False,
    note: str | None = None,
    days: int = 2,
) -> DutyView:
    """The office on a refusal: 转办 to another unit (`reassign_to`, the unit's proposal by default)
    or 维持交办 (`insist`: the unit must sign).  Returns the refusing unit's part."""
    actor.require_manager()

    def apply(session: Session, duty: Duty, item: WorkItem) -> str | None:
        req = pending_request(session, request_id, "refuse", duty, "refused")
        if insist:
            decide(session, actor, req, "insisted", note, "维持交办时请写明理由")
            duty.state, duty.received_at = "to_sign", utcnow()
            return "维持交办"
        target = reassign_to or req.proposed_unit_id
        new_unit = session.get(Unit, target) if target is not None else None
        if new_unit is None or new_unit.org_id != item.org_id or new_unit.id == duty.unit_id:
            raise Invalid("请选择转办的单位（本机构的其他单位）")
        lock_plan(session.connection(), item.plan_id)
        old = next((a for a in item.assignments if a.unit_id == duty.unit_id), None)
        kept = [a for a in item.assignments if a.unit_id != duty.unit_id]
        if not any(a.unit_id == new_unit.id for a in kept):
            role = (
                old.role if old is not None else "responsible"
            )  # staff may have changed the units meanwhile
            kept.append(Assignment(unit_id=new_unit.id, role=role, state="assigned", name=new_unit.name))
        for k, a in enumerate(kept):
            a.position = k
        item.assignments = kept
        item.updated_by, item.updated_at = actor.username, utcnow()
        session.flush()
        open_duties(session, actor, item)
        decide(session, actor, req, "reassigned", note)
        duty.state = "transferred"
        refresh_group(session.connection(), item.plan_id, item.org_id)
        return f"转办至{new_unit.name}"

    return change_duty(sessions, actor, 0, None, version, "decide_refusal", apply, days, request_id)


def sign_urge(sessions: SessionFactory, actor: Principal, urge_id: int, version: int) -> v.UrgeView:
    """签收 of a 督办/催办 by the urged unit's reporter (who signed, when)."""
    from eduplan.services.loop.supervision import change_record, require_unit_reporter

    def apply(session: Session, urge: Urge, item: WorkItem) -> None:
        require_unit_reporter(actor, item, urge.unit_id)
        if urge.signed_at is not None:
            raise Conflict("督办已签收")
        if urge.state == "closed":
            raise Conflict("督办已办结")
        urge.signed_by, urge.signed_at = person(session, actor), utcnow()

    return change_record(sessions, actor, "urge", urge_id, version, "sign", apply)  # type: ignore[no-any-return]
