"""领导批示 through the API (issue 14): ``GET``/``POST /api/v1/items/{item_id}/instructions`` and
``POST /api/v1/instructions/{instruction_id}/ack`` (已阅/办理).  The same use cases as the task page's
forms (`services.loop.instructions`): leaders, office staff and administrators write (403 otherwise);
a unit's reporter acknowledges once (409 the second time); reading follows the item's scope (404).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field

from eduplan.services.loop.instructions import acknowledge, write_instruction
from eduplan.services.tracking.instructions import InstructionView, list_instructions
from eduplan.web.deps import CurrentUser, Id, SessionsDep, Today
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["life"], responses=ERRORS)


class InstructionIn(BaseModel):
    body: Annotated[str, Field(max_length=20000, description="The 批示, 1–2000 characters.")]
    deadline: Annotated[
        str | None,
        Field(default=None, max_length=100, description="办理期限: 2025-03-31, 12月15日前, 下周五, 月底前"),
    ] = None


class AckIn(BaseModel):
    note: Annotated[str | None, Field(default=None, max_length=20000, description="办理情况")] = None


@router.get("/items/{item_id}/instructions")
def instructions(item_id: Id, who: CurrentUser, sessions: SessionsDep) -> list[InstructionView]:
    """The 批示 on a work item, newest first, with the units that have read each."""
    return list_instructions(sessions, who, item_id)


@router.post("/items/{item_id}/instructions", status_code=201)
def instruct(
    item_id: Id, body: InstructionIn, who: CurrentUser, sessions: SessionsDep, today: Today
) -> InstructionView:
    """Write a 批示 on a work item (leaders, office staff, administrators)."""
    return write_instruction(sessions, who, item_id, body.body, body.deadline, today)


@router.post("/instructions/{instruction_id}/ack")
def ack(instruction_id: Id, body: AckIn, who: CurrentUser, sessions: SessionsDep) -> InstructionView:
    """已阅/办理 of a 批示 by a reporter of a unit on the task (once per unit)."""
    return acknowledge(sessions, who, instruction_id, body.note)
