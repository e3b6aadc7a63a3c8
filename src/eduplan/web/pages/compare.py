"""对标 pages over `services.compare` (the same views the /api/v1/compare routes return):

- ``/compare?plan=…&plan=…``: the plans × topics matrix (tasks and targets per cell), targets side
  by side, links to each plan's own comparison and the xlsx download;
- ``/compare/topics/{topic}``: a cell opened — every plan's tasks on that topic side by side;
- ``/compare/tasks/{task_id}``: the tasks of other plans most like this one, shared phrases
  marked in both texts, and the task's topics corrected (office staff of the plan's organisation or
  above it, and administrators: the form is shown only to them);
- ``/compare/plans/{plan_id}``: what is distinctive (特色) in a plan, its changes since the year
  before, and its consistency checks (自查).

Plans are chosen with repeated ``plan`` parameters (default: every plan, up to the service's
limit).  Shared phrases are marked by the template from the service's `Segment` runs (escaped
text inside ``<mark>``); nothing is passed as raw markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.db.engine import SessionFactory
from eduplan.services import compare
from eduplan.services import registry as reg
from eduplan.services.accounts import Principal
from eduplan.services.compare import Selection
from eduplan.services.compare import views as v
from eduplan.services.errors import Conflict, Invalid, NotFound
from eduplan.topics import TOPICS
from eduplan.web.deps import SessionsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class Chosen:
    """The plans chosen (repeated ``plan`` parameters), and the same as a query string for links."""

    selection: Selection
    query: str


def chosen_plans(plan: Annotated[list[int] | None, Query(alias="plan")] = None) -> Chosen:
    ids = tuple(dict.fromkeys(plan or ()))
    return Chosen(Selection(ids, None), urlencode([("plan", i) for i in ids]))


Plans = Annotated[Chosen, Depends(chosen_plans)]


@dataclass(kw_only=True)
class ComparePage:
    plans: list[tuple[int, str]]
    chosen: list[int]
    query: str
    matrix: v.MatrixView
    targets: v.TargetsView
    xlsx: str


@page(router, "/compare", "compare/index.html")
def compare_page(request: Request, who: PageUser, sessions: SessionsDep, chosen: Plans) -> ComparePage:
    """The matrix and the targets side by side."""
    selection, query = chosen.selection, chosen.query
    plans = [
        (p.id, f"{p.title}（{p.org_name}）") for p in reg.list_plans(sessions, None, None, None, 200, 0).items
    ]
    matrix = compare.matrix(sessions, selection)
    targets = compare.targets(sessions, selection, min_plans=2 if len(matrix.plans) > 1 else 1)
    xlsx = "/api/v1/compare/export.xlsx" + (f"?{query.replace('plan=', 'plan_id=')}" if query else "")
    return ComparePage(
        plans=plans, chosen=list(selection.plan_ids), query=query, matrix=matrix, targets=targets, xlsx=xlsx
    )


@dataclass(kw_only=True)
class CellPage:
    cell: v.CellView
    query: str


@page(router, "/compare/topics/{topic}", "compare/cell.html")
def topic_cell(request: Request, topic: str, who: PageUser, sessions: SessionsDep, chosen: Plans) -> CellPage:
    """One topic opened: every plan's tasks on it, side by side with their targets."""
    try:
        compare.check_topic(topic)
    except Invalid as exc:
        raise NotFound(str(exc)) from None
    return CellPage(cell=compare.cell(sessions, chosen.selection, topic), query=chosen.query)


@dataclass(kw_only=True)
class TaskPage:
    similar: v.SimilarView
    topics: v.EntryTopicsView
    all_topics: list[v.TopicRef]
    can_correct: bool
    query: str
    values: list[str] = field(default_factory=list)
    error: str | None = None


def _task_page(sessions: SessionFactory, who: Principal, task_id: int, chosen: Chosen) -> TaskPage:
    similar = compare.similar(sessions, chosen.selection, "item", task_id, 5)
    topics = compare.entry_topics(sessions, "item", task_id)
    everything = [v.TopicRef(id=t.id, name=t.name) for t in TOPICS]
    allowed = compare.may_correct(sessions, who, topics.plan_id)
    return TaskPage(
        similar=similar,
        topics=topics,
        all_topics=everything,
        can_correct=allowed,
        query=chosen.query,
        values=[t.id for t in topics.topics],
    )


@page(router, "/compare/tasks/{task_id:int}", "compare/task.html")
def task_page(
    request: Request, task_id: int, who: PageUser, sessions: SessionsDep, chosen: Plans
) -> TaskPage:
    """Similar tasks of other plans, shared phrases marked; the task's topics."""
    return _task_page(sessions, who, task_id, chosen)


@router.post("/compare/tasks/{task_id:int}/topics", response_class=HTMLResponse)
def correct(
    request: Request,
    task_id: int,
    who: FormUser,
    sessions: SessionsDep,
    primary: Annotated[str, Form(max_length=50)] = "",
    secondary: Annotated[list[str] | None, Form(max_length=50)] = None,
    seen: Annotated[str | None, Form(max_length=500)] = None,
) -> Response:
    """Correct the task's topics, primary first (office staff); `seen` are the topics the editor
    saw, so that a correction someone else saved meanwhile is not silently overwritten."""
    chosen = list(dict.fromkeys([primary, *(secondary or [])]))
    chosen = [t for t in chosen if t]
    try:
        if not chosen:
            raise Invalid("请选择主要主题")
        expected = None if seen is None else [t for t in seen.split(",") if t]
        compare.correct_topics(sessions, who, "item", task_id, chosen, expected)
    except (Invalid, Conflict) as exc:
        data = _task_page(sessions, who, task_id, chosen_plans())
        data.values, data.error = chosen, str(exc)
        return render(request, "compare/task.html", data, 409 if isinstance(exc, Conflict) else 422)
    return redirect(f"/compare/tasks/{task_id}", "主题已校正")


@dataclass(kw_only=True)
class PlanPage:
    plan_id: int
    distinctive: v.DistinctiveView
    changes: v.YearChangesView | None
    changes_problem: str | None
    consistency: v.ConsistencyView
    query: str


@page(router, "/compare/plans/{plan_id:int}", "compare/plan.html")
def plan_page(
    request: Request, plan_id: int, who: PageUser, sessions: SessionsDep, chosen: Plans
) -> PlanPage:
    """A plan's distinctive tasks, year-over-year changes and consistency findings."""
    distinctive = compare.distinctive(sessions, plan_id, chosen.selection)
    changes, problem = None, None
    try:
        changes = compare.year_changes(sessions, plan_id, None)
    except (Invalid, NotFound) as exc:
        problem = str(exc)
    return PlanPage(
        plan_id=plan_id,
        distinctive=distinctive,
        changes=changes,
        changes_problem=problem,
        consistency=compare.consistency(sessions, plan_id),
        query=chosen.query,
    )
