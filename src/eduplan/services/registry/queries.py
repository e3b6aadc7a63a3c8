"""Read use cases of the registry: organisations, units, plans, tasks with filters, targets,
indicators, projects and search, each a page in a stable order.

Lists of plan content show the latest version of each plan unless a `version` is asked for (with a
`plan_id`).  Every order ends with the row id, so pages never overlap or skip.  Nothing here writes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased, joinedload, selectinload

from eduplan.db import indicators as ind
from eduplan.db import projects as proj
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit, UnitAlias
from eduplan.db.plans import Chapter, Plan, PlanVersion
from eduplan.db.targets import Target
from eduplan.db.tasks import Task, TaskUnit
from eduplan.services.registry import views as v
from eduplan.services.registry.errors import NotFound
from eduplan.services.registry.search import Fragment, fragment, match_condition, rank_expression, terms_of
from eduplan.services.registry.task_rows import task_columns, task_views
from eduplan.services.registry.units import unit_key

TaskSort = Literal["document", "deadline", "-deadline"]


@dataclass
class TaskFilter:
    """Which tasks to list; every field left None does not filter."""

    plan_id: int | None = None
    version: int | None = None
    org_id: int | None = None
    chapter: str | None = None
    unit: str | None = None
    has_target: bool | None = None
    deadline_from: date | None = None
    deadline_to: date | None = None
    q: str | None = None


@dataclass
class SearchHit:
    """A task matching a search, its rank and the marked fragment."""

    task: v.TaskView
    score: float
    fragment: Fragment


def _page(session: Session, query: Select[Any], limit: int, offset: int) -> tuple[list[Any], int]:
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    rows = list(session.scalars(query.limit(limit).offset(offset)).all())
    return rows, total


def _versions_shown(plan_id: int | None, version: int | None, org_id: int | None = None) -> Any:
    """Ids of the versions whose content lists show: the latest of each plan (of an organisation),
    or the one asked for.  One subquery, so that the organisation narrows it before tasks are read.

    "Latest" is "no later version of the same plan" (an anti-join on the (plan_id, number) key):
    PostgreSQL estimates that well, where a join on max(number) per plan looked like a handful of
    rows and led it to nested loops over every task.
    """
    if plan_id is not None and version is not None:
        shown = select(PlanVersion.id).where(PlanVersion.plan_id == plan_id, PlanVersion.number == version)
    else:
        later = aliased(PlanVersion)
        newer = exists().where(later.plan_id == PlanVersion.plan_id, later.number > PlanVersion.number)
        shown = select(PlanVersion.id).where(~newer)
        if plan_id is not None:
            shown = shown.where(PlanVersion.plan_id == plan_id)
    if org_id is not None:
        shown = shown.where(PlanVersion.plan_id.in_(select(Plan.id).where(Plan.org_id == org_id)))
    return shown


def list_orgs(
    sessions: SessionFactory, parent_id: int | None = None, limit: int = 50, offset: int = 0
) -> v.Page[v.OrgView]:
    """Organisations by path (the tree in reading order), optionally the children of one."""
    query = select(Organisation).order_by(Organisation.path, Organisation.id)
    if parent_id is not None:
        query = query.where(Organisation.parent_id == parent_id)
    with sessions() as s:
        rows, total = _page(s, query, limit, offset)
        return v.Page([v.org_view(o) for o in rows], total, limit, offset)


def get_org(sessions: SessionFactory, org_id: int) -> v.OrgView:
    with sessions() as s:
        org = s.get(Organisation, org_id)
        if org is None:
            raise NotFound(f"找不到机构 {org_id}")
        return v.org_view(org)


def list_units(
    sessions: SessionFactory, org_id: int | None = None, limit: int = 50, offset: int = 0
) -> v.Page[v.UnitView]:
    """Units with their aliases, by organisation then name."""
    query = select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.org_id, Unit.name, Unit.id)
    if org_id is not None:
        query = query.where(Unit.org_id == org_id)
    with sessions() as s:
        rows, total = _page(s, query, limit, offset)
        return v.Page([v.unit_view(u) for u in rows], total, limit, offset)


def get_unit(sessions: SessionFactory, unit_id: int) -> v.UnitView:
    with sessions() as s:
        unit = s.get(Unit, unit_id, options=[selectinload(Unit.aliases)])
        if unit is None:
            raise NotFound(f"找不到单位 {unit_id}")
        return v.unit_view(unit)


def _plan_query() -> Select[Any]:
    return select(Plan).options(
        joinedload(Plan.organisation), selectinload(Plan.versions).joinedload(PlanVersion.document)
    )


def list_plans(
    sessions: SessionFactory,
    org_id: int | None = None,
    kind: str | None = None,
    year: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> v.Page[v.PlanView]:
    """Plans with their versions, newest first (by year, then id)."""
    query = _plan_query().order_by(Plan.year.desc().nulls_last(), Plan.id.desc())
    if org_id is not None:
        query = query.where(Plan.org_id == org_id)
    if kind is not None:
        query = query.where(Plan.kind == kind)
    if year is not None:
        query = query.where(Plan.year == year)
    with sessions() as s:
        rows, total = _page(s, query, limit, offset)
        return v.Page([v.plan_view(p) for p in rows], total, limit, offset)


def get_plan(sessions: SessionFactory, plan_id: int) -> v.PlanView:
    with sessions() as s:
        plan = s.scalars(_plan_query().where(Plan.id == plan_id)).first()
        if plan is None:
            raise NotFound(f"找不到计划 {plan_id}")
        return v.plan_view(plan)


def _unit_ids(name_or_id: str) -> Any:
    if name_or_id.isdigit():
        return select(Unit.id).where(Unit.id == int(name_or_id))
    keys = {unit_key(name_or_id), name_or_id.strip()}
    return select(UnitAlias.unit_id).where(UnitAlias.key.in_(keys))


def _task_query(session: Session, f: TaskFilter) -> Select[Any]:
    query = select(Task).where(Task.version_id.in_(_versions_shown(f.plan_id, f.version, f.org_id)))
    if f.chapter is not None:
        query = query.where(Task.chapter_id.in_(select(Chapter.id).where(Chapter.number == f.chapter)))
    if f.unit is not None:
        query = query.where(
            exists().where(TaskUnit.task_id == Task.id, TaskUnit.unit_id.in_(_unit_ids(f.unit)))
        )
    if f.has_target is not None:
        has = exists().where(Target.task_id == Task.id, Target.kind == "target")
        query = query.where(has if f.has_target else ~has)
    if f.deadline_from is not None:
        query = query.where(Task.deadline >= f.deadline_from)
    if f.deadline_to is not None:
        query = query.where(Task.deadline <= f.deadline_to)
    terms = terms_of(f.q or "")
    if terms:
        query = query.where(match_condition(session, terms))
    return query


def _count(session: Session, query: Select[Any], offset: int, limit: int, found: int) -> int:
    """How many tasks a (filtered) task query finds, given that its page at `offset` had `found`
    rows: known without counting when the page is the last one, else COUNT(*) over its WHERE."""
    if found < limit and (found or not offset):
        return offset + found
    counted = query.with_only_columns(func.count()).select_from(Task).order_by(None)
    return session.connection().scalar(counted) or 0


def list_tasks(
    sessions: SessionFactory, f: TaskFilter, sort: TaskSort = "document", limit: int = 50, offset: int = 0
) -> v.Page[v.TaskView]:
    """Tasks matching `f`; ``document`` order is plan by plan, in the order of the text."""
    with sessions() as s:
        query = _task_query(s, f)
        if sort == "deadline":
            query = query.order_by(Task.deadline.asc().nulls_last(), Task.id)
        elif sort == "-deadline":
            query = query.order_by(Task.deadline.desc().nulls_last(), Task.id)
        else:
            query = query.order_by(Task.version_id, Task.position, Task.id)
        rows = s.connection().execute(task_columns(query).limit(limit).offset(offset)).all()
        total = _count(s, query, offset, limit, len(rows))
        return v.Page(task_views(s, rows), total, limit, offset)


def get_task(sessions: SessionFactory, task_id: int) -> v.TaskView:
    with sessions() as s:
        rows = s.connection().execute(task_columns(select(Task).where(Task.id == task_id))).all()
        if not rows:
            raise NotFound(f"找不到任务 {task_id}")
        return task_views(s, rows)[0]


def search_tasks(
    sessions: SessionFactory, q: str, f: TaskFilter | None = None, limit: int = 20, offset: int = 0
) -> v.Page[SearchHit]:
    """Tasks containing every term of `q`, best first, each with its marked fragment.

    Every match is scored and sorted anyway, so the total comes with the page (``count(*) OVER ()``)
    instead of from a second pass over the matches.
    """
    terms = terms_of(q)
    if not terms:
        return v.Page([], 0, limit, offset)
    f = TaskFilter(**{**(f.__dict__ if f else {}), "q": q})
    with sessions() as s:
        score = rank_expression(terms).label("score")
        base = _task_query(s, f)
        rows = (
            s.connection()
            .execute(
                task_columns(base)
                .add_columns(score, func.count().over().label("total"))
                .order_by(score.desc(), Task.id)
                .limit(limit)
                .offset(offset)
            )
            .all()
        )
        total = rows[0].total if rows else _count(s, base, offset, limit, 0)
        hits = [
            SearchHit(view, float(row.score), fragment(view.title, view.text, terms))
            for view, row in zip(task_views(s, rows), rows, strict=True)
        ]
        return v.Page(hits, total, limit, offset)


def list_targets(
    sessions: SessionFactory, f: TaskFilter, kind: str = "target", limit: int = 50, offset: int = 0
) -> v.Page[v.TargetView]:
    """Targets of the tasks matching `f`, in document order."""
    with sessions() as s:
        tasks = _task_query(s, f).with_only_columns(Task.id)
        query = (
            select(Target)
            .join(Task, Target.task_id == Task.id)
            .where(Target.task_id.in_(tasks), Target.kind == kind)
            .options(selectinload(Target.parts))
            .order_by(Task.version_id, Task.position, Target.position, Target.id)
        )
        rows, total = _page(s, query, limit, offset)
        return v.Page([v.target_view(t) for t in rows], total, limit, offset)


def list_indicator_tables(
    sessions: SessionFactory,
    plan_id: int | None = None,
    version: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> v.Page[v.IndicatorTableView]:
    """Indicator tables with their rows and values by year."""
    query = (
        select(ind.IndicatorTable, PlanVersion)
        .join(PlanVersion, ind.IndicatorTable.version_id == PlanVersion.id)
        .where(PlanVersion.id.in_(_versions_shown(plan_id, version)))
        .options(selectinload(ind.IndicatorTable.rows).selectinload(ind.IndicatorRow.values))
        .order_by(PlanVersion.plan_id, ind.IndicatorTable.position, ind.IndicatorTable.id)
    )
    with sessions() as s:
        total = s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        rows = s.execute(query.limit(limit).offset(offset)).all()
        return v.Page([v.indicator_table_view(t, pv) for t, pv in rows], total, limit, offset)


def list_projects(
    sessions: SessionFactory,
    plan_id: int | None = None,
    version: int | None = None,
    limit: int = 50,
    offset: int = 0,
) -> v.Page[v.ProjectView]:
    """Key projects of 专栏 boxes, box by box."""
    query = (
        select(proj.Project, proj.Column, PlanVersion)
        .join(proj.Column, proj.Project.column_id == proj.Column.id)
        .join(PlanVersion, proj.Column.version_id == PlanVersion.id)
        .where(PlanVersion.id.in_(_versions_shown(plan_id, version)))
        .order_by(PlanVersion.plan_id, proj.Column.position, proj.Project.position, proj.Project.id)
    )
    with sessions() as s:
        total = s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        rows = s.execute(query.limit(limit).offset(offset)).all()
        return v.Page([v.project_view(p, c, pv) for p, c, pv in rows], total, limit, offset)
