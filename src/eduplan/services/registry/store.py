"""Writing a parsed `Plan` as the rows of one plan version (inside the caller's transaction).

The rows of a plan (chapters, tasks, sub-items, unit links, targets and their parts) are written
with one multi-row INSERT per table (``executemany`` with RETURNING in parameter order, so each
child knows its parent's id), not object by object: a 工作要点 of 40 tasks and 100 targets is a
handful of statements.  Units are resolved first, and new ones flushed once.  The caller decides
which tracked task (台账条目) each task continues and how it changed.  专栏 boxes and indicator
tables are few per plan and go through the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db import indicators as ind
from eduplan.db import projects as proj
from eduplan.db.orgs import Unit
from eduplan.db.plans import Chapter, PlanVersion
from eduplan.db.targets import Target, TargetPart
from eduplan.db.tasks import SubItem, Task, TaskUnit, TrackedTask
from eduplan.parsing.units import is_group_word
from eduplan.services.registry.search import index_bigrams
from eduplan.services.registry.units import UnitResolver

UNIT_ROLES = ("responsible", "lead", "support")
"""The order roles are stored in (the codes and their words: `choices.UNIT_ROLE_LABELS`)."""


def _table(model: type[Any]) -> Table:
    table: Table = model.__table__
    return table


def insert_rows(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> list[int]:
    """Insert `rows` into the table of `model` (executemany); their new ids, in order."""
    if not rows:
        return []
    table = _table(model)
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    return list(session.execute(statement, rows).scalars())


def insert_leaves(session: Session, model: type[Any], rows: list[dict[str, Any]]) -> None:
    """Insert rows nothing refers to, without asking for their ids (a plain executemany)."""
    if rows:
        session.execute(insert(_table(model)), rows)


def new_tracked_tasks(session: Session, plan_id: int, count: int) -> list[int]:
    """Ids of `count` new tracked tasks (台账条目) of a plan."""
    return insert_rows(session, TrackedTask, [{"plan_id": plan_id} for _ in range(count)])


def _year(key: str) -> int | None:
    digits = "".join(c for c in key if c.isdigit())
    return int(digits) if len(digits) == 4 else None


def _target_row(task_id: int, t: domain.Target, kind: str, position: int) -> dict[str, Any]:
    return {
        "task_id": task_id,
        "kind": kind,
        "position": position,
        "text": t.text,
        "subject": t.subject,
        "comparator": t.comparator,
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit,
        "per": t.per,
    }


def _unit_links(task: domain.Task) -> list[tuple[str, str]]:
    roles = {"responsible": task.units, "lead": task.lead_units, "support": task.support_units}
    return [(role, name) for role in UNIT_ROLES for name in roles[role]]


def _resolve_units(session: Session, tasks: list[domain.Task], units: UnitResolver) -> dict[str, int | None]:
    """The unit id of every unit name the tasks mention (new units created and flushed once); None
    for group words (局各科室, 各县区教育局), which never become units."""
    resolved: dict[str, Unit | None] = {}
    for task in tasks:
        for _role, name in _unit_links(task):
            if name not in resolved:
                resolved[name] = None if is_group_word(name) else units.resolve(name)
    if session.new:
        session.flush()
    return {name: unit.id if unit else None for name, unit in resolved.items()}


def write_version(
    session: Session,
    version: PlanVersion,
    plan: domain.Plan,
    tracked: Sequence[int],
    changes: Sequence[str],
    units: UnitResolver,
) -> list[int]:
    """Add the chapters, tasks, 专栏 and indicator tables of `plan` to the (flushed) `version`.

    `tracked[i]` (a tracked task id) and `changes[i]` belong to the i-th task of ``plan.tasks()``;
    the ids of the new task rows are returned in that order.
    """
    tasks = [t for _, t in plan.tasks()]
    unit_ids = _resolve_units(session, tasks, units)
    chapter_ids = insert_rows(
        session,
        Chapter,
        [
            {
                "version_id": version.id,
                "position": c,
                "number": chapter.number,
                "title": chapter.title,
                "text": chapter.text,
                "line": chapter.line,
            }
            for c, chapter in enumerate(plan.chapters)
        ],
    )
    task_rows: list[dict[str, Any]] = []
    for chapter_id, chapter in zip(chapter_ids, plan.chapters, strict=True):
        for task in chapter.items:
            k = len(task_rows)
            task_rows.append(
                {
                    "version_id": version.id,
                    "chapter_id": chapter_id,
                    "tracked_id": tracked[k],
                    "position": k,
                    "number": task.number,
                    "title": task.title,
                    "text": task.text,
                    "units_text": task.units_text,
                    "deadline": task.deadline,
                    "line": task.line,
                    "change": changes[k],
                    "has_target": bool(task.targets),  # what lists filter on (targets, not figures)
                    "kind": task.kind,
                }
            )
    task_ids = insert_rows(session, Task, task_rows)
    index_bigrams(session, ((i, t.title, t.text) for i, t in zip(task_ids, tasks, strict=True)))
    subitems: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    targets: list[dict[str, Any]] = []
    target_parts: list[list[domain.TargetPart]] = []
    for task_id, task in zip(task_ids, tasks, strict=True):
        subitems += [
            {
                "task_id": task_id,
                "position": k,
                "number": s.number,
                "title": s.title,
                "text": s.text,
                "line": s.line,
            }
            for k, s in enumerate(task.subitems)
        ]
        links += [
            {"task_id": task_id, "unit_id": unit_ids[name], "role": role, "position": k, "name": name}
            for k, (role, name) in enumerate(_unit_links(task))
        ]
        found = [("target", t) for t in task.targets] + [("figure", t) for t in task.figures]
        for k, (kind, t) in enumerate(found):
            targets.append(_target_row(task_id, t, kind, k))
            target_parts.append(t.parts)
    insert_leaves(session, SubItem, subitems)
    insert_leaves(session, TaskUnit, links)
    target_ids = insert_rows(session, Target, targets)
    insert_leaves(
        session,
        TargetPart,
        [
            {"target_id": target_id, "position": k, "label": p.label, "value": p.value, "unit": p.unit}
            for target_id, parts in zip(target_ids, target_parts, strict=True)
            for k, p in enumerate(parts)
        ],
    )
    _write_boxes_and_tables(session, version, plan)
    return task_ids


def _write_boxes_and_tables(session: Session, version: PlanVersion, plan: domain.Plan) -> None:
    for c, column in enumerate(plan.columns):
        column_row = proj.Column(
            version_id=version.id,
            position=c,
            number=column.number,
            title=column.title,
            chapter=column.chapter,
        )
        column_row.projects = [
            proj.Project(position=k, number=p.number, title=p.title, text=p.text)
            for k, p in enumerate(column.projects)
        ]
        session.add(column_row)
    for t, table in enumerate(plan.indicator_tables):
        table_row = ind.IndicatorTable(
            version_id=version.id,
            position=t,
            title=table.title,
            column=table.column,
            header=list(table.header),
            note=table.note,
        )
        for r, indicator in enumerate(table.rows):
            indicator_row = ind.IndicatorRow(
                position=r,
                label=indicator.label,
                group=indicator.group,
                unit=indicator.unit,
                attribute=indicator.attribute,
            )
            indicator_row.values = [
                ind.IndicatorValue(position=k, key=key, year=_year(key), value=value)
                for k, (key, value) in enumerate(indicator.values.items())
            ]
            table_row.rows.append(indicator_row)
        session.add(table_row)
    session.flush()


def plan_fields(plan: domain.Plan) -> dict[str, Any]:
    """What a plan row and each of its version rows keep of the document: title, kind, year, period."""
    start, end = plan.period if plan.period else (None, None)
    return {
        "title": plan.title,
        "kind": plan.kind,
        "year": plan.year,
        "period_start": start,
        "period_end": end,
    }


def new_version(
    plan_id: int, number: int, document_id: int, plan: domain.Plan, fingerprint: str, now: datetime
) -> PlanVersion:
    """The version row holding the plan-level metadata of `plan`."""
    return PlanVersion(
        plan_id=plan_id,
        number=number,
        document_id=document_id,
        place=plan.place,
        **plan_fields(plan),
        issuer=list(plan.issuer),
        doc_number=plan.doc_number,
        issued_on=plan.issued_on,
        toc=[{"number": e.number, "title": e.title, "page": e.page} for e in plan.toc],
        warnings=list(plan.warnings),
        fingerprint=fingerprint,
        imported_at=now,
    )
