"""Year-end evaluation routes: the plan's rubric, the ranking with each score's explanation, a
unit's self-assessment (自评) and the reviewer's score (复核)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from eduplan.services import loop
from eduplan.web.deps import AsOf, CurrentUser, Id, SessionsDep, SettingsDep
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["evaluation"], responses=ERRORS)
Points = Annotated[float, Field(ge=0, le=100)]


class RubricIn(BaseModel):
    completion_weight: Points = 40
    timeliness_weight: Points = 30
    target_weight: Points = 30
    urge_penalty: Points = 2
    rectification_penalty: Points = 3
    max_penalty: Points = 20
    version: int | None = None


class ScoreIn(BaseModel):
    score: Points
    note: Annotated[str, Field(max_length=5000)] = ""
    version: int | None = None


@router.get("/plans/{plan_id}/evaluation")
def evaluation(
    plan_id: Id, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep, day: AsOf
) -> loop.Evaluation:
    """The units ranked by score, each with the arithmetic behind it."""
    return loop.evaluate(sessions, settings, who, plan_id, day)


@router.put("/plans/{plan_id}/evaluation/rubric")
def set_rubric(plan_id: Id, body: RubricIn, who: CurrentUser, sessions: SessionsDep) -> loop.Rubric:
    """Set the weights and penalties (office staff)."""
    given = loop.Rubric(**body.model_dump(exclude={"version"}))
    return loop.set_rubric(sessions, who, plan_id, given, body.version)


@router.put("/plans/{plan_id}/evaluation/self", status_code=204)
def self_assess(plan_id: Id, body: ScoreIn, who: CurrentUser, sessions: SessionsDep) -> Response:
    """The signed-in reporter's unit assesses itself."""
    loop.self_assess(sessions, who, plan_id, body.score, body.note, body.version)
    return Response(status_code=204)


@router.put("/plans/{plan_id}/evaluation/units/{unit_id}/review", status_code=204)
def review(plan_id: Id, unit_id: Id, body: ScoreIn, who: CurrentUser, sessions: SessionsDep) -> Response:
    """The reviewer's score for a unit, with its reason (office staff)."""
    loop.review(sessions, who, plan_id, unit_id, body.score, body.note, body.version)
    return Response(status_code=204)
