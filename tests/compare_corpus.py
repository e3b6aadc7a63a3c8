"""Finding a task of the 样例 comparison plans (`eduplan.samples.compare_plans`) by its title."""

from __future__ import annotations

from eduplan.db.engine import SessionFactory
from eduplan.services.registry import TaskFilter, list_tasks


def task_id(sessions: SessionFactory, plan_id: int, title: str) -> int:
    """The id of the one task of `plan_id` titled `title`."""
    (found,) = [t.id for t in list_tasks(sessions, TaskFilter(plan_id=plan_id)).items if t.title == title]
    return found
