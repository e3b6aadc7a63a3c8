"""Comments (评论) on a work item: ``GET``/``POST /api/v1/items/{item_id}/comments``.

Reading follows the item's scope (a reporter: only its unit's items, anything else is 404);
viewers may read but not write (403); a comment is 1–2000 characters (422 otherwise).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from eduplan.services.loop.comments import add_comment
from eduplan.services.tracking.comments import CommentView, list_comments
from eduplan.web.deps import CurrentUser, Id, SessionsDep
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 422)}
router = APIRouter(prefix="/api/v1", tags=["implementation"], responses=ERRORS)


class CommentIn(BaseModel):
    body: Annotated[str, Field(max_length=20000, description="The comment, 1–2000 characters.")]


@router.get("/items/{item_id}/comments")
def comments(item_id: Id, who: CurrentUser, sessions: SessionsDep) -> list[CommentView]:
    """The comments on a work item, oldest first."""
    return list_comments(sessions, who, item_id)


@router.post("/items/{item_id}/comments", status_code=201)
def comment(item_id: Id, body: CommentIn, who: CurrentUser, sessions: SessionsDep) -> CommentView:
    """Comment on a work item (any role that reads it, except viewers)."""
    return add_comment(sessions, who, item_id, body.body)
