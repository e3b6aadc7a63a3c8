"""Task views read with plain column selects, for the lists and search that serve many tasks at once.

Loading ORM objects (a task with its version, chapter, unit links, targets and their parts) costs
far more in Python than the queries do; a page of tasks is read here by id, as rows: one query
each for the tasks, their chapters (with their versions), unit links, targets (with their
parts) and stored topics (primary first, whatever the page's size).  Chapters are read by their own ids rather than joined: for a page of 50 tasks PostgreSQL
hashed the whole chapters table for the join.  The statements are built once (their id lists are
expanding parameters), so a page costs no statement building or compiling, only the queries and
the views.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import BindParameter, Connection, Executable, bindparam, select

from eduplan.db.plans import Chapter, PlanVersion
from eduplan.db.targets import Target, TargetPart
from eduplan.db.tasks import Task, TaskUnit
from eduplan.db.topics import EntryTopic
from eduplan.services.registry import views as v
from eduplan.topics import topic_name

_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
TASK_COLUMNS = (
    Task.id,
    Task.tracked_id,
    Task.chapter_id,
    Task.number,
    Task.title,
    Task.text,
    Task.deadline,
    Task.line,
    Task.change,
    Task.kind,
)
"""What a list selects for `task_views(conn, rows=…)`, in this order."""
_TASKS = select(*TASK_COLUMNS).where(Task.id.in_(_IDS))
_CHAPTERS = (
    select(
        Chapter.id, Chapter.number, Chapter.title, PlanVersion.plan_id, PlanVersion.number.label("version")
    )
    .join(PlanVersion, Chapter.version_id == PlanVersion.id)
    .where(Chapter.id.in_(_IDS))
)
_UNITS = (
    select(TaskUnit.task_id, TaskUnit.role, TaskUnit.name)
    .where(TaskUnit.task_id.in_(_IDS))
    .order_by(TaskUnit.task_id, TaskUnit.position)
)
_TARGETS = (
    select(
        Target.id,
        Target.task_id,
        Target.kind,
        Target.text,
        Target.subject,
        Target.comparator,
        Target.value,
        Target.value_max,
        Target.unit,
        Target.per,
        TargetPart.label.label("part_label"),
        TargetPart.value.label("part_value"),
        TargetPart.unit.label("part_unit"),
    )
    .outerjoin(TargetPart, TargetPart.target_id == Target.id)
    .where(Target.task_id.in_(_IDS), Target.kind == "target")
    .order_by(Target.task_id, Target.position, TargetPart.position)
)
_TOPICS = (
    select(EntryTopic.task_id, EntryTopic.topic, EntryTopic.corrected)
    .where(EntryTopic.task_id.in_(_IDS))
    .order_by(EntryTopic.task_id, EntryTopic.rank)
)


def _rows(conn: Connection, statement: Executable, ids: Sequence[int]) -> Sequence[Any]:
    """All rows at once (one fetchall), read by position below: attribute access per column cost
    more than the queries on a page of 50 tasks."""
    return conn.execute(statement, {"ids": ids}).all()


def _targets(conn: Connection, task_ids: Sequence[int]) -> dict[int, list[v.TargetView]]:
    """The targets of tasks with their parts (parts are few: joined to their target)."""
    out: dict[int, list[v.TargetView]] = {}
    last: v.TargetView | None = None
    for r in _rows(conn, _TARGETS, task_ids):
        if last is None or last.id != r[0]:
            last = v.TargetView(
                id=r[0],
                task_id=r[1],
                kind=r[2],
                text=r[3],
                subject=r[4],
                comparator=r[5],
                value=r[6],
                value_max=r[7],
                unit=r[8],
                per=r[9],
                parts=[],
            )
            out.setdefault(r[1], []).append(last)
        if r[10] is not None:
            last.parts.append(v.PartView(label=r[10], value=r[11], unit=r[12]))
    return out


def _topics(conn: Connection, task_ids: Sequence[int]) -> dict[int, list[v.TaskTopicView]]:
    """The stored topics of tasks, primary first (corrections already in place in `entry_topics`)."""
    out: dict[int, list[v.TaskTopicView]] = {}
    for task_id, topic, corrected in _rows(conn, _TOPICS, task_ids):
        out.setdefault(task_id, []).append(
            v.TaskTopicView(id=topic, name=topic_name(topic), corrected=bool(corrected))
        )
    return out


def task_views(conn: Connection, ids: Sequence[int], rows: Sequence[Any] | None = None) -> list[v.TaskView]:
    """Views of the tasks `ids`, in that order (ids of no task are left out); `rows` are their
    `TASK_COLUMNS` (first; more may follow) when the caller has read them already (a list's page)."""
    if not ids:
        return []
    ids = list(ids)
    tasks = {r[0]: r for r in (rows if rows is not None else _rows(conn, _TASKS, ids))}
    chapter_ids = sorted({r[2] for r in tasks.values()})
    chapters = {r[0]: r[1:] for r in _rows(conn, _CHAPTERS, chapter_ids)} if chapter_ids else {}
    units: dict[int, dict[str, list[str]]] = {}
    for task_id, role, name in _rows(conn, _UNITS, ids):
        units.setdefault(task_id, {}).setdefault(role, []).append(name)
    targets = _targets(conn, ids)
    topics = _topics(conn, ids)
    views = []
    none: dict[str, list[str]] = {}
    for task_id in ids:
        task = tasks.get(task_id)
        if task is None:
            continue
        _, tracked_id, chapter_id, number, title, text, deadline, line, change, kind = task[:10]
        chapter_number, chapter_title, plan_id, version = chapters[chapter_id]
        roles = units.get(task_id, none)
        view = v.TaskView(
            id=task_id,
            tracked_id=tracked_id,
            plan_id=plan_id,
            version=version,
            chapter=chapter_number,
            chapter_title=chapter_title,
            number=number,
            title=title,
            text=text,
            units=roles.get("responsible", []),
            lead_units=roles.get("lead", []),
            support_units=roles.get("support", []),
            deadline=deadline,
            line=line,
            change=change,
            targets=targets.get(task_id, []),
            topics=topics.get(task_id, []),
            kind=kind or "task",
        )
        views.append(view)
    return views
