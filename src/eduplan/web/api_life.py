"""The task's life through the API (issue 14): 签收, 退回, 延期, 办结 of a unit's part of a task, the
office's decisions, 签收 of an urge, and the task's life as read.  Each route calls the same use
case as the page's form (`services.loop.life`, `life_requests`); changes carry the version read
(409 when someone moved first).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, Field

from eduplan.services.errors import NotFound
from eduplan.services.loop import life, life_requests
from eduplan.services.tracking import views as v
from eduplan.services.tracking.life import DutyView, TaskLife, life_in, request_item
from eduplan.web.deps import CurrentUser, Id, SessionsDep, SettingsDep, Today
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["life"], responses=ERRORS)
Text = Annotated[str, Field(min_length=1, max_length=20000)]


class VersionIn(BaseModel):
    version: int


class RefuseIn(BaseModel):
    version: int
    reason: Text
    proposed_unit_id: int | None = Field(default=None, description="The unit the task should go to.")


class ExtensionIn(BaseModel):
    version: int
    deadline: Annotated[
        str, Field(min_length=1, max_length=100, description="2025-03-31, 12月15日前, 下周五, 月底前")
    ]
    reason: Text


class ClosingIn(BaseModel):
    version: int
    note: Text


class DecisionIn(BaseModel):
    version: int = Field(description="The version of the asking unit's part (承办).")
    decision: Literal["approve", "refuse", "accept", "return", "reassign", "insist"]
    note: Annotated[str | None, Field(max_length=5000)] = None
    unit_id: int | None = Field(default=None, description="转办: the new unit (default: the one proposed).")


@router.get("/items/{item_id}/life")
def get_life(
    item_id: Id, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> TaskLife:
    """Each unit's part (签收, 单位时限, 办结) and every request with its decision."""
    with sessions() as session:
        return life_in(session, who, item_id, settings.sign_working_days, today)


@router.post("/items/{item_id}/sign")
def sign(
    item_id: Id, body: VersionIn, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> DutyView:
    """签收 the unit's part (its reporter)."""
    return life.sign(sessions, who, item_id, body.version, settings.sign_working_days)


@router.post("/items/{item_id}/refuse")
def refuse(
    item_id: Id, body: RefuseIn, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> DutyView:
    """退回: not this unit's duty (its reporter), perhaps naming the right unit."""
    return life.refuse(
        sessions, who, item_id, body.reason, body.version, body.proposed_unit_id, settings.sign_working_days
    )


@router.post("/items/{item_id}/extensions")
def ask_extension(
    item_id: Id,
    body: ExtensionIn,
    who: CurrentUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> DutyView:
    """延期申请 (its reporter, once signed)."""
    return life_requests.request_extension(
        sessions, who, item_id, body.deadline, body.reason, body.version, today, settings.sign_working_days
    )


@router.post("/items/{item_id}/closing")
def ask_closing(
    item_id: Id, body: ClosingIn, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> DutyView:
    """办结申请 with a closing note (its reporter, once signed)."""
    return life_requests.request_closing(
        sessions, who, item_id, body.note, body.version, settings.sign_working_days
    )


@router.post("/items/{item_id}/requests/{request_id}/decision")
def decide(
    item_id: Id,
    request_id: Id,
    body: DecisionIn,
    who: CurrentUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    today: Today,
) -> TaskLife:
    """The office's decision: approve/refuse an extension, accept/return a closing, reassign/insist on
    a refusal.  Returns the task's life after it."""
    if request_item(sessions, who, request_id) != item_id:
        raise NotFound(f"找不到申请 {request_id}")
    life_requests.decide_request(
        sessions,
        who,
        request_id,
        body.version,
        body.decision,
        body.note,
        body.unit_id,
        settings.sign_working_days,
    )
    with sessions() as session:
        return life_in(session, who, item_id, settings.sign_working_days, today)


@router.post("/urges/{urge_id}/sign")
def sign_urge(urge_id: Id, body: VersionIn, who: CurrentUser, sessions: SessionsDep) -> v.UrgeView:
    """签收 of an urge by the urged unit's reporter."""
    return life.sign_urge(sessions, who, urge_id, body.version)
