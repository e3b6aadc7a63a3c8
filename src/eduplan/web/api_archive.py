"""Closed years (年度归档): ``GET``/``POST /api/v1/archives``, ``POST /api/v1/plans/{id}/archive-year``,
``DELETE /api/v1/archives/{org_id}/{year}`` (administrators reopen a year).

Office staff and administrators archive (403 for other roles); a year already archived is 409, a
year without plans 422.  Afterwards every write to those plans' work answers 409 with the reason.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from eduplan.services import archive
from eduplan.services.archive import ArchiveView
from eduplan.web.deps import CurrentUser, Id, SessionsDep
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["implementation"], responses=ERRORS)


class ArchiveIn(BaseModel):
    org_id: Annotated[int, Field(ge=0, le=2**31 - 1, description="The organisation whose year closes.")]
    year: Annotated[int, Field(ge=1949, le=2200, description="The year, e.g. 2024.")]


@router.get("/archives")
def archives(who: CurrentUser, sessions: SessionsDep) -> list[ArchiveView]:
    """The archived years of the organisations the user sees, newest first."""
    return archive.list_archives(sessions, who)


@router.post("/archives", status_code=201)
def archive_year(body: ArchiveIn, who: CurrentUser, sessions: SessionsDep) -> ArchiveView:
    """Archive an organisation's plans of one year: read-only afterwards, still read and exported."""
    return archive.archive_year(sessions, who, body.org_id, body.year)


@router.post("/plans/{plan_id}/archive-year", status_code=201)
def archive_plan_year(plan_id: Id, who: CurrentUser, sessions: SessionsDep) -> ArchiveView:
    """Archive the year this plan belongs to, in the plan's organisation."""
    return archive.archive_plan_year(sessions, who, plan_id)


@router.delete("/archives/{org_id}/{year}", status_code=204)
def reopen_year(org_id: Id, year: Id, who: CurrentUser, sessions: SessionsDep) -> Response:
    """Reopen an archived year (administrators only; audited)."""
    archive.reopen_year(sessions, who, org_id, year)
    return Response(status_code=204)
