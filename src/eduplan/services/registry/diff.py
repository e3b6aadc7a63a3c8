"""The difference between two versions of a plan: tasks added, removed and changed.

Tasks are paired by their tracked task (台账条目, set when the later version was imported), and a
pair counts as changed when the domain tasks differ (source lines aside).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from eduplan.db.plans import PlanVersion
from eduplan.db.tasks import Task
from eduplan.services.registry.errors import NotFound
from eduplan.services.registry.rebuild import TASK_LOADING, domain_task


@dataclass
class TaskRef:
    """A task named in a diff: its id in its version, its tracked id, number, chapter and title."""

    id: int
    tracked_id: int
    number: str
    chapter: str
    title: str


@dataclass
class VersionDiff:
    """Tasks of version `to_version` compared with version `from_version` (None: the first version)."""

    plan_id: int
    from_version: int | None
    to_version: int
    added: list[TaskRef] = field(default_factory=list)
    removed: list[TaskRef] = field(default_factory=list)
    changed: list[TaskRef] = field(default_factory=list)
    unchanged: int = 0


def _ref(t: Task) -> TaskRef:
    return TaskRef(t.id, t.tracked_id, t.number, t.chapter.number, t.title)


def _tasks(session: Session, version_id: int) -> list[Task]:
    query = (
        select(Task)
        .where(Task.version_id == version_id)
        .order_by(Task.position)
        .options(*TASK_LOADING, joinedload(Task.chapter))
    )
    return list(session.scalars(query).all())


def get_version(session: Session, plan_id: int, number: int | None = None) -> PlanVersion:
    """Version `number` of a plan, or its latest version; `NotFound` when there is none."""
    query = select(PlanVersion).where(PlanVersion.plan_id == plan_id)
    if number is None:
        query = query.order_by(PlanVersion.number.desc()).limit(1)
    else:
        query = query.where(PlanVersion.number == number)
    version = session.scalars(query).first()
    if version is None:
        what = f"计划 {plan_id}" if number is None else f"计划 {plan_id} 的第 {number} 版"
        raise NotFound(f"找不到{what}")
    return version


def diff_versions(
    session: Session, plan_id: int, to_version: int, from_version: int | None = None
) -> VersionDiff:
    """Compare version `to_version` with `from_version` (default: the version before it)."""
    new = get_version(session, plan_id, to_version)
    if from_version is None:
        from_version = new.number - 1 if new.number > 1 else None
    new_tasks = _tasks(session, new.id)
    if from_version is None:
        return VersionDiff(plan_id, None, new.number, added=[_ref(t) for t in new_tasks])
    old = get_version(session, plan_id, from_version)
    old_tasks = _tasks(session, old.id)
    old_by_tracked = {t.tracked_id: t for t in old_tasks}
    new_tracked = {t.tracked_id for t in new_tasks}
    diff = VersionDiff(plan_id, old.number, new.number)
    for t in new_tasks:
        before = old_by_tracked.get(t.tracked_id)
        if before is None:
            diff.added.append(_ref(t))
        elif domain_task(before) != domain_task(t):
            diff.changed.append(_ref(t))
        else:
            diff.unchanged += 1
    diff.removed = [_ref(t) for t in old_tasks if t.tracked_id not in new_tracked]
    return diff
