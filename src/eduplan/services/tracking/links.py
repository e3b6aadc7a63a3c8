"""Where a task found in the registry (a search hit) is followed: its anchor on the plan page
(``/plans/{plan_id}#task-{position}``, the task's place in document order, as the plan outline
numbers it) and the work item the actor sees for it (``/items/{item_id}``).  Two queries whatever
the number of tasks; tasks the actor has no work item for simply have no item link.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from eduplan.db.engine import SessionFactory
from eduplan.db.tasks import Task
from eduplan.db.work import WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.scope import visible_items


@dataclass(kw_only=True)
class TaskLinks:
    position: dict[int, int]
    """Task id → its index in its plan version (the plan page's ``#task-…`` anchor)."""
    items: dict[int, int]
    """Tracked task id → the work item the actor sees (its own organisation's first)."""


def task_links(
    sessions: SessionFactory, actor: Principal, task_ids: set[int], tracked_ids: set[int]
) -> TaskLinks:
    """Anchors and work items of the given tasks."""
    if not task_ids and not tracked_ids:
        return TaskLinks(position={}, items={})
    with sessions() as session:
        positions = {
            i: p for i, p in session.execute(select(Task.id, Task.position).where(Task.id.in_(task_ids)))
        }
        rows = session.execute(
            select(WorkItem.tracked_id, WorkItem.id, WorkItem.org_id)
            .where(WorkItem.tracked_id.in_(tracked_ids), WorkItem.active.is_(True), visible_items(actor))
            .order_by(WorkItem.id)
        ).all()
    items: dict[int, int] = {}
    for tracked, item_id, org_id in rows:
        if tracked not in items or org_id == actor.org_id:
            items[tracked] = item_id
    return TaskLinks(position=positions, items=items)
