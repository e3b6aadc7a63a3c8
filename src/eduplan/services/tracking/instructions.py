"""领导批示 as read (issue 14): the instructions on a work item, newest first, each with the units it is
addressed to and which of them have acknowledged it (已阅/办理); and the instructions a unit has yet
to acknowledge (its 我的待办).  Writing one, and acknowledging it, is `loop.instructions`.

An instruction is addressed to the units assigned to its item now (`Assignment.state == 'assigned'`):
a unit the task is later handed to (转办) finds it waiting too, a unit taken off no longer does.
It reaches down too: the items handed down from its item (a district's, a school's: `lineage`) show
it as 上级批示 (with the author's name and the organisation of the task it was written on), and their
units acknowledge it, each once, in the same way.  Anyone who may read an item may read its
instructions and those from above.  The task page reads them in one statement.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import CTE, Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from eduplan.choices import ROLE_LABELS
from eduplan.db.engine import SessionFactory
from eduplan.db.instructions import Instruction, InstructionAck
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import as_utc
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
    org_name: str = ""
    """The unit's organisation when it is below the instruction's (a district's unit 已阅 a city's
    批示: 甲区), else empty."""


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
    org_name: str = ""
    """The organisation of the task it was written on (示例市), for 上级批示."""
    from_above: bool = False
    """Written on a task this one was handed down from (上级批示): shown read-only but for 已阅."""


def _view(
    row: Instruction,
    acks: list[AckView],
    addressed: Mapping[int, str],
    actor: Principal,
    org_name: str = "",
    item_id: int | None = None,
) -> InstructionView:
    from_above = item_id is not None and row.item_id != item_id
    if from_above:  # the units of this task: the others' 已阅 belong to their own pages
        acks = [replace(a, org_name="") for a in acks if a.unit_id in addressed]
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
        org_name=org_name,
        from_above=from_above,
    )


def lineage(item_id: int) -> CTE:
    """The item and every item it was handed down from (its parent, the parent's…), as a recursive
    CTE of their ids (``up``)."""
    lines = (
        select(WorkItem.id.label("up"), WorkItem.parent_id.label("next"))
        .where(WorkItem.id == item_id)
        .cte("lineage", recursive=True)
    )
    above = aliased(WorkItem)
    return lines.union_all(select(above.id, above.parent_id).join(lines, above.id == lines.c.next))


def _unit_lines(unit_id: int) -> CTE:
    """(item, up): each item the unit is assigned to, paired with itself and each item above it."""
    lines = (
        select(Assignment.item_id.label("item"), Assignment.item_id.label("up"))
        .where(Assignment.unit_id == unit_id, Assignment.state == "assigned")
        .cte("unit_lines", recursive=True)
    )
    above = aliased(WorkItem)
    return lines.union_all(
        select(lines.c.item, above.parent_id)
        .join(above, above.id == lines.c.up)
        .where(above.parent_id.is_not(None))
    )


def unit_item(session: Session, unit_id: int, instruction_item_id: int) -> int | None:
    """The item of the unit's on which an instruction on `instruction_item_id` reaches it (that
    item, or one handed down from it); None: it does not."""
    lines = _unit_lines(unit_id)
    found = session.scalars(select(lines.c.item).where(lines.c.up == instruction_item_id).limit(1)).first()
    return int(found) if found is not None else None


def handed_down_from(session: Session, item_id: int) -> list[int]:
    """The active items handed down from the item, at every depth (a district's, a school's)."""
    below = select(WorkItem.id.label("id")).where(WorkItem.parent_id == item_id).cte("below", recursive=True)
    child = aliased(WorkItem)
    below = below.union_all(select(child.id).join(below, child.parent_id == below.c.id))
    return list(
        session.scalars(
            select(WorkItem.id).where(WorkItem.id.in_(select(below.c.id)), WorkItem.active.is_(True))
        )
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
    """The item's instructions, and those on the items it was handed down from (上级批示), with
    their acknowledgements and the organisation each was written in (one statement), newest first."""
    lines = lineage(item_id)
    below = aliased(Organisation)  # an acknowledging unit's, when not the instruction's own
    query = (
        select(Instruction, InstructionAck, Unit.name, Organisation.name, below.name)
        .join(WorkItem, WorkItem.id == Instruction.item_id)
        .join(Organisation, Organisation.id == WorkItem.org_id)
        .outerjoin(InstructionAck, InstructionAck.instruction_id == Instruction.id)
        .outerjoin(Unit, Unit.id == InstructionAck.unit_id)
        .outerjoin(below, (below.id == Unit.org_id) & (below.id != WorkItem.org_id))
        .where(Instruction.item_id.in_(select(lines.c.up)))
        .order_by(Instruction.created_at.desc(), Instruction.id.desc(), InstructionAck.id)
    )
    if instruction_id is not None:
        query = query.where(Instruction.id == instruction_id)
    rows: dict[int, tuple[Instruction, list[AckView], str]] = {}
    for instruction, ack, unit_name, org_name, unit_org in session.execute(query):
        _row, acks, _org = rows.setdefault(instruction.id, (instruction, [], org_name))
        if ack is not None:
            acks.append(
                AckView(
                    unit_id=ack.unit_id,
                    unit_name=unit_name or "",
                    acked_by=ack.acked_by,
                    acked_at=as_utc(ack.acked_at),
                    note=ack.note,
                    org_name=unit_org or "",
                )
            )
    return [_view(row, acks, addressed, actor, org, item_id) for row, acks, org in rows.values()]


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


def instruction_reaches(
    sessions: SessionFactory, actor: Principal, instruction_id: int, item_id: int
) -> bool:
    """Whether the instruction is on the item, or on one it was handed down from (the item read by
    the actor: `NotFound` otherwise)."""
    with sessions() as session:
        item_for(session, actor, item_id)
        lines = lineage(item_id)
        found = session.scalars(
            select(Instruction.id).where(
                Instruction.id == instruction_id, Instruction.item_id.in_(select(lines.c.up))
            )
        ).first()
        return found is not None


def _waiting(actor: Principal, unit_id: int, *columns: Any) -> Select[Any]:
    """Instructions on the unit's active items, or on the items they were handed down from (as the
    actor may read its own items), that the unit has not acknowledged; with the unit's item."""
    lines = _unit_lines(unit_id)
    acked = exists().where(InstructionAck.instruction_id == Instruction.id, InstructionAck.unit_id == unit_id)
    return (
        select(*columns)
        .select_from(Instruction)
        .join(lines, lines.c.up == Instruction.item_id)
        .join(WorkItem, WorkItem.id == lines.c.item)
        .where(WorkItem.active.is_(True) & visible_items(actor) & ~acked)
    )


def addressed_to_unit(session: Session, actor: Principal, unit_id: int) -> list[tuple[Instruction, int]]:
    """The instructions a unit has yet to acknowledge, each with the unit's item it reaches it on
    (the instruction's own, or one handed down from it), by deadline then age (its 我的待办)."""
    query = _waiting(actor, unit_id, Instruction, WorkItem.id).order_by(Instruction.deadline, Instruction.id)
    return [(n, int(i)) for n, i in session.execute(query)]


def waiting_count_query(actor: Principal, unit_id: int) -> Select[Any]:
    """A ``SELECT count(*)`` of `addressed_to_unit`, for the navigation badge's single statement."""
    return _waiting(actor, unit_id, func.count())
