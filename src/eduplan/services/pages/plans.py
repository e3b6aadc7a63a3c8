"""Read use cases behind the 规划 pages: the list of plans a user may see, and one plan's page (its
document-shaped outline with each task's work item, light and topics, versions and what changed).

Who sees a plan is `registry.visibility`'s rule: every signed-in user reads every published plan;
the facts of its implementation (reporting opened, cycle, items, completion) only for the plans
the user follows (`followed_plans`: their organisation's and below, or handed down to them).

Both read in a constant number of queries whatever the plan's size: the list one per kind of fact
for the page of plans (versions, task counts, schedules, and `loop.measures`' items and slots); the plan page reads the
version's stored Plan JSON (one row) instead of rebuilding it from its task rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.tasks import Task
from eduplan.db.work import ReportingSchedule
from eduplan.services.accounts.principal import Principal
from eduplan.services.pages.plan_outline import KIND_LABELS
from eduplan.services.registry.views import PlanBrief, plan_period
from eduplan.services.registry.visibility import followed_plans, readable_plans
from eduplan.services.tracking.measures import EXPLANATION, plan_measures
from eduplan.services.view_rows import from_row


@dataclass(kw_only=True)
class PlanFilter:
    q: str = ""
    org_id: int | None = None
    kind: str = ""
    year: int | None = None
    opened: str = ""  # "", "yes", "no"


@dataclass(kw_only=True)
class PlanHead(PlanBrief):
    """What both the list of plans and a plan's page say of a plan before its own facts."""

    kind_label: str
    period: list[int] | None


def plan_head(p: Any, org_name: str) -> PlanHead:
    """The head of a plan (a `Plan` or a row of its columns) and its organisation's name."""
    kind_label, period = KIND_LABELS.get(p.kind, p.kind), plan_period(p.period_start, p.period_end)
    return from_row(PlanHead, p, org_name=org_name, kind_label=kind_label, period=period)


@dataclass(kw_only=True)
class PlanRow(PlanHead):
    version: int
    tasks: int
    opened: bool | None
    """Opened for reporting (None: a plan the user does not follow, whose reporting is internal)."""
    cycle: str | None
    items: int
    completion: float | None
    """完成 as a share of 任务, in percent (`loop.measures`; None: not opened, or not followed)."""
    done: int | None = None
    """完成: tasks done (`loop.measures`; None: not opened, or not followed)."""
    average: float | None = None
    """平均进度 (`loop.measures`; None: not opened, or not followed)."""


@dataclass(kw_only=True)
class PlanList:
    items: list[PlanRow]
    total: int
    limit: int
    offset: int
    filters: PlanFilter
    orgs: list[tuple[int, str]]
    years: list[int]
    kinds: list[tuple[str, str]]
    can_import: bool
    explanation: str = EXPLANATION
    """What 任务, 完成 and 平均进度 mean (`loop.measures`), shown under the table."""


def list_plans(
    sessions: SessionFactory, actor: Principal, f: PlanFilter, limit: int = 20, offset: int = 0
) -> PlanList:
    """A page of the published plans, newest year first, with the facts of those the actor follows."""
    scope = readable_plans(actor)
    followed = followed_plans(actor)
    query = (
        select(
            Plan.id,
            Plan.org_id,
            Organisation.name.label("org_name"),
            Plan.title,
            Plan.kind,
            Plan.year,
            Plan.period_start,
            Plan.period_end,
        )
        .join(Organisation, Plan.org_id == Organisation.id)
        .where(scope)
    )
    if f.q.strip():
        for word in f.q.split():
            query = query.where(Plan.title.contains(word, autoescape=True))
    if f.org_id is not None:
        query = query.where(Plan.org_id == f.org_id)
    if f.kind:
        query = query.where(Plan.kind == f.kind)
    if f.year is not None:
        query = query.where(
            (Plan.year == f.year) | ((Plan.period_start <= f.year) & (Plan.period_end >= f.year))
        )
    opened = exists().where(ReportingSchedule.plan_id == Plan.id)
    if f.opened == "yes":
        query = query.where(opened, followed)
    elif f.opened == "no":
        query = query.where(~opened, followed)
    with sessions() as s:
        total = s.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
        rows = s.execute(
            query.order_by(Plan.year.desc().nulls_last(), Plan.id.desc()).limit(limit).offset(offset)
        ).all()
        ids = [r.id for r in rows]
        mine = set(s.scalars(select(Plan.id).where(Plan.id.in_(ids), followed))) if ids else set()
        facts = _list_facts(s, ids)
        measures = plan_measures(s, actor, [i for i in ids if i in mine])
        orgs = s.execute(
            select(Organisation.id, Organisation.name)
            .where(Organisation.id.in_(select(Plan.org_id).where(scope)))
            .order_by(Organisation.path)
        ).all()
        years = sorted(
            {y for (y,) in s.execute(select(Plan.year).where(scope).distinct()) if y is not None},
            reverse=True,
        )
    out = []
    for r in rows:
        version, tasks, cycle = facts.get(r.id, (0, 0, None))
        if r.id not in mine:  # another organisation's plan: its implementation is internal
            cycle = None
        m = measures.get(r.id) if cycle is not None else None
        items = m.tasks if m else 0  # the active items the actor follows: its tasks (`loop.measures`)
        out.append(
            from_row(
                PlanRow,
                plan_head(r, r.org_name),
                version=version,
                tasks=m.tasks if m else tasks,
                opened=(cycle is not None) if r.id in mine else None,
                cycle=cycle,
                items=items,
                completion=m.completion if m else None,
                done=m.done if m else None,
                average=m.average if m else None,
            )
        )
    kinds = list(KIND_LABELS.items())
    return PlanList(
        items=out,
        total=total,
        limit=limit,
        offset=offset,
        filters=f,
        orgs=[(o.id, o.name) for o in orgs],
        years=years,
        kinds=kinds,
        can_import=actor.manages,
    )


def _list_facts(s: Session, ids: list[int]) -> dict[int, tuple[int, int, str | None]]:
    """Plan id → (latest version, its tasks (kind ``task``), cycle)."""
    if not ids:
        return {}
    later = aliased(PlanVersion)
    newest = ~exists().where(later.plan_id == PlanVersion.plan_id, later.number > PlanVersion.number)
    versions = {
        plan_id: (number, tasks)
        for plan_id, number, tasks in s.execute(
            select(PlanVersion.plan_id, PlanVersion.number, func.count(Task.id))
            .outerjoin(Task, (Task.version_id == PlanVersion.id) & (Task.kind == "task"))
            .where(PlanVersion.plan_id.in_(ids), newest)
            .group_by(PlanVersion.plan_id, PlanVersion.number)
        )
    }
    cycles = dict(
        s.execute(
            select(ReportingSchedule.plan_id, ReportingSchedule.cycle).where(
                ReportingSchedule.plan_id.in_(ids)
            )
        ).all()
    )
    out: dict[int, tuple[int, int, str | None]] = {}
    for plan_id in ids:
        number, tasks = versions.get(plan_id, (0, 0))
        out[plan_id] = (number, tasks, cycles.get(plan_id))
    return out
