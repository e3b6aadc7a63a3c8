"""Supervision routes: urges (催办/督办) with escalation, and rectifications (整改) with evidence and
sign-off (销号).  Each route calls one use case as the signed-in user; changes carry the version read.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from eduplan.services import loop, tracking
from eduplan.services.tracking import views as v
from eduplan.web.api_reports import EVIDENCE_BODY, read_upload
from eduplan.web.deps import CurrentUser, Id, SessionsDep, SettingsDep, Today
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["supervision"], responses=ERRORS)
Words = Annotated[str, Field(min_length=1, max_length=100, description="2024-09-30, 9月底前, 月底前…")]


class UrgeIn(BaseModel):
    note: Annotated[str, Field(min_length=1, max_length=5000)]
    due_on: Words
    unit_id: int | None = Field(default=None, description="One assigned unit; none: the whole task.")
    level: Literal["yellow", "red"] = "yellow"


class AnswerIn(BaseModel):
    version: int
    response: Annotated[str, Field(min_length=1, max_length=20000)]


class VersionIn(BaseModel):
    version: int


class EscalateIn(BaseModel):
    days: Annotated[int, Field(ge=1, le=90, description="Days the escalated urges get to be answered.")] = 7
    on: date | None = Field(default=None, description="As of this day (default: today).")


class RectificationIn(BaseModel):
    unit_id: int
    finding: Annotated[str, Field(min_length=1, max_length=20000)]
    deadline: Words
    urge_id: int | None = None


class MeasuresIn(BaseModel):
    version: int
    measures: Annotated[str, Field(min_length=1, max_length=20000)]


class SignOffIn(BaseModel):
    version: int
    accept: bool
    note: Annotated[str | None, Field(max_length=5000)] = None


@router.post("/items/{item_id}/urges", status_code=201)
def issue_urge(item_id: Id, body: UrgeIn, who: CurrentUser, sessions: SessionsDep) -> v.UrgeView:
    """催办 (yellow) or 督办 (red) a task or one of its units (office staff)."""
    return loop.issue_urge(sessions, who, item_id, body.note, body.due_on, body.unit_id, body.level)


@router.get("/urges")
def list_urges(
    who: CurrentUser, sessions: SessionsDep, item_id: int | None = None, open_only: bool = False
) -> list[v.UrgeView]:
    """Urges the user may see, newest first."""
    return tracking.list_urges(sessions, who, item_id, open_only)


@router.post("/urges/escalate")
def escalate(body: EscalateIn, who: CurrentUser, sessions: SessionsDep, today: Today) -> list[int]:
    """Escalate every yellow urge unanswered past its date to red (office staff; run daily)."""
    return loop.escalate_overdue(sessions, who, body.on or today, body.days)


@router.post("/urges/{urge_id}/answer")
def answer_urge(urge_id: Id, body: AnswerIn, who: CurrentUser, sessions: SessionsDep) -> v.UrgeView:
    """The urged unit's answer."""
    return loop.answer_urge(sessions, who, urge_id, body.response, body.version)


@router.post("/urges/{urge_id}/close")
def close_urge(urge_id: Id, body: VersionIn, who: CurrentUser, sessions: SessionsDep) -> v.UrgeView:
    """Close an urge (办结, office staff)."""
    return loop.close_urge(sessions, who, urge_id, body.version)


@router.post("/items/{item_id}/rectifications", status_code=201)
def raise_rectification(
    item_id: Id, body: RectificationIn, who: CurrentUser, sessions: SessionsDep
) -> v.RectificationView:
    """A finding an assigned unit must put right by a deadline (office staff)."""
    return loop.raise_rectification(
        sessions, who, item_id, body.unit_id, body.finding, body.deadline, body.urge_id
    )


@router.get("/rectifications")
def list_rectifications(
    who: CurrentUser,
    sessions: SessionsDep,
    item_id: int | None = None,
    state: Literal["open", "submitted", "signed_off"] | None = None,
) -> list[v.RectificationView]:
    """Rectifications the user may see."""
    return tracking.list_rectifications(sessions, who, item_id, state)


@router.post("/rectifications/{rect_id}/evidence", status_code=201, openapi_extra=EVIDENCE_BODY)
async def add_rectification_evidence(
    rect_id: Id, request: Request, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> v.EvidenceView:
    """Attach evidence of the measures (PDF, image, docx/xlsx/pptx; checked by content)."""
    name, data = await read_upload(request, settings.evidence_max_bytes)
    return await run_in_threadpool(
        loop.add_rectification_evidence, sessions, settings, who, rect_id, name, data
    )


@router.post("/rectifications/{rect_id}/submit")
def submit_rectification(
    rect_id: Id, body: MeasuresIn, who: CurrentUser, sessions: SessionsDep
) -> v.RectificationView:
    """Submit the measures taken for sign-off (the unit's reporter; evidence first)."""
    return loop.submit_rectification(sessions, who, rect_id, body.measures, body.version)


@router.post("/rectifications/{rect_id}/sign-off")
def sign_off(rect_id: Id, body: SignOffIn, who: CurrentUser, sessions: SessionsDep) -> v.RectificationView:
    """销号 (accept: true), or send back with a note (office staff)."""
    return loop.sign_off(sessions, who, rect_id, body.version, body.accept, body.note)
