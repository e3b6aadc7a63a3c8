"""Comparison routes (对标) under ``/api/v1/compare``: the plans × topics matrix and its cells,
similar tasks, targets side by side, what is distinctive, year-over-year changes, consistency
checks, topic corrections and the xlsx export.

Each route is a few lines over `eduplan.services.compare` and returns its view (the same
dataclass the 对标 page renders).  Plans are chosen with ``plan_id`` (repeated) or ``org_id``;
without either, every plan of the registry is compared (up to `MAX_PLANS`).  Reading needs a
signed-in user; correcting topics needs office staff or an administrator of the plan's
organisation (or one above it).
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from eduplan.export.compare_xlsx import export_comparison
from eduplan.services import compare
from eduplan.services.compare import Selection
from eduplan.services.compare import views as v
from eduplan.topics import TOPICS
from eduplan.web.deps import CurrentUser, Id, SessionsDep, get_current_user
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (400, 401, 403, 404, 422)}
router = APIRouter(
    prefix="/api/v1", tags=["compare"], responses=ERRORS, dependencies=[Depends(get_current_user)]
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _selection(
    plan_id: Annotated[
        list[int] | None,
        Query(description="Plans to compare (repeat: plan_id=1&plan_id=2); default: every plan."),
    ] = None,
    org_id: Annotated[int | None, Query(description="Only plans of this organisation and below it.")] = None,
) -> Selection:
    return Selection(tuple(dict.fromkeys(plan_id or ())), org_id)


Chosen = Annotated[Selection, Depends(_selection)]
Secondary = Annotated[bool, Query(description="Count a task under each of its topics, not only the primary.")]


class TopicsIn(BaseModel):
    topics: Annotated[list[str], Field(min_length=1, max_length=3, description="Topic ids, primary first.")]
    expected: Annotated[
        list[str] | None, Field(description="The topics the editor saw; 409 if they changed since.")
    ] = None


@router.get("/compare/topics")
def topics() -> list[v.TopicRef]:
    """The topic taxonomy (ids and Chinese names), in display order."""
    return [v.TopicRef(id=t.id, name=t.name) for t in TOPICS]


@router.get("/compare/matrix")
def matrix(sessions: SessionsDep, chosen: Chosen, secondary: Secondary = False) -> v.MatrixView:
    """Plans × topics: the number of tasks and targets in each cell."""
    return compare.matrix(sessions, chosen, secondary=secondary)


@router.get("/compare/matrix/{topic}")
def cell(sessions: SessionsDep, chosen: Chosen, topic: str, secondary: Secondary = False) -> v.CellView:
    """One topic opened: the tasks of every plan on it side by side, with their targets."""
    return compare.cell(sessions, chosen, topic, secondary=secondary)


K = Annotated[int, Query(ge=1, le=20, description="How many similar tasks.")]


@router.get("/compare/tasks/{task_id}/similar")
def similar_tasks(sessions: SessionsDep, chosen: Chosen, task_id: Id, k: K = 5) -> v.SimilarView:
    """The tasks of other plans most like this one, the phrases they share marked."""
    return compare.similar(sessions, chosen, "item", task_id, k)


@router.get("/compare/projects/{project_id}/similar")
def similar_projects(sessions: SessionsDep, chosen: Chosen, project_id: Id, k: K = 5) -> v.SimilarView:
    """The tasks and key projects of other plans most like this key project."""
    return compare.similar(sessions, chosen, "project", project_id, k)


@router.get("/compare/targets")
def targets(
    sessions: SessionsDep,
    chosen: Chosen,
    min_plans: Annotated[int, Query(ge=1, description="Only groups found in this many plans.")] = 1,
) -> v.TargetsView:
    """Targets side by side: grouped by what they measure, values also in base units."""
    return compare.targets(sessions, chosen, min_plans=min_plans)


@router.get("/compare/plans/{plan_id}/distinctive")
def distinctive(
    sessions: SessionsDep,
    plan_id: Id,
    compared: Annotated[
        list[int] | None,
        Query(
            alias="plan_id",
            description="The plans to compare with (repeat: plan_id=1&plan_id=2, as on every compare "
            "endpoint); default: every plan.",
        ),
    ] = None,
    among: Annotated[list[int] | None, Query(description="Older name of `plan_id`.", deprecated=True)] = None,
    org_id: Annotated[int | None, Query(description="Only plans of this organisation and below it.")] = None,
) -> v.DistinctiveView:
    """The few tasks of this plan no other compared plan resembles (特色工作), least alike first."""
    chosen = tuple(dict.fromkeys([*(compared or ()), *(among or ())]))
    return compare.distinctive(sessions, plan_id, Selection(chosen, org_id))


@router.get("/compare/plans/{plan_id}/changes")
def changes(
    sessions: SessionsDep,
    plan_id: Id,
    before: Annotated[int | None, Query(description="The earlier plan (default: the year before).")] = None,
) -> v.YearChangesView:
    """Tasks carried over, dropped and new since the earlier plan of the same organisation."""
    return compare.year_changes(sessions, plan_id, before)


@router.get("/compare/plans/{plan_id}/consistency")
def consistency(sessions: SessionsDep, plan_id: Id) -> v.ConsistencyView:
    """Consistency checks within the plan (figures vs tables, baselines, 其中 sums, numbering, 目录)."""
    return compare.consistency(sessions, plan_id)


@router.get("/compare/tasks/{task_id}/topics")
def task_topics(sessions: SessionsDep, task_id: Id) -> v.EntryTopicsView:
    """A task's topics with their evidence, and the corrections made to them."""
    return compare.entry_topics(sessions, "item", task_id)


@router.put("/compare/tasks/{task_id}/topics", responses={409: PROBLEM_RESPONSES[409]})
def correct_task(sessions: SessionsDep, who: CurrentUser, task_id: Id, body: TopicsIn) -> v.EntryTopicsView:
    """Set a task's topics, primary first (office staff; kept across new versions; audited)."""
    return compare.correct_topics(sessions, who, "item", task_id, body.topics, body.expected)


@router.get("/compare/projects/{project_id}/topics")
def project_topics(sessions: SessionsDep, project_id: Id) -> v.EntryTopicsView:
    """A key project's topics with their evidence, and the corrections made to them."""
    return compare.entry_topics(sessions, "project", project_id)


@router.put("/compare/projects/{project_id}/topics", responses={409: PROBLEM_RESPONSES[409]})
def correct_project(
    sessions: SessionsDep, who: CurrentUser, project_id: Id, body: TopicsIn
) -> v.EntryTopicsView:
    """Set a key project's topics, primary first (office staff; audited)."""
    return compare.correct_topics(sessions, who, "project", project_id, body.topics, body.expected)


@router.get(
    "/compare/export.xlsx",
    response_class=Response,
    responses={200: {"description": "The comparison as xlsx.", "content": {XLSX: {}}}},
)
def export(
    sessions: SessionsDep,
    chosen: Chosen,
    secondary: Secondary = False,
    after: Annotated[int | None, Query(description="Add the year-over-year sheet for this plan.")] = None,
    before: Annotated[int | None, Query(description="The earlier plan of that sheet.")] = None,
) -> Response:
    """The comparison as a workbook: 对标矩阵, 分主题任务, 目标对照, 自查问题 (and 年度变化)."""
    with tempfile.TemporaryDirectory(prefix="eduplan-compare-") as folder:
        path = export_comparison(
            sessions, chosen, Path(folder) / "对标.xlsx", after=after, before=before, secondary=secondary
        )
        data = path.read_bytes()
    headers = {"Content-Disposition": f"attachment; filename*=UTF-8''{quote('对标.xlsx')}"}
    return Response(data, media_type=XLSX, headers=headers)
