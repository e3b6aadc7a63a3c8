"""Progress reports and their evidence files: draft (PUT, with the version read), submit, review
(accept or return), read; evidence uploaded as multipart (type checked by content) and downloaded.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from eduplan.services import loop, tracking
from eduplan.services.loop.value_flags import FlaggedValue, TargetRange, flagged_values, set_target_range
from eduplan.services.tracking import views as v
from eduplan.services.tracking.evidence import download_headers
from eduplan.web.deps import CurrentUser, Id, SessionsDep, SettingsDep, Today
from eduplan.web.openapi_forms import multipart_body
from eduplan.web.problems import PROBLEM_RESPONSES, ProblemError

ERRORS: dict[int | str, dict[str, Any]] = {s: PROBLEM_RESPONSES[s] for s in (401, 403, 404, 409, 422)}
router = APIRouter(prefix="/api/v1", tags=["reports"], responses=ERRORS)


class ValueIn(BaseModel):
    target_id: int
    actual: float


class ReportIn(BaseModel):
    version: int | None = Field(default=None, description="The version read; none to create the draft.")
    progress: Literal["not_started", "in_progress", "done", "blocked"] = "in_progress"
    percent: Annotated[float, Field(ge=0, le=100)] = 0
    narrative: Annotated[str, Field(max_length=20000)] = ""
    values: list[ValueIn] = Field(default_factory=list)


class RangeIn(BaseModel):
    plausible_min: float | None = Field(default=None, description="Lowest plausible actual; none: open.")
    plausible_max: float | None = Field(default=None, description="Highest plausible actual; none: open.")


class VersionIn(BaseModel):
    version: int


class ReviewIn(BaseModel):
    version: int
    decision: Literal["accept", "return"]
    note: Annotated[str | None, Field(max_length=5000)] = None


@router.get("/items/{item_id}/reports")
def list_reports(
    item_id: Id, who: CurrentUser, sessions: SessionsDep, cycle: Annotated[int | None, Query(ge=0)] = None
) -> list[v.ReportView]:
    """The item's reports the user may read (drafts: only its own unit's)."""
    return tracking.list_reports(sessions, who, item_id, cycle)


@router.put("/items/{item_id}/reports/{unit_id}/{cycle}")
def save_report(
    item_id: Id,
    unit_id: Id,
    cycle: Id,
    body: ReportIn,
    who: CurrentUser,
    sessions: SessionsDep,
    today: Today,
) -> v.ReportView:
    """Create or edit the draft of a unit's report for one cycle (the unit's reporters)."""
    data = loop.ReportInput(
        body.progress, body.percent, body.narrative, {x.target_id: x.actual for x in body.values}
    )
    return loop.save_report(sessions, who, item_id, unit_id, cycle, data, body.version, today)


@router.get("/reports/{report_id}")
def get_report(report_id: Id, who: CurrentUser, sessions: SessionsDep) -> v.ReportView:
    """One report."""
    return tracking.get_report(sessions, who, report_id)


@router.post("/reports/{report_id}/submit")
def submit_report(report_id: Id, body: VersionIn, who: CurrentUser, sessions: SessionsDep) -> v.ReportView:
    """Submit a draft (or a returned report) for review."""
    return loop.submit_report(sessions, who, report_id, body.version)


@router.post("/reports/{report_id}/review")
def review_report(report_id: Id, body: ReviewIn, who: CurrentUser, sessions: SessionsDep) -> v.ReportView:
    """Accept a submitted report, or return it for revision with a note (office staff)."""
    return loop.review_report(sessions, who, report_id, body.decision, body.version, body.note)


@router.put("/item-targets/{target_id}/range")
def set_range(target_id: Id, body: RangeIn, who: CurrentUser, sessions: SessionsDep) -> TargetRange:
    """Set the range a target's actuals are expected in (office staff); outside it, a warning."""
    return set_target_range(sessions, who, target_id, body.plausible_min, body.plausible_max)


@router.get("/plans/{plan_id}/flagged-values")
def list_flagged(
    plan_id: Id, who: CurrentUser, sessions: SessionsDep, cycle: Annotated[int, Query(ge=0, le=100_000)]
) -> list[FlaggedValue]:
    """The values of a cycle's reports the value rules flag, in one list (office staff)."""
    return flagged_values(sessions, who, plan_id, cycle)


EVIDENCE_BODY = multipart_body()


async def read_upload(request: Request, limit: int) -> tuple[str, bytes]:
    """The file name and bytes of a multipart upload (field ``file``); the body is capped by
    `body_limits`, the file read up to `limit` + 1 bytes for the service's own check."""
    async with request.form(max_files=1, max_fields=2) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise ProblemError(400, "invalid-parameters", "缺少上传文件（字段名 file）")
        return upload.filename or "evidence", await upload.read(limit + 1)


@router.post("/reports/{report_id}/evidence", status_code=201, openapi_extra=EVIDENCE_BODY)
async def add_evidence(
    report_id: Id, request: Request, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> v.EvidenceView:
    """Attach an evidence file (PDF, image, docx/xlsx/pptx; checked by content) to a draft."""
    name, data = await read_upload(request, settings.evidence_max_bytes)
    return await run_in_threadpool(loop.add_evidence, sessions, settings, who, report_id, name, data)


@router.get(
    "/evidence/{evidence_id}",
    response_class=Response,
    responses={200: {"description": "The file.", "content": {"application/octet-stream": {}}}},
)
def download_evidence(
    evidence_id: Id, who: CurrentUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """An evidence file as uploaded."""
    found = loop.open_evidence(sessions, settings, who, evidence_id)
    headers = download_headers(found.view)
    return Response(found.data, media_type=found.view.media_type, headers=headers)
