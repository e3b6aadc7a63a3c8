"""The plan page's 归档本年度 button: ``POST /plans/{plan_id}/archive-year`` archives the plan's year
(`services.archive`) and goes back to the plan, saying what happened."""

from __future__ import annotations

from fastapi import APIRouter, Response

from eduplan.services import archive
from eduplan.services.errors import Conflict, Invalid
from eduplan.web.deps import Id, SessionsDep
from eduplan.web.pages.access import FormUser
from eduplan.web.pages.render import redirect

router = APIRouter()


@router.post("/plans/{plan_id}/archive-year")
def archive_year(plan_id: Id, who: FormUser, sessions: SessionsDep) -> Response:
    """Archive the plan's year; a year already archived or without a year is said on the plan page."""
    try:
        done = archive.archive_plan_year(sessions, who, plan_id)
    except (Conflict, Invalid) as exc:
        return redirect(f"/plans/{plan_id}", str(exc), "warn")
    return redirect(f"/plans/{plan_id}", f"{done.org_name}{done.note}：{done.plans} 份计划只能查阅和导出")
