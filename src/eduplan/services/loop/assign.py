"""Assignment (任务分解): which units answer for a work item, from the parsed 责任单位 or by staff.

Names were resolved to units through the unit directory (aliases) when the plan was imported.  Words
that name no single unit — 局各科室, 局相关科室, 各直属单位, 相关单位, 各县区 — become an
`unspecified` assignment (待明确) that the lists show until office staff name the units; they are
never guessed.  Words naming districts carry the hint ``handdown``: the task is for 下发.
Lead (牵头), supporting (配合) and plain responsible (责任) units keep their roles.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from eduplan.choices import UNIT_ROLE_LABELS
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit, UnitAlias
from eduplan.db.tasks import TaskUnit
from eduplan.db.work import Assignment, WorkItem
from eduplan.parsing.units import is_group_word
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Invalid
from eduplan.services.loop.locking import check_version, stale_after_race
from eduplan.services.registry.units import unit_key, unit_names
from eduplan.services.tracking.rollups import lock_plan, refresh_group

ROLES = tuple(UNIT_ROLE_LABELS)
ROLE_PRIORITY = {"lead": 0, "support": 1, "responsible": 2}
# the rule lives with the parsing of units (`parsing.units`): one home for the group words
is_unspecified = is_group_word


def parsed_assignments(links: list[TaskUnit]) -> list[Assignment]:
    """The assignments a task's parsed unit links stand for: each unit once, in the order named,
    in its most specific role (牵头/配合 rather than the plain 责任 list that repeats them)."""
    order: list[int | str] = []
    chosen: dict[int | str, TaskUnit] = {}
    for link in links:
        key: int | str = link.name if link.unit_id is None or is_unspecified(link.name) else link.unit_id
        if key not in chosen:
            order.append(key)
            chosen[key] = link
        elif ROLE_PRIORITY[link.role] < ROLE_PRIORITY[chosen[key].role]:
            chosen[key] = link
    out: list[Assignment] = []
    for key in order:
        link = chosen[key]
        generic = isinstance(key, str)
        out.append(
            Assignment(
                unit_id=None if generic else link.unit_id,
                role=link.role,
                state="unspecified" if generic else "assigned",
                name=link.name,
                position=len(out),
            )
        )
    return out


@dataclass
class AssignmentInput:
    """One assignment as staff give it: a unit (id, or name/alias of the item's organisation), or
    words to be specified (待明确), in a role."""

    role: str = "responsible"
    unit_id: int | None = None
    name: str | None = None


def _unit_of(session: Session, org_id: int, org_name: str, given: AssignmentInput) -> Unit | None:
    if given.unit_id is not None:
        unit = session.get(Unit, given.unit_id)
        if unit is None or unit.org_id != org_id:
            raise Invalid(f"单位 {given.unit_id} 不属于本任务的机构")
        return unit
    name = (given.name or "").strip()
    if not name:
        raise Invalid("每项分工须指定单位（unit_id 或名称）")
    if is_unspecified(name):
        return None
    keys = {unit_key(n, org_name) for n in unit_names(name)}
    found = session.scalars(
        select(Unit)
        .join(UnitAlias, UnitAlias.unit_id == Unit.id)
        .where(UnitAlias.org_id == org_id, UnitAlias.key.in_(keys))
    ).first()
    if found is None:
        raise Invalid(f"单位目录中没有“{name}”，请先添加该单位或选择已有单位")
    return found


def _touch(item: WorkItem, actor: Principal) -> None:
    item.updated_by = actor.username
    item.updated_at = utcnow()


def set_assignments(
    sessions: SessionFactory, actor: Principal, item_id: int, given: list[AssignmentInput], version: int
) -> dict[str, Any]:
    """Replace an item's assignments (office staff); returns the item's new snapshot."""
    from eduplan.services.loop.life import open_duties
    from eduplan.services.notify.webhooks import emit_for_item
    from eduplan.services.tracking.items import item_snapshot
    from eduplan.services.tracking.scope import managed_item

    if not given:
        raise Invalid("至少指定一个责任单位")
    try:
        with sessions.begin() as session:
            item = managed_item(session, actor, item_id)
            lock_plan(session.connection(), item.plan_id)  # before any write (`rollups.lock_plan`)
            before = item_snapshot(item)
            check_version(session, "item", item.id, version, before)
            rows: list[Assignment] = []
            seen: set[int | str] = set()
            for g in given:
                if g.role not in ROLES:
                    raise Invalid(f"未知分工角色 {g.role}（可选：{'、'.join(ROLES)}）")
                unit = _unit_of(session, item.org_id, item.organisation.name, g)
                key: int | str = unit.id if unit else (g.name or "").strip()
                if key in seen:
                    continue
                seen.add(key)
                rows.append(
                    Assignment(
                        unit_id=unit.id if unit else None,
                        role=g.role,
                        state="assigned" if unit else "unspecified",
                        name=unit.name if unit else (g.name or "").strip(),
                        position=len(rows),
                    )
                )
            # words carried by the children (各县区, handed down) stay; a received item's 待分工 goes
            rows += [a for a in item.assignments if a.state == "handed_down" and a.name not in seen]
            for position, row in enumerate(rows):
                row.position = position
            item.assignments = rows
            _touch(item, actor)
            session.flush()
            open_duties(session, actor, item)  # each new unit's part waits for 签收 (issue 14)
            refresh_group(session.connection(), item.plan_id, item.org_id)
            after = item_snapshot(item)
            record(session, actor, "assign", "item", item.id, item.id, item.org_id, before, after)
            units = [{"unit_id": a.unit_id, "name": a.name, "role": a.role} for a in rows]
            emit_for_item(session, "task.assigned", item, {"units": units})
            return after
    except StaleDataError:
        raise stale_after_race(sessions, "item", item_id, version, _snapshot_of(item_id)) from None


def _snapshot_of(item_id: int) -> Any:
    from eduplan.services.tracking.items import item_snapshot

    def snap(session: Session) -> dict[str, Any]:
        item = session.get(WorkItem, item_id)
        assert item is not None
        return item_snapshot(item)

    return snap


def set_deadline(
    sessions: SessionFactory, actor: Principal, item_id: int, deadline: date | str, version: int
) -> dict[str, Any]:
    """Set an item's deadline (a date, or words like 9月底前 read in the plan's year); the items
    handed down from it follow at every depth, by the rule of `handdown.follow_deadline` (one that
    inherits it, or whose own approved extension is earlier, moves; a later extension, or a
    deadline its own office set, stays)."""
    from eduplan.services.loop.handdown import follow_deadline
    from eduplan.services.tracking.deadlines import resolve_deadline
    from eduplan.services.tracking.items import item_snapshot
    from eduplan.services.tracking.scope import managed_item

    try:
        with sessions.begin() as session:
            item = managed_item(session, actor, item_id)
            before = item_snapshot(item)
            check_version(session, "item", item.id, version, before)
            day, text = resolve_deadline(session, item.plan_id, deadline)
            item.deadline, item.deadline_text, item.deadline_source = day, text, "staff"
            _touch(item, actor)
            session.flush()
            follow_deadline(session, actor, item)  # handed down, at every depth (`handdown`)
            after = item_snapshot(item)
            record(session, actor, "deadline", "item", item.id, item.id, item.org_id, before, after)
            return after
    except StaleDataError:
        raise stale_after_race(sessions, "item", item_id, version, _snapshot_of(item_id)) from None
