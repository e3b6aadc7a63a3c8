"""Reading a plan version back as a domain `Plan`: the inverse of `store.write_version`.

`plan_to_dict(load_plan(...))` equals the Plan JSON the parser produced for the imported document;
the tests check this on the sample plan and the real seeds.  `stored_plans` / `stored_plan` /
`stored_plan_text` are the one place that reads a version's plan: its stored Plan JSON, else (a
version imported before the JSON was kept) rebuilt from its rows.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from eduplan import domain
from eduplan.db import indicators as ind
from eduplan.db import projects as proj
from eduplan.db.plans import Chapter, PlanVersion
from eduplan.db.targets import Target
from eduplan.db.tasks import Task, TaskUnit
from eduplan.plan_json import plan_from_dict, plan_to_dict


def _target(t: Target) -> domain.Target:
    return domain.Target(
        text=t.text,
        subject=t.subject,
        comparator=cast(domain.Comparator, t.comparator),
        value=t.value,
        unit=t.unit,
        value_max=t.value_max,
        per=t.per,
        parts=[domain.TargetPart(p.label, p.value, p.unit) for p in t.parts],
    )


def _names(links: list[TaskUnit], role: str) -> list[str]:
    return [link.name for link in links if link.role == role]


def domain_task(t: Task) -> domain.Task:
    """The domain task of a task row (its subitems, units and targets loaded)."""
    return domain.Task(
        number=t.number,
        title=t.title,
        text=t.text,
        units=_names(t.unit_links, "responsible"),
        lead_units=_names(t.unit_links, "lead"),
        support_units=_names(t.unit_links, "support"),
        units_text=t.units_text,
        deadline=t.deadline,
        subitems=[domain.SubItem(s.number, s.title, s.text, s.line) for s in t.subitems],
        targets=[_target(x) for x in t.targets if x.kind == "target"],
        figures=[_target(x) for x in t.targets if x.kind == "figure"],
        line=t.line,
        kind="context" if t.kind == "context" else "task",
    )


TASK_LOADING = (
    selectinload(Task.subitems),
    selectinload(Task.unit_links),
    selectinload(Task.targets).selectinload(Target.parts),
)


def load_plan(session: Session, version: PlanVersion) -> domain.Plan:
    """The domain plan stored as `version`."""
    chapters = session.scalars(
        select(Chapter).where(Chapter.version_id == version.id).order_by(Chapter.position)
    ).all()
    tasks = session.scalars(
        select(Task).where(Task.version_id == version.id).order_by(Task.position).options(*TASK_LOADING)
    ).all()
    by_chapter: dict[int, list[domain.Task]] = {}
    for t in tasks:
        by_chapter.setdefault(t.chapter_id, []).append(domain_task(t))
    columns = session.scalars(
        select(proj.Column)
        .where(proj.Column.version_id == version.id)
        .order_by(proj.Column.position)
        .options(selectinload(proj.Column.projects))
    ).all()
    tables = session.scalars(
        select(ind.IndicatorTable)
        .where(ind.IndicatorTable.version_id == version.id)
        .order_by(ind.IndicatorTable.position)
        .options(selectinload(ind.IndicatorTable.rows).selectinload(ind.IndicatorRow.values))
    ).all()
    period = (
        (version.period_start, version.period_end)
        if version.period_start is not None and version.period_end is not None
        else None
    )
    toc: list[dict[str, Any]] = version.toc or []
    return domain.Plan(
        title=version.title,
        place=version.place,
        kind=cast(domain.PlanKind, version.kind),
        year=version.year,
        period=period,
        issuer=list(version.issuer or []),
        doc_number=version.doc_number,
        issued_on=version.issued_on,
        chapters=[
            domain.Chapter(c.number, c.title, c.text, by_chapter.get(c.id, []), c.line) for c in chapters
        ],
        columns=[
            domain.Column(
                c.number,
                c.title,
                c.chapter,
                [domain.Project(p.number, p.title, p.text) for p in c.projects],
            )
            for c in columns
        ],
        indicator_tables=[
            domain.IndicatorTable(
                title=t.title,
                header=list(t.header or []),
                rows=[
                    domain.IndicatorRow(
                        label=r.label,
                        unit=r.unit,
                        values={v.key: v.value for v in r.values},
                        group=r.group,
                        attribute=r.attribute,
                    )
                    for r in t.rows
                ],
                note=t.note,
                column=t.column,
            )
            for t in tables
        ],
        toc=[
            domain.TocEntry(number=e.get("number"), title=e.get("title", ""), page=e.get("page")) for e in toc
        ],
        warnings=list(version.warnings or []),
    )


def stored_plans(session: Session, version_ids: Sequence[int]) -> dict[int, domain.Plan]:
    """The plans of several versions: their stored Plan JSON (one statement), else rebuilt from rows."""
    found: dict[int, domain.Plan] = {}
    for version_id, text in session.execute(
        select(PlanVersion.id, PlanVersion.plan_json).where(PlanVersion.id.in_(version_ids))
    ):
        if text is not None:
            found[version_id] = plan_from_dict(json.loads(text))
        else:
            version = session.get(PlanVersion, version_id)
            assert version is not None
            found[version_id] = load_plan(session, version)
    return found


def stored_plan(session: Session, version: PlanVersion) -> domain.Plan:
    """The plan of one version (`stored_plans`)."""
    return stored_plans(session, [version.id])[version.id]


def stored_plan_text(session: Session, version: PlanVersion) -> str:
    """The Plan JSON text of one version as stored (compact), rebuilt from rows when none was kept."""
    if version.plan_json is not None:
        return version.plan_json
    return json.dumps(
        plan_to_dict(load_plan(session, version)), ensure_ascii=False, allow_nan=False, separators=(",", ":")
    )
