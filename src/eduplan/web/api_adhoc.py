"""交办事项 routes (issue 14): create a 批示件, 会议议定事项, 上级交办 item, 人大建议/政协提案 or a recurring
常态化 duty (office staff), and read an item's source and occurrences.  The same use case as the page
(`loop.adhoc.create_item`); a scanned attachment is uploaded from the page (/adhoc/new), not here.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from eduplan.choices import ADHOC_SOURCE_LABELS, RECURRENCE_LABELS
from eduplan.services.errors import NotFound
from eduplan.services.loop.adhoc import AdhocInput, CreatedItem, create_item
from eduplan.services.tracking.adhoc import AdhocView, adhoc_in
from eduplan.web.deps import MAX_INT, CurrentUser, Id, SessionsDep, SettingsDep, Today
from eduplan.web.problems import PROBLEM_RESPONSES

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 422)}
router = APIRouter(prefix="/api/v1", tags=["adhoc"], responses=ERRORS)
UnitId = Annotated[int, Field(ge=0, le=MAX_INT)]


def _codes(labels: Mapping[str, str]) -> str:
    return "；".join(f"{code}（{word}）" for code, word in labels.items())


class AdhocIn(BaseModel):
    source: Annotated[str, Field(max_length=20, description=_codes(ADHOC_SOURCE_LABELS))]
    title: Annotated[str, Field(min_length=1, max_length=500)]
    text: Annotated[str, Field(max_length=20000)] = ""
    reference: Annotated[str, Field(max_length=200)] = ""
    proposer: Annotated[str, Field(max_length=200)] = ""
    deadline: Annotated[str, Field(max_length=100, description="2024-09-30, 9月底前…; empty: none")] = ""
    lead_unit_id: UnitId
    support_unit_ids: Annotated[list[UnitId], Field(max_length=50)] = []
    recurrence: Annotated[str | None, Field(max_length=20, description=_codes(RECURRENCE_LABELS))] = None
    given_on: date | None = Field(default=None, description="交办日期 (default: today), not after today.")


@router.post("/adhoc", status_code=201)
async def create(body: AdhocIn, who: CurrentUser, sessions: SessionsDep, today: Today) -> CreatedItem:
    """Create a 交办事项 as a task of the organisation's register, assigned to its units (office staff)."""
    given = AdhocInput(
        source=body.source,
        title=body.title,
        text=body.text,
        reference=body.reference,
        proposer=body.proposer,
        deadline=body.deadline,
        lead_unit_id=body.lead_unit_id,
        support_unit_ids=tuple(body.support_unit_ids),
        recurrence=body.recurrence,
    )
    return await run_in_threadpool(create_item, sessions, who, given, today, body.given_on)


@router.get("/items/{item_id}/adhoc")
def source(
    item_id: Id, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> AdhocView:
    """Where a 交办事项 came from, its attachment and (常态化) each occurrence with the units' reports."""
    with sessions() as session:
        found = adhoc_in(session, who, item_id, today, settings.timezone)
    if found is None:
        raise NotFound("该任务不是交办事项（来自规划文件）")
    return found
