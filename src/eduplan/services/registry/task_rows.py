"""Task views read with plain column selects, for the lists and search that serve many tasks at once.

Loading ORM objects (a task with its version, chapter, unit links, targets and their parts) costs
far more in Python than the queries do; a page of 50 tasks is read here as rows instead: one query
for the tasks, then one each for their chapters (with their versions), unit links, and targets
(with their parts).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Connection, Select, select
from sqlalchemy.orm import Session

from eduplan.db.plans import Chapter, PlanVersion
from eduplan.db.targets import Target, TargetPart
from eduplan.db.tasks import Task, TaskUnit
from eduplan.services.registry import views as v

TASK_COLUMNS = (
    Task.id,
    Task.tracked_id,
    Task.version_id,
    Task.chapter_id,
    Task.number,
    Task.title,
    Task.text,
    Task.deadline,
    Task.line,
    Task.change,
)


def task_columns(query: Select[Any]) -> Select[Any]:
    """`query` (over tasks, filtered) selecting the task columns a `TaskView` needs instead.

    The task's version and chapter are read by id afterwards rather than joined here, so that the
    filters alone decide the plan of this query (joins made SQLite walk the tasks in another order).
    """
    return cast("Select[Any]", query.with_only_columns(*TASK_COLUMNS))


def _targets(conn: Connection, task_ids: Sequence[int]) -> dict[int, list[v.TargetView]]:
    """The targets of tasks with their parts (one query: parts are few, joined to their target)."""
    rows = conn.execute(
        select(
            Target.id, Target.task_id, Target.kind, Target.text, Target.subject, Target.comparator,
            Target.value, Target.value_max, Target.unit, Target.per,
            TargetPart.label.label("part_label"), TargetPart.value.label("part_value"),
            TargetPart.unit.label("part_unit"),
        )
        .outerjoin(TargetPart, TargetPart.target_id == Target.id)
        .where(Target.task_id.in_(task_ids), Target.kind == "target")
        .order_by(Target.task_id, Target.position, TargetPart.position)
    )  # fmt: skip
    out: dict[int, list[v.TargetView]] = {}
    last: v.TargetView | None = None
    for r in rows:
        if last is None or last.id != r.id:
            last = v.TargetView(
                r.id, r.task_id, r.kind, r.text, r.subject, r.comparator, r.value, r.value_max, r.unit,
                r.per, [],
            )  # fmt: skip
            out.setdefault(r.task_id, []).append(last)
        if r.part_label is not None:
            last.parts.append(v.PartView(r.part_label, r.part_value, r.part_unit))
    return out


def task_views(session: Session, rows: Sequence[Any]) -> list[v.TaskView]:
    """Views of task rows selected with `TASK_COLUMNS`, in their order."""
    ids = [r.id for r in rows]
    if not ids:
        return []
    conn = session.connection()  # plain rows: no ORM objects are built
    units: dict[int, dict[str, list[str]]] = {}
    for task_id, role, name in conn.execute(
        select(TaskUnit.task_id, TaskUnit.role, TaskUnit.name)
        .where(TaskUnit.task_id.in_(ids))
        .order_by(TaskUnit.task_id, TaskUnit.position)
    ):
        units.setdefault(task_id, {}).setdefault(role, []).append(name)
    targets = _targets(conn, ids)
    chapters = {
        row.id: row
        for row in conn.execute(
            select(
                Chapter.id,
                Chapter.number,
                Chapter.title,
                PlanVersion.plan_id,
                PlanVersion.number.label("version"),
            )
            .join(PlanVersion, Chapter.version_id == PlanVersion.id)
            .where(Chapter.id.in_({r.chapter_id for r in rows}))
        )
    }
    views = []
    for r in rows:
        roles = units.get(r.id, {})
        chapter = chapters[r.chapter_id]
        views.append(
            v.TaskView(
                id=r.id,
                tracked_id=r.tracked_id,
                plan_id=chapter.plan_id,
                version=chapter.version,
                chapter=chapter.number,
                chapter_title=chapter.title,
                number=r.number,
                title=r.title,
                text=r.text,
                units=roles.get("responsible", []),
                lead_units=roles.get("lead", []),
                support_units=roles.get("support", []),
                deadline=r.deadline,
                line=r.line,
                change=r.change,
                targets=targets.get(r.id, []),
            )
        )
    return views
