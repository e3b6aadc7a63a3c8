"""The signed-in user's inbox (站内消息)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from eduplan.services import notify
from eduplan.web.deps import CurrentUser, Id, SessionsDep
from eduplan.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["inbox"], responses={s: PROBLEM_RESPONSES[s] for s in (401, 404)})


@router.get("/inbox")
def inbox(
    who: CurrentUser,
    sessions: SessionsDep,
    unread: bool = False,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> list[notify.NotificationView]:
    """One's notices, newest first."""
    return notify.list_inbox(sessions, who, unread, limit)


@router.post("/inbox/{notification_id}/read")
def read_one(notification_id: Id, who: CurrentUser, sessions: SessionsDep) -> int:
    """Mark a notice read."""
    return notify.mark_read(sessions, who, notification_id)


@router.post("/inbox/read")
def read_all(who: CurrentUser, sessions: SessionsDep) -> int:
    """Mark every notice read; how many were unread."""
    return notify.mark_read(sessions, who)
