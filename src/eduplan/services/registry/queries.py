"""Read use cases of the registry: organisations, units, plans, tasks with filters, targets,
indicators, projects and search, each a page in a stable order.

Lists of plan content show the latest version of each plan unless a `version` is asked for (with a
`plan_id`).  Every order ends with the row id, so pages never overlap or skip.  Nothing here writes.

Task lists and search keep the API's exact `total`, but do not pay for it on every page: the order
of every match of a list over the whole registry, and the ranking of a search (every match scored),
are memoized until the registry's content changes (`memo`); a page then costs its own rows only.  Pages are read
as plain rows (`task_rows`), without ORM objects.
"""

from __future__ import annotations

from array import array
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
from eduplan.parsing.units import is_group_word
from eduplan.services.registry import views as v
from eduplan.services.registry.errors import NotFound
from eduplan.services.registry.memo import MEMO, Remembered
from eduplan.services.registry.search import Fragment, fragment, match_condition, rank_expression, terms_of
from eduplan.services.registry.task_rows import TASK_COLUMNS, task_views
from eduplan.services.registry.topics import has_topic
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
    topic: str | None = None  # a topic id (eduplan.topics), primary or secondary


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
    with sessions() as s:
        return units_in(s, org_id, limit, offset)


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


def _unit_ids(name_or_id: str, org_id: int | None) -> Select[Any]:
    """The units a `unit=` filter names; of the organisation when one is given (a task's units are
    those of its plan's organisation), so that its few links are all the list starts from."""
    if name_or_id.isdigit():
        return select(Unit.id).where(Unit.id == int(name_or_id))
    keys = sorted({unit_key(name_or_id), name_or_id.strip()})
    ids = select(UnitAlias.unit_id).where(UnitAlias.key.in_(keys))
    return ids if org_id is None else ids.where(UnitAlias.org_id == org_id)


def _units_named(session: Session, memo: Remembered | None, name_or_id: str, org_id: int | None) -> Any:
    """`_unit_ids` as a list read first (memoized: aliases only change with the stamp), so that the
    planner sees the ids themselves and reads their links from the (unit_id, task_id) index."""
    query = _unit_ids(name_or_id, org_id)
    if memo is None:
        return query
    conn = session.connection()
    return memo.get(("units", name_or_id, org_id), lambda: sorted(set(conn.scalars(query))))


def _task_query(session: Session, f: TaskFilter, memo: Remembered | None = None) -> Select[Any]:
    """Tasks matching `f`, in no order (unit names resolved through `memo` when given)."""
    query = select(Task).where(Task.version_id.in_(_versions_shown(f.plan_id, f.version, f.org_id)))
    if f.chapter is not None:
        query = query.where(Task.chapter_id.in_(select(Chapter.id).where(Chapter.number == f.chapter)))
    if f.unit is not None and is_group_word(f.unit):
        # group words (各县区教育局) are no unit: the links that name them as written
        query = query.where(Task.id.in_(select(TaskUnit.task_id).where(TaskUnit.name == f.unit.strip())))
    elif f.unit is not None:
        # IN over the unit's links (index unit_id, task_id), not EXISTS per task: the links drive
        units = _units_named(session, memo, f.unit, f.org_id)
        linked = select(TaskUnit.task_id).where(TaskUnit.unit_id.in_(units))
        query = query.where(Task.id.in_(linked))
    if f.has_target is not None:
        query = query.where(Task.has_target if f.has_target else ~Task.has_target)
    if f.deadline_from is not None:
        query = query.where(Task.deadline >= f.deadline_from)
    if f.deadline_to is not None:
        query = query.where(Task.deadline <= f.deadline_to)
    terms = terms_of(f.q or "")
    if terms:
        query = query.where(match_condition(session, terms))
    if f.topic is not None:
        query = query.where(has_topic(f.topic))
    return query


def _memo_key(kind: str, f: TaskFilter) -> tuple[Any, ...]:
    return (kind, *f.__dict__.items())


def _memoizable(f: TaskFilter) -> bool:
    """Whether what `f` finds changes only with the registry's stamp (topics are corrected in place)."""
    return f.topic is None


def _count(session: Session, query: Select[Any], offset: int, limit: int, found: int) -> int:
    """How many tasks a (filtered) task query finds, given that its page at `offset` had `found`
    rows: known without counting when the page is the last one, else COUNT(*) over its WHERE."""
    if found < limit and (found or not offset):
        return offset + found
    counted = query.with_only_columns(func.count()).select_from(Task).order_by(None)
    return session.connection().scalar(counted) or 0


def _ordered(query: Select[Any], sort: TaskSort) -> Select[Any]:
    if sort == "deadline":
        return query.order_by(Task.deadline.asc().nulls_last(), Task.id)
    if sort == "-deadline":
        return query.order_by(Task.deadline.desc().nulls_last(), Task.id)
    return query.order_by(Task.version_id, Task.position, Task.id)


def _order_of(session: Session, query: Select[Any]) -> array[int]:
    """The ids of every task an (ordered) task query finds, in its order (compact: memoized)."""
    return array("q", session.connection().scalars(query.with_only_columns(Task.id)))


def list_tasks(
    sessions: SessionFactory, f: TaskFilter, sort: TaskSort = "document", limit: int = 50, offset: int = 0
) -> v.Page[v.TaskView]:
    """Tasks matching `f`; ``document`` order is plan by plan, in the order of the text.

    A plan's or an organisation's tasks (hundreds) are read whole for the sort anyway, so their
    page comes with its count (``count(*) OVER ()``).  Over the whole registry, where a filter finds
    thousands, the order of all matches (their ids) is read once and memoized until the registry
    changes: its length is the total, and every page is a slice of it, at any offset.
    """
    with sessions() as s:
        conn = s.connection()  # plain rows: no ORM objects are built
        memo = MEMO.at(conn)
        query = _ordered(_task_query(s, f, memo), sort)
        bounded = f.plan_id is not None or f.org_id is not None
        if not bounded and _memoizable(f):
            order = memo.get(_memo_key(f"order {sort}", f), lambda: _order_of(s, query))
            page = order[offset : offset + limit]
            return v.Page(task_views(conn, page), len(order), limit, offset)
        counted = (func.count().over(),) if bounded else ()
        rows = conn.execute(
            query.with_only_columns(*TASK_COLUMNS, *counted).limit(limit).offset(offset)
        ).all()
        total = int(rows[0][-1] or 0) if bounded and rows else _count(s, query, offset, limit, len(rows))
        return v.Page(task_views(conn, [r[0] for r in rows], rows), total, limit, offset)


def get_task(sessions: SessionFactory, task_id: int) -> v.TaskView:
    with sessions() as s:
        views = task_views(s.connection(), [task_id])
        if not views:
            raise NotFound(f"找不到任务 {task_id}")
        return views[0]


def search_tasks(
    sessions: SessionFactory, q: str, f: TaskFilter | None = None, limit: int = 20, offset: int = 0
) -> v.Page[SearchHit]:
    """Tasks containing every term of `q`, best first, each with its marked fragment.

    Every match has to be scored to sort them, so the ranking (ids and scores of all matches, whose
    length is the total) is read once and memoized until the registry changes; each page then reads
    the views of its own tasks only.
    """
    terms = terms_of(q)
    if not terms:
        return v.Page([], 0, limit, offset)
    f = TaskFilter(**{**(f.__dict__ if f else {}), "q": q})
    with sessions() as s:
        conn = s.connection()
        memo = MEMO.at(conn)
        ranking = memo.get(_memo_key("search", f), lambda: _ranking(s, f, terms, memo), _memoizable(f))
        page = ranking.ids[offset : offset + limit]
        scores = dict(zip(page, ranking.scores[offset : offset + limit], strict=True))
        hits = [
            SearchHit(view, scores[view.id], fragment(view.title, view.text, terms))
            for view in task_views(conn, page)
        ]
        return v.Page(hits, len(ranking), limit, offset)


@dataclass
class _Ranking:
    """Every task a search finds, best first: ids and scores (compact arrays: rankings are memoized)."""

    ids: array[int]
    scores: array[float]

    def __len__(self) -> int:
        return len(self.ids)


def _ranking(session: Session, f: TaskFilter, terms: list[str], memo: Remembered) -> _Ranking:
    score = rank_expression(terms).label("score")
    query = _task_query(session, f, memo).with_only_columns(Task.id, score).order_by(score.desc(), Task.id)
    ranking = _Ranking(array("q"), array("d"))
    for task_id, value in session.connection().execute(query):
        ranking.ids.append(task_id)
        ranking.scores.append(float(value))
    return ranking


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


def units_in(s: Session, org_id: int | None = None, limit: int = 50, offset: int = 0) -> v.Page[v.UnitView]:
    """`list_units` inside a session the caller holds (a page reads in one)."""
    query = select(Unit).options(selectinload(Unit.aliases)).order_by(Unit.org_id, Unit.name, Unit.id)
    if org_id is not None:
        query = query.where(Unit.org_id == org_id)
    rows, total = _page(s, query, limit, offset)
    return v.Page([v.unit_view(u) for u in rows], total, limit, offset)
