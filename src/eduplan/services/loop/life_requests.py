"""The task's life (issue 14), write side of the units' requests: 延期申请 (a new deadline with a
reason) and 办结申请 (closing the unit's part with a closing note), each decided by office staff.

An approved extension becomes the unit's own deadline and, when later, the task's (its
`deadline_source` becomes ``extension``), so that lights, status, evaluation and 通报 — which all
read the task's deadline — use the approved date; the items handed down from it follow
(`handdown.follow_deadline`).  The deadline is typed as a date or words read
from today (下周五, 月底前, 12月15日前 is the next such date: `tracking.deadlines.upcoming_deadline`).
An accepted closing makes the unit's part 办结; the task is 办结 when every unit's is.  Evidence of a
closing goes through the report's evidence path (the unit's last report), as before.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.life import Duty, DutyRequest
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Invalid
from eduplan.services.loop.handdown import follow_deadline
from eduplan.services.loop.life import ask, change_duty, decide, pending_request
from eduplan.services.tracking.deadlines import upcoming_deadline
from eduplan.services.tracking.items import item_snapshot
from eduplan.services.tracking.life import DutyView
from eduplan.services.tracking.rollups import lock_plan, refresh_group


def _pending(session: Session, duty: Duty, kind: str) -> DutyRequest | None:
    return session.scalars(
        select(DutyRequest).where(
            DutyRequest.duty_id == duty.id, DutyRequest.kind == kind, DutyRequest.state == "pending"
        )
    ).first()


def request_extension(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    new_deadline: date | str,
    reason: str,
    version: int,
    today: date,
    days: int = 2,
) -> DutyView:
    """延期申请: the unit asks for a later deadline, with a reason (its reporter, once signed)."""
    if not reason.strip():
        raise Invalid("请写明延期理由")
    day = new_deadline if isinstance(new_deadline, date) else upcoming_deadline(new_deadline, today)

    def apply(session: Session, duty: Duty, item: WorkItem) -> str:
        if duty.state != "signed":
            raise Conflict("请先签收任务；已申请办结或已办结的任务不能申请延期")
        if _pending(session, duty, "extend") is not None:
            raise Conflict("已有待审批的延期申请，请等待办公室处理")
        current = duty.deadline or item.deadline
        if day <= today or (current is not None and day <= current):
            shown = f"{current.year}年{current.month}月{current.day}日" if current else "今天"
            raise Invalid(f"延期后的时限须晚于现在的时限（{shown}）和今天")
        ask(session, actor, duty, "extend", reason).new_deadline = day
        return f"申请延期至{day.isoformat()}"

    return change_duty(sessions, actor, item_id, None, version, "ask_extension", apply, days)


def decide_extension(
    sessions: SessionFactory,
    actor: Principal,
    request_id: int,
    version: int,
    approve: bool,
    note: str | None = None,
    days: int = 2,
) -> DutyView:
    """The office approves an extension (the deadline changes) or refuses it (with a reason)."""
    actor.require_manager()

    def apply(session: Session, duty: Duty, item: WorkItem) -> str:
        req = pending_request(session, request_id, "extend", duty)
        assert req.new_deadline is not None  # an extension is asked with its date
        state, why = ("approved", None) if approve else ("refused", "不同意延期时请写明理由")
        decide(session, actor, req, state, note, why)
        if not approve:
            return "不同意延期"
        duty.deadline = req.new_deadline
        if item.deadline is None or item.deadline < req.new_deadline:
            lock_plan(session.connection(), item.plan_id)
            before = item_snapshot(item)
            item.deadline, item.deadline_text, item.deadline_source = req.new_deadline, None, "extension"
            item.updated_by, item.updated_at = actor.username, utcnow()
            session.flush()
            refresh_group(session.connection(), item.plan_id, item.org_id)
            record(
                session, actor, "deadline", "item", item.id, item.id, item.org_id, before, item_snapshot(item)
            )
            follow_deadline(session, actor, item)  # the items handed down from it follow
        return f"同意延期至{req.new_deadline.isoformat()}"

    return change_duty(sessions, actor, 0, None, version, "decide_extension", apply, days, request_id)


def request_closing(
    sessions: SessionFactory, actor: Principal, item_id: int, note: str, version: int, days: int = 2
) -> DutyView:
    """办结申请: the unit asks to close its part, with a closing note (its reporter, once signed)."""
    if not note.strip():
        raise Invalid("请填写办结说明（完成情况）")

    def apply(session: Session, duty: Duty, _item: WorkItem) -> None:
        if duty.state != "signed":
            raise Conflict("只有已签收、未申请办结的任务可以申请办结")
        duty.state, duty.closing_note = "closing", note.strip()
        ask(session, actor, duty, "close", note)

    return change_duty(sessions, actor, item_id, None, version, "ask_closing", apply, days)


def decide_closing(
    sessions: SessionFactory,
    actor: Principal,
    request_id: int,
    version: int,
    accept: bool,
    note: str | None = None,
    days: int = 2,
) -> DutyView:
    """The office accepts a closing (办结) or returns it with a reason (the unit goes on)."""
    actor.require_manager()

    def apply(session: Session, duty: Duty, _item: WorkItem) -> str:
        req = pending_request(session, request_id, "close", duty, "closing")
        state, why = ("approved", None) if accept else ("returned", "退回办结申请时请写明原因")
        decide(session, actor, req, state, note, why)
        if accept:
            duty.state, duty.closed_at = "closed", utcnow()
            return "办结"
        duty.state = "signed"
        return "办结申请退回"

    return change_duty(sessions, actor, 0, None, version, "decide_closing", apply, days, request_id)


def decide_request(
    sessions: SessionFactory,
    actor: Principal,
    request_id: int,
    version: int,
    decision: str,
    note: str | None = None,
    unit_id: int | None = None,
    days: int = 2,
) -> str:
    """The office's decision by its word — approve/refuse (延期), accept/return (办结), reassign/insist
    (退回) — as pages and API give it; the words that say what was done."""
    from eduplan.services.loop.life import decide_refusal

    if decision in ("approve", "refuse"):
        decide_extension(sessions, actor, request_id, version, decision == "approve", note, days)
        return "已同意延期" if decision == "approve" else "已不同意延期"
    if decision in ("accept", "return"):
        decide_closing(sessions, actor, request_id, version, decision == "accept", note, days)
        return "已办结" if decision == "accept" else "办结申请已退回"
    if decision in ("reassign", "insist"):
        insist = decision == "insist"
        decide_refusal(
            sessions, actor, request_id, version, reassign_to=unit_id, insist=insist, note=note, days=days
        )
        return "已转办" if decision == "reassign" else "已维持交办，请该单位签收"
    raise Invalid("未知的处理意见（approve、refuse、accept、return、reassign、insist）")
