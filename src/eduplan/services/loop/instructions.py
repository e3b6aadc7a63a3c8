"""领导批示 (issue 14), write side: a leader (or office staff, or an administrator) writes an instruction
on any task they may read — text required, an optional 办理期限 typed as a date or as words read from
today (12月15日前, 下周五, 月底前 mean the next such date: `tracking.deadlines.upcoming_deadline`); a
unit on the task acknowledges it (已阅/办理, with an optional note of what it did), once.

Both are audited.  A new instruction is announced in the inbox (站内消息) of the reporters of the
units on the task and of the office staff of its organisation (not its author), and of the reporters
of the units on the items handed down from it (a district's, a school's: 上级批示, linking to their own
task); it then waits in each unit's 我的待办 until the unit acknowledges it.  Instructions are not
edited or deleted here.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.instructions import MAX_INSTRUCTION, Instruction, InstructionAck
from eduplan.db.orgs import Organisation
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound
from eduplan.services.loop.life import person
from eduplan.services.loop.notices import headline, recipients, written_text
from eduplan.services.tracking.deadlines import upcoming_deadline
from eduplan.services.tracking.instructions import (
    InstructionView,
    addressed_units,
    handed_down_from,
    instruction_views,
    may_instruct,
    unit_item,
)
from eduplan.services.tracking.scope import item_for


def read_deadline(given: date | str | None, today: date) -> tuple[date | None, str | None]:
    """The 办理期限 as a day and the words typed (None, None when none is given)."""
    if given is None or (isinstance(given, str) and not given.strip()):
        return None, None
    if isinstance(given, date):
        day, words = given, None
    else:
        day, words = upcoming_deadline(given, today), given.strip()
        if words == day.isoformat():
            words = None
    if day < today:
        raise Invalid(f"办理期限不能早于今天（{today.year}年{today.month}月{today.day}日）")
    return day, words


def write_instruction(
    sessions: SessionFactory,
    actor: Principal,
    item_id: int,
    body: str,
    deadline: date | str | None,
    today: date,
) -> InstructionView:
    """批示 on a task the actor may read (a leader, office staff or an administrator); audited and
    announced in the inbox of the task's units and office."""
    if not may_instruct(actor):
        raise Forbidden("只有领导、办公室/督查人员或管理员可以作出批示")
    text = written_text(body, "批示", MAX_INSTRUCTION)
    day, words = read_deadline(deadline, today)
    with sessions.begin() as session:
        item = item_for(session, actor, item_id)
        row = Instruction(
            item_id=item.id,
            user_id=actor.user_id,
            username=actor.username,
            author=person(session, actor),
            role=actor.role,
            body=text,
            deadline=day,
            deadline_text=words,
            created_at=utcnow(),
        )
        session.add(row)
        session.flush()
        after = {"body": text, "deadline": day.isoformat() if day else None, "deadline_text": words}
        record(session, actor, "instruct", "instruction", row.id, item.id, item.org_id, None, after)
        units = addressed_units(session, item.id)
        _announce(session, actor, item, row, list(units))
        return instruction_views(session, actor, item.id, units, row.id)[0]


def acknowledge(
    sessions: SessionFactory, actor: Principal, instruction_id: int, note: str | None = None
) -> InstructionView:
    """已阅/办理: the unit's reporter acknowledges a 批示 addressed to its unit — on its task, or on
    the task its own was handed down from — once; audited."""
    text = (note or "").strip() or None
    if text is not None and len(text) > MAX_INSTRUCTION:
        raise Invalid(f"办理情况不能超过 {MAX_INSTRUCTION} 个字符（现有 {len(text)} 个）")
    try:
        with sessions.begin() as session:
            found = session.get(Instruction, instruction_id)
            if found is None:
                raise NotFound(f"找不到批示 {instruction_id}")
            own = unit_item(session, actor.unit_id, found.item_id) if actor.unit_id is not None else None
            item_for(session, actor, own if own is not None else found.item_id)  # NotFound: not readable
            if actor.role != "reporter" or actor.unit_id is None:
                raise Forbidden("批示由责任单位的填报员签阅")
            if own is None:
                raise Forbidden("本单位不是该任务的责任单位")
            units = addressed_units(session, own)
            done = session.scalars(
                select(InstructionAck.id).where(
                    InstructionAck.instruction_id == found.id, InstructionAck.unit_id == actor.unit_id
                )
            ).first()
            if done is not None:
                raise Conflict("本单位已阅该批示，无需再次签阅")
            ack = InstructionAck(
                instruction_id=found.id,
                unit_id=actor.unit_id,
                user_id=actor.user_id,
                acked_by=person(session, actor),
                note=text,
                acked_at=utcnow(),
            )
            session.add(ack)
            session.flush()
            item = session.get(WorkItem, own)
            org_id = item.org_id if item is not None else None
            after = {"unit_id": actor.unit_id, "acked_by": ack.acked_by, "note": text}
            record(session, actor, "acknowledge", "instruction", found.id, own, org_id, None, after)
            return instruction_views(session, actor, own, units, found.id)[0]
    except IntegrityError:  # another window of the same unit was first
        raise Conflict("本单位已阅该批示，无需再次签阅") from None


def _announce(
    session: Session, actor: Principal, item: WorkItem, instruction: Instruction, units: list[int]
) -> None:
    """A notice to the reporters of the item's units and the office staff of its organisation."""
    from eduplan.services.notify.inbox import Notice, deliver, reporters_of

    body = instruction.body
    if instruction.deadline is not None:
        d = instruction.deadline
        body += f"\n办理期限：{d.year}年{d.month}月{d.day}日"
    key = f"instruction:{instruction.id}"
    path = f"/items/{item.id}#instruction-{instruction.id}"
    title = headline(session, item, f"{instruction.author} 批示", instruction.body)
    deliver(
        session,
        recipients(session, actor, item, units),
        Notice(key, "instruction", title, body, item.id, path),
    )
    org = session.get(Organisation, item.org_id)
    above = f"{org.name}上级批示" if org is not None else "上级批示"
    for below in handed_down_from(session, item.id):  # each unit below reads it on its own task
        reporters = reporters_of(session, list(addressed_units(session, below)))
        reporters = [u for u in reporters if u != actor.user_id]
        path = f"/items/{below}#instruction-{instruction.id}"
        deliver(session, reporters, Notice(key, "instruction", f"{above}：{title}", body, below, path))
