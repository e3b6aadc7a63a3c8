"""The dashboard's counts from the day a unit received a task (`levels.counted_cycles`): a district
handed a task in December is not short of the earlier months' reports.

The dashboard's statement (`dashboard_query`) counts every slot over every due cycle; the few items
handed down after their plan's start (`WorkItem.received_on`) are read here in one more statement
(an item's assigned units, its plan and its day) and what they do not owe is taken off: per unit,
the due cycles before the day; per plan, the slots of the last due cycle when it fell before it.
Limit: a report a unit files for a cycle before it received the task still counts as filed (the
unit's rate is then capped at 100%).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.orm import aliased

from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking import rules
from eduplan.services.tracking.schedule import cycles, due_cycles
from eduplan.services.tracking.scope import visible_items


@dataclass(kw_only=True)
class NotOwed:
    """What the slots of items received late do not owe."""

    unit_cycles: Counter[int] = field(default_factory=Counter)
    """Unit → due cycles (over its tasks) that fell before it received them."""
    unit_last: Counter[int] = field(default_factory=Counter)
    """Unit → its slots whose last due cycle fell before the day."""
    plan_last: Counter[int] = field(default_factory=Counter)
    """Plan → slots whose last due cycle fell before the day."""


def not_owed(conn: Connection, actor: Principal, plans: list[Any], today: date) -> NotOwed:
    """What the dashboard's counts of `plans` (rows with id, cycle, due_day, starts_on, ends_on)
    must not count, as of `today`, for the actor's scope (a reporter: its own unit's slots)."""
    out = NotOwed()
    by_plan = {p.id: p for p in plans}
    a = aliased(Assignment)  # not the one a reporter's scope correlates (`scope.visible_items`)
    query = (
        select(a.unit_id, WorkItem.plan_id, WorkItem.received_on)
        .select_from(WorkItem)
        .join(a, a.item_id == WorkItem.id)
        .where(
            WorkItem.received_on.is_not(None),
            WorkItem.active.is_(True),
            visible_items(actor),
            a.state == "assigned",
            a.unit_id.is_not(None),
        )
    )
    if actor.role == "reporter":
        query = query.where(a.unit_id == actor.unit_id)
    due_days: dict[int, list[date]] = {}
    for unit_id, plan_id, received_on in conn.execute(query):
        p = by_plan.get(plan_id)
        if p is None or unit_id is None or received_on is None:
            continue
        if plan_id not in due_days:
            every = cycles(p.cycle, p.due_day, p.starts_on, p.ends_on)
            due_days[plan_id] = [c.due for c in due_cycles(every, today)]
        days = due_days[plan_id]
        before = len([d for d in days if not rules.owes_cycle(d, received_on)])
        if not before:
            continue
        out.unit_cycles[unit_id] += before
        if before == len(days):  # the last due cycle too
            out.unit_last[unit_id] += 1
            out.plan_last[plan_id] += 1
    return out
