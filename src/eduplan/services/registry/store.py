"""Writing a parsed `Plan` as the rows of one plan version (inside the caller's transaction).

Rows are built as one object graph and flushed together, so SQLAlchemy batches the inserts.  The
caller decides which tracked task (台账条目) each task continues and how it changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db import indicators as ind
from eduplan.db import projects as proj
from eduplan.db.plans import Chapter, PlanVersion
from eduplan.db.targets import Target, TargetPart
from eduplan.db.tasks import SubItem, Task, TaskUnit, TrackedTask
from eduplan.services.registry.units import UnitResolver


def _year(key: str) -> int | None:
    digits = "".join(c for c in key if c.isdigit())
    return int(digits) if len(digits) == 4 else None


def _target(t: domain.Target, kind: str, position: int) -> Target:
    row = Target(
        kind=kind,
        position=position,
        text=t.text,
        subject=t.subject,
        comparator=t.comparator,
        value=t.value,
        value_max=t.value_max,
        unit=t.unit,
        per=t.per,
    )
    row.parts = [
        TargetPart(position=k, label=p.label, value=p.value, unit=p.unit) for k, p in enumerate(t.parts)
    ]
    return row


def _task_units(task: domain.Task, units: UnitResolver) -> list[TaskUnit]:
    links: list[TaskUnit] = []
    for role, names in (
        ("responsible", task.units),
        ("lead", task.lead_units),
        ("support", task.support_units),
    ):
        for name in names:
            links.append(TaskUnit(unit=units.resolve(name), role=role, position=len(links), name=name))
    return links


def write_version(
    session: Session,
    version: PlanVersion,
    plan: domain.Plan,
    tracked: Sequence[TrackedTask],
    changes: Sequence[str],
    units: UnitResolver,
) -> None:
    """Add the chapters, tasks, 专栏 and indicator tables of `plan` to the (flushed) `version`.

    `tracked[i]` and `changes[i]` belong to the i-th task of ``plan.tasks()``.
    """
    position = 0
    for c, chapter in enumerate(plan.chapters):
        chapter_row = Chapter(
            version_id=version.id,
            position=c,
            number=chapter.number,
            title=chapter.title,
            text=chapter.text,
            line=chapter.line,
        )
        session.add(chapter_row)
        for task in chapter.items:
            row = Task(
                version_id=version.id,
                chapter=chapter_row,
                tracked=tracked[position],
                position=position,
                number=task.number,
                title=task.title,
                text=task.text,
                units_text=task.units_text,
                deadline=task.deadline,
                line=task.line,
                change=changes[position],
            )
            row.subitems = [
                SubItem(position=k, number=s.number, title=s.title, text=s.text, line=s.line)
                for k, s in enumerate(task.subitems)
            ]
            row.unit_links = _task_units(task, units)
            row.targets = [_target(t, "target", k) for k, t in enumerate(task.targets)] + [
                _target(t, "figure", len(task.targets) + k) for k, t in enumerate(task.figures)
            ]
            session.add(row)
            position += 1
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


def new_version(
    plan_id: int, number: int, document_id: int, plan: domain.Plan, fingerprint: str, now: datetime
) -> PlanVersion:
    """The version row holding the plan-level metadata of `plan`."""
    return PlanVersion(
        plan_id=plan_id,
        number=number,
        document_id=document_id,
        title=plan.title,
        place=plan.place,
        kind=plan.kind,
        year=plan.year,
        period_start=plan.period[0] if plan.period else None,
        period_end=plan.period[1] if plan.period else None,
        issuer=list(plan.issuer),
        doc_number=plan.doc_number,
        issued_on=plan.issued_on,
        toc=[{"number": e.number, "title": e.title, "page": e.page} for e in plan.toc],
        warnings=list(plan.warnings),
        fingerprint=fingerprint,
        imported_at=now,
    )
