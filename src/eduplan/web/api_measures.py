"""A plan's 任务, 完成 and 平均进度 (`services.tracking.measures`): the same three figures the plans list,
首页, 通报 and 台账 show, with their labels and what they mean."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from eduplan.services.tracking.measures import PlanFigures, plan_figures
from eduplan.web.deps import CurrentUser, Id, SessionsDep
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 404)}
router = APIRouter(prefix="/api/v1", tags=["loop"], responses=ERRORS)


@router.get("/plans/{plan_id}/measures")
def measures(plan_id: Id, who: CurrentUser, sessions: SessionsDep) -> PlanFigures:
    """任务 (the plan's own tasks), 完成 (tasks done, with their share) and 平均进度 (mean reported percent)."""
    return plan_figures(sessions, who, plan_id)
