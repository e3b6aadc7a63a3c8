"""任务、完成、平均进度: the three figures of a plan's implementation, defined once for every place
that shows them — the plans list, 首页 (dashboard), 通报, 台账 and the API.

- **任务** (tasks): the plan's tasks the reader follows, one per active work item the reader sees
  whose parent item (if any) the reader does not see.  Background items (kind ``context``: 发展基础,
  指导思想 …) have no work item and are never counted; a task handed down (下发) to districts is
  counted once by the city — its children are the districts' own tasks, counted by each district.
- **完成** (done): the tasks every assigned unit of which marked 已完成 in its latest counted report
  (submitted or accepted); shown with its share of 任务: ``1 项（9.1%）``.
- **平均进度** (average): per task the mean of its assigned units' latest counted percent (a unit
  that has not reported counts 0), averaged over the tasks (a task without units counts 0).

A reporter's figures are over its own unit's slots only.  `measure` is the formula; the dashboard's
SQL (`dashboard_query`) computes the same per plan for thousands of plans and restricts its task
counts with `counted_items`, and `tests/services/test_measures.py` holds every place to it.
Limits: 完成 and 平均进度 read the latest counted report of any cycle, as of now.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, select
from sqlalchemy.orm import Session, aliased

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.report_slots import ReportSlot
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking.scope import orgs_within, visible_items

TASKS_LABEL = "任务"
DONE_LABEL = "完成"
AVERAGE_LABEL = "平均进度"
EXPLANATION = (
    "任务：计划中需落实的任务数（不含背景/说明条目；下发给区县的任务只计一次）。"
    "完成：各责任单位最近一次报送均为“已完成”的任务数，括号内为占任务数的比例。"
    "平均进度：每项任务取各责任单位最近一次报送的完成百分比的平均（未报送按 0 计），再对全部任务求平均。"
)
"""The footnote shown as text wherever the three figures appear."""

DONE_CODE = 1
"""`ReportSlot.latest_code` of a report marked 已完成."""

Slot = tuple[float | None, bool]
"""One assigned unit's latest counted report on a task: (percent, marked 已完成); (None, False): none."""


@dataclass(frozen=True, kw_only=True)
class Measures:
    """The three figures of a plan (or of several plans together)."""

    tasks: int
    done: int
    average: float
    """平均进度, in percent, one decimal."""
    completion: float = field(default=0.0)
    """完成 as a share of 任务, in percent, one decimal."""

    @classmethod
    def of(cls, tasks: int, done: int, average: float) -> Measures:
        completion = round(100.0 * done / tasks, 1) if tasks else 0.0
        return cls(tasks=tasks, done=done, average=round(average, 1), completion=completion)


def measure(tasks: Iterable[Sequence[Slot]]) -> Measures:
    """The figures of tasks given each task's slots (one per assigned unit)."""
    n, done, total = 0, 0, 0.0
    for slots in tasks:
        n += 1
        if slots:
            total += sum(p or 0.0 for p, _ in slots) / len(slots)
            done += all(d for _, d in slots)
    return Measures.of(n, done, total / n if n else 0.0)


def combine(parts: Iterable[Measures]) -> Measures:
    """Several plans' figures together (首页's totals): tasks and done add up, the average is per task."""
    parts = list(parts)
    tasks = sum(p.tasks for p in parts)
    average = sum(p.average * p.tasks for p in parts) / tasks if tasks else 0.0
    return Measures.of(tasks, sum(p.done for p in parts), average)


def counted_items(actor: Principal) -> ColumnElement[bool]:
    """The condition on visible `WorkItem` rows that are the actor's tasks (see 任务 above): no
    parent, or a parent out of the actor's sight (a district reads its children of the city's task)."""
    if actor.org_path is None:
        return WorkItem.parent_id.is_(None) if actor.is_admin else false()
    parent = aliased(WorkItem)
    seen = select(parent.id).where(
        parent.org_id.in_(select(Organisation.id).where(orgs_within(actor.org_path)))
    )
    if not actor.reads_org:  # a reporter sees an item only through its unit's assignment
        seen = seen.where(
            parent.id.in_(select(Assignment.item_id).where(Assignment.unit_id == actor.unit_id))
        )
    return WorkItem.parent_id.is_(None) | WorkItem.parent_id.not_in(seen)


def plan_measures(session: Session, actor: Principal, plan_ids: Sequence[int]) -> dict[int, Measures]:
    """Plan id → its figures as the actor follows it (plans the actor sees nothing of: 0 tasks)."""
    if not plan_ids:
        return {}
    items = dict(
        session.execute(
            select(WorkItem.id, WorkItem.plan_id).where(
                WorkItem.plan_id.in_(plan_ids),
                WorkItem.active.is_(True),
                visible_items(actor),
                counted_items(actor),
            )
        ).all()
    )
    slots: dict[int, list[Slot]] = defaultdict(list)
    if items:
        a, rs = Assignment, ReportSlot
        query = (
            select(a.item_id, rs.latest_percent, rs.latest_code)
            .outerjoin(rs, (rs.item_id == a.item_id) & (rs.unit_id == a.unit_id))
            .where(a.item_id.in_(list(items)), a.state == "assigned", a.unit_id.is_not(None))
        )
        if actor.role == "reporter":
            query = query.where(a.unit_id == actor.unit_id)
        for item_id, percent, code in session.execute(query):
            slots[item_id].append((percent, code == DONE_CODE))
    per_plan: dict[int, list[list[Slot]]] = {p: [] for p in plan_ids}
    for item_id, plan_id in items.items():
        per_plan[plan_id].append(slots.get(item_id, []))
    return {p: measure(tasks) for p, tasks in per_plan.items()}


@dataclass(frozen=True, kw_only=True)
class PlanFigures:
    """A plan's three figures with what they mean (the API's `/plans/{id}/measures`)."""

    plan_id: int
    tasks: int
    done: int
    completion: float
    average: float
    labels: dict[str, str] = field(
        default_factory=lambda: {"tasks": TASKS_LABEL, "done": DONE_LABEL, "average": AVERAGE_LABEL}
    )
    explanation: str = EXPLANATION


def plan_figures(sessions: SessionFactory, actor: Principal, plan_id: int) -> PlanFigures:
    """The figures of a plan whose implementation the actor follows (`NotFound` otherwise)."""
    from eduplan.services.tracking.plans import readable_plan

    with sessions() as session:
        readable_plan(session, actor, plan_id)
        m = plan_measures(session, actor, [plan_id])[plan_id]
    return PlanFigures(
        plan_id=plan_id, tasks=m.tasks, done=m.done, completion=m.completion, average=m.average
    )
