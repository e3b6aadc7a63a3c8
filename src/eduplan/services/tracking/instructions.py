"""领导批示 as read (issue 14): the instructions on a work item, newest first, each with the units it is
addressed to and which of them have acknowledged it (已阅/办理); and the instructions a unit has yet
to acknowledge (its 我的待办).  Writing one, and acknowledging it, is `loop.instructions`.

An instruction is addressed to the units assigned to its item now (`Assignment.state == 'assigned'`):
a unit the task is later handed to (转办) finds it waiting too, a unit taken off no longer does.
Anyone who may read the item may read its instructions.  The task page reads them in one statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, exists, func, select
from sqlalchemy.orm import Session

from eduplan.choices import ROLE_LABELS
from eduplan.db.engine import SessionFactory
from eduplan.db.instructions import Instruction, InstructionAck
from eduplan.db.orgs import Unit
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import as_utc
from eduplan.services.errors import NotFound
from eduplan.services.tracking.scope import item_for, visible_items

WRITERS = ("leader", "office", "admin")
"""Roles that may write a 批示: leaders, and the office (recording one a leader gave on paper)."""


def may_instruct(actor: Principal) -> bool:
    """Whether the actor may write a 批示 (on a task it may read)."""
    return actor.role in WRITERS


@dataclass(frozen=True, kw_only=True)
class AckView:
    """One unit's acknowledgement: who (the person's name), when, and what it said it did."""

    unit_id: int
    unit_name: str
    acked_by: str
    acked_at: datetime
    note: str | None


@dataclass(frozen=True, kw_only=True)
class InstructionView:
    """A 批示 as the task page, /todo and the API show it."""

    id: int
    item_id: int
    author: str
    """The author's name (姓名), not the login."""
    role: str
    role_label: str
    body: str
    deadline: date | None
    deadline_text: str | None
    created_at: datetime
    acks: list[AckView] = field(default_factory=list)
    waiting: list[str] = field(default_factory=list)
    """The addressed units that have not acknowledged it yet (names)."""
    mine: AckView | None = None
    """The reporter's own unit's acknowledgement (None: not yet, or not a reporter)."""
    can_ack: bool = False
    """The actor is a reporter of a unit it is addressed to that has not acknowledged it."""


def _view(
    row: Instruction, acks: list[AckView], addressed: Mapping[int, str], actor: Principal
) -> InstructionView:
    done = {a.unit_id for a in acks}
    unit = actor.unit_id if actor.role == "reporter" else None
    mine = next((a for a in acks if a.unit_id == unit), None)
    return InstructionView(
        id=row.id,
        item_id=row.item_id,
        author=row.author,
        role=row.role,
        role_label=ROLE_LABELS.get(row.role, row.role),
        body=row.body,
        deadline=row.deadline,
        deadline_text=row.deadline_text,
        created_at=as_utc(row.created_at),
        acks=acks,
        waiting=[name for u, name in addressed.items() if u not in done],
        mine=mine,
        can_ack=unit is not None and unit in addressed and unit not in done,
    )


def addressed_units(session: Session, item_id: int) -> dict[int, str]:
    """The units a 批示 on the item is addressed to: those assigned to it now, by name."""
    rows = session.execute(
        select(Unit.id, Unit.name)
        .join(Assignment, Assignment.unit_id == Unit.id)
        .where(Assignment.item_id == item_id, Assignment.state == "assigned")
        .order_by(Assignment.position)
    )
    return {i: n for i, n in rows}


def instruction_views(
    session: Session,
    actor: Principal,
    item_id: int,
    addressed: Mapping[int, str],
    instruction_id: int | None = None,
) -> list[InstructionView]:
    """The item's instructions with their acknowledgements (one statement), newest first."""
    query = (
        select(Instruction, InstructionAck, Unit.name)
        .outerjoin(InstructionAck, InstructionAck.instruction_id == Instruction.id)
        .outerjoin(Unit, Unit.id == InstructionAck.unit_id)
        .where(Instruction.item_id == item_id)
        .order_by(Instruction.created_at.desc(), Instruction.id.desc(), InstructionAck.id)
    )
    if instruction_id is not None:
        query = query.where(Instruction.id == instruction_id)
    rows: dict[int, tuple[Instruction, list[AckView]]] = {}
    for instruction, ack, unit_name in session.execute(query):
        _row, acks = rows.setdefault(instruction.id, (instruction, []))
        if ack is not None:
            acks.append(
                AckView(
                    unit_id=ack.unit_id,
                    unit_name=unit_name or "",
                    acked_by=ack.acked_by,
                    acked_at=as_utc(ack.acked_at),
                    note=ack.note,
                )
            )
    return [_view(row, acks, addressed, actor) for row, acks in rows.values()]


def instructions_in(
    session: Session, actor: Principal, item_id: int, addressed: Mapping[int, str] | None = None
) -> list[InstructionView]:
    """The instructions on an item the actor may read, newest first (`addressed`: the item's units
    by name when the caller has them already — the task page does)."""
    item = item_for(session, actor, item_id)
    units = addressed if addressed is not None else addressed_units(session, item.id)
    return instruction_views(session, actor, item.id, units)


def list_instructions(sessions: SessionFactory, actor: Principal, item_id: int) -> list[InstructionView]:
    """`instructions_in` in a session of its own (the API)."""
    with sessions() as session:
        return instructions_in(session, actor, item_id)


def instruction_for(session: Session, actor: Principal, instruction_id: int) -> Instruction:
    """An instruction on an item the actor may read, else `NotFound`."""
    found = session.get(Instruction, instruction_id)
    if found is None:
        raise NotFound(f"找不到批示 {instruction_id}")
    item_for(session, actor, found.item_id)
    return found


def instruction_item(sessions: SessionFactory, actor: Principal, instruction_id: int) -> int:
    """The item of an instruction the actor may read (`NotFound` otherwise)."""
    with sessions() as session:
        return instruction_for(session, actor, instruction_id).item_id


def _waiting_for(actor: Principal, unit_id: int) -> ColumnElement[bool]:
    """Instructions on the unit's active items (as the actor may read them) it has not acknowledged."""
    on_task = exists().where(
        Assignment.item_id == Instruction.item_id,
        Assignment.unit_id == unit_id,
        Assignment.state == "assigned",
    )
    acked = exists().where(InstructionAck.instruction_id == Instruction.id, InstructionAck.unit_id == unit_id)
    return WorkItem.active.is_(True) & visible_items(actor) & on_task & ~acked


def addressed_to_unit(session: Session, actor: Principal, unit_id: int) -> list[Instruction]:
    """The instructions a unit has yet to acknowledge, by deadline then age (its 我的待办)."""
    return list(
        session.scalars(
            select(Instruction)
            .join(WorkItem, WorkItem.id == Instruction.item_id)
            .where(_waiting_for(actor, unit_id))
            .order_by(Instruction.deadline, Instruction.id)
        )
    )


def waiting_count_query(actor: Principal, unit_id: int) -> Select[int]:
    """A ``SELECT count(*)`` of `addressed_to_unit`, for the navigation badge's single statement."""
    return (
        select(func.count())
        .select_from(Instruction)
        .join(WorkItem, WorkItem.id == Instruction.item_id)
        .where(_waiting_for(actor, unit_id))
    )
