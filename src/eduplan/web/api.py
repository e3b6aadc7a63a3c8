"""The JSON API under ``/api/v1/``: each route parses its input, calls one registry use case and
returns its view; errors become problem+json (`eduplan.web.problems`).  Every route needs a
signed-in user (`CurrentUser`); imports follow `registry.import_policy`.  What a user reads follows
`registry.visibility`: published plans (structure, tasks, targets, topics, versions) are open to
every signed-in user for 对标; original files to the plan's own organisation; what is internal
(assignments, reports, evidence, audit) is scoped in the loop's routes.

Plan documents carry an ETag (the version's fingerprint) and answer ``If-None-Match`` with 304.
Request bodies are capped by route before the routes see them (`eduplan.web.body_limits`): an
import over the upload limit is refused (413) while it streams in, before anything is parsed.
"""

from __future__ import annotations

from datetime import date
from functools import cache, partial
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import TypeAdapter
from starlette.datastructures import UploadFile

from eduplan.db.engine import SessionFactory
from eduplan.services import registry as reg
from eduplan.services.registry import views as v
from eduplan.services.registry.diff import VersionDiff
from eduplan.services.registry.queries import TaskSort
from eduplan.services.registry.visibility import check_readable
from eduplan.services.sandbox import limits_of
from eduplan.topics import TOPIC_IDS
from eduplan.web.deps import (
    CurrentUser,
    Id,
    Limit,
    Offset,
    SessionsDep,
    SettingsDep,
    get_current_user,
    in_upload_thread,
)
from eduplan.web.openapi_forms import multipart_body
from eduplan.web.problems import PROBLEM_RESPONSES, ProblemError

router = APIRouter(
    prefix="/api/v1",
    responses={s: PROBLEM_RESPONSES[s] for s in (400, 401, 404)},
    dependencies=[Depends(get_current_user)],
)

PLAN_DOCUMENT_EXAMPLE = {
    "schema": "eduplan.plan/1",
    "title": "示例市教育局2024年教育工作要点",
    "place": "示例市",
    "kind": "annual_work_plan",
    "year": 2024,
    "chapters": [{"number": "一", "title": "扩大优质教育资源", "items": [{"number": "1", "title": "…"}]}],
}
DOCUMENT_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "The Plan JSON (schema eduplan.plan/1, see PLAN_JSON.md), with an ETag.",
        "content": {"application/json": {"example": PLAN_DOCUMENT_EXAMPLE}},
    },
    304: {"description": "Not modified (If-None-Match matched the ETag)."},
}


# -- organisations and units -----------------------------------------------------------------------
@router.get("/orgs", tags=["organisations"])
def list_orgs(
    sessions: SessionsDep, limit: Limit = 50, offset: Offset = 0, parent_id: int | None = None
) -> v.Page[v.OrgView]:
    """Organisations (省 → 市 → 县区 → 学校) in tree order."""
    return reg.list_orgs(sessions, parent_id, limit, offset)


@router.get("/orgs/{org_id}", tags=["organisations"])
def get_org(sessions: SessionsDep, org_id: Id) -> v.OrgView:
    """One organisation."""
    return reg.get_org(sessions, org_id)


@router.get("/units", tags=["organisations"])
def list_units(
    sessions: SessionsDep, limit: Limit = 50, offset: Offset = 0, org_id: int | None = None
) -> v.Page[v.UnitView]:
    """Units (科室, 直属单位) with their aliases."""
    return reg.list_units(sessions, org_id, limit, offset)


@router.get("/units/{unit_id}", tags=["organisations"])
def get_unit(sessions: SessionsDep, unit_id: Id) -> v.UnitView:
    """One unit with its aliases."""
    return reg.get_unit(sessions, unit_id)


# -- plans, versions, documents --------------------------------------------------------------------
@router.get("/plans", tags=["plans"])
def list_plans(
    sessions: SessionsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    org_id: int | None = None,
    kind: str | None = None,
    year: int | None = None,
) -> v.Page[v.PlanView]:
    """Plans with their versions, newest year first."""
    return reg.list_plans(sessions, org_id, kind, year, limit, offset)


@router.get("/plans/{plan_id}", tags=["plans"])
def get_plan(sessions: SessionsDep, who: CurrentUser, plan_id: Id) -> v.PlanView:
    """A plan and its versions (as the pages, by `registry.visibility`)."""
    check_readable(sessions, who, plan_id)
    return reg.get_plan(sessions, plan_id)


def _document(request: Request, sessions: SessionFactory, plan_id: int, version: int | None) -> Response:
    etag, body = reg.plan_document_json(sessions, plan_id, version)
    headers = {"ETag": etag, "Cache-Control": "no-cache"}
    wanted = [tag.strip() for tag in request.headers.get("if-none-match", "").split(",")]
    if etag in wanted or "*" in wanted or f"W/{etag}" in wanted:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


@router.get("/plans/{plan_id}/document", tags=["plans"], responses=DOCUMENT_RESPONSES)
def latest_document(request: Request, sessions: SessionsDep, plan_id: Id) -> Response:
    """The Plan JSON of the latest version."""
    return _document(request, sessions, plan_id, None)


@router.get("/plans/{plan_id}/versions/{version}/document", tags=["plans"], responses=DOCUMENT_RESPONSES)
def version_document(request: Request, sessions: SessionsDep, plan_id: Id, version: Id) -> Response:
    """The Plan JSON of one version."""
    return _document(request, sessions, plan_id, version)


@router.get("/plans/{plan_id}/versions/{version}/diff", tags=["plans"])
def version_diff(sessions: SessionsDep, plan_id: Id, version: Id, against: int | None = None) -> VersionDiff:
    """Tasks added, removed and changed in a version (against the previous one by default)."""
    return reg.version_diff(sessions, plan_id, version, against)


@router.get(
    "/plans/{plan_id}/versions/{version}/source",
    tags=["plans"],
    response_class=Response,
    responses={200: {"description": "The original file.", "content": {"application/octet-stream": {}}}},
)
def download_source(sessions: SessionsDep, who: CurrentUser, plan_id: Id, version: Id) -> Response:
    """The original file a version was imported from (administrators, and leaders, office staff and
    viewers of the plan's organisation or above it; 404 for others)."""
    source = reg.source_file(sessions, who, plan_id, version)
    disposition = f"attachment; filename*=UTF-8''{quote(source.filename)}"
    headers = {"Content-Disposition": disposition, "ETag": f'"{source.sha256}"'}
    return Response(source.content, media_type=source.media_type, headers=headers)


# -- tasks, targets, indicators, projects, search --------------------------------------------------
def _filter(
    plan_id: int | None = None,
    version: Annotated[int | None, Query(description="Version number; needs plan_id.")] = None,
    org_id: int | None = None,
    chapter: Annotated[str | None, Query(description="Chapter number as written (一, 二…).")] = None,
    unit: Annotated[str | None, Query(description="Unit id, or a unit name or alias.")] = None,
    has_target: bool | None = None,
    deadline_from: date | None = None,
    deadline_to: date | None = None,
    q: Annotated[str | None, Query(description="Words that must all occur (any length).")] = None,
) -> reg.TaskFilter:
    if version is not None and plan_id is None:
        raise ProblemError(400, "invalid-parameters", "指定 version 时须同时指定 plan_id")
    return reg.TaskFilter(plan_id, version, org_id, chapter, unit, has_target, deadline_from, deadline_to, q)


@cache
def _adapter(kind: Any) -> TypeAdapter[Any]:
    return TypeAdapter(kind)


def _json(kind: Any, value: Any) -> Response:
    """`value` serialized as `kind` by pydantic directly: the lists of many tasks skip FastAPI's
    validation of what the service already built (and its second trip to a worker thread)."""
    return Response(_adapter(kind).dump_json(value), media_type="application/json")


@router.get("/tasks", tags=["tasks"], response_model=v.Page[v.TaskView])
def list_tasks(
    sessions: SessionsDep,
    f: Annotated[reg.TaskFilter, Depends(_filter)],
    limit: Limit = 50,
    offset: Offset = 0,
    sort: TaskSort = "document",
    topic: Annotated[str | None, Query(description="Topic id (/api/v1/compare/topics), any rank.")] = None,
) -> Response:
    """Tasks of the latest versions (or of one version), filtered, in document or deadline order."""
    if topic is not None and topic not in TOPIC_IDS:
        raise ProblemError(400, "invalid-parameters", f"未知的主题：{topic}")
    f.topic = topic
    return _json(v.Page[v.TaskView], reg.list_tasks(sessions, f, sort, limit, offset))


@router.get("/tasks/{task_id}", tags=["tasks"])
def get_task(sessions: SessionsDep, task_id: Id) -> v.TaskView:
    """One task."""
    return reg.get_task(sessions, task_id)


@router.get("/targets", tags=["tasks"])
def list_targets(
    sessions: SessionsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    plan_id: int | None = None,
    version: int | None = None,
    org_id: int | None = None,
    unit: str | None = None,
    figures: Annotated[bool, Query(description="Figures quoted in the text instead of targets.")] = False,
) -> v.Page[v.TargetView]:
    """Quantitative targets (量化目标) of tasks, in document order."""
    f = _filter(plan_id, version, org_id, None, unit)
    return reg.list_targets(sessions, f, "figure" if figures else "target", limit, offset)


@router.get("/indicators", tags=["plans"])
def list_indicators(
    sessions: SessionsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    plan_id: int | None = None,
    version: int | None = None,
) -> v.Page[v.IndicatorTableView]:
    """Indicator tables (主要指标) with values by year."""
    _filter(plan_id, version)
    return reg.list_indicator_tables(sessions, plan_id, version, limit, offset)


@router.get("/projects", tags=["plans"])
def list_projects(
    sessions: SessionsDep,
    limit: Limit = 50,
    offset: Offset = 0,
    plan_id: int | None = None,
    version: int | None = None,
) -> v.Page[v.ProjectView]:
    """Key projects (重点项目) of 专栏 boxes."""
    _filter(plan_id, version)
    return reg.list_projects(sessions, plan_id, version, limit, offset)


@router.get("/search", tags=["tasks"], response_model=v.Page[reg.SearchHit])
def search(
    sessions: SessionsDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find, e.g. 学前 or 双减.")],
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Offset = 0,
    plan_id: int | None = None,
    org_id: int | None = None,
) -> Response:
    """Tasks whose title or text contains every word, best first, with the match marked."""
    if not q.strip():
        raise ProblemError(400, "invalid-parameters", "检索词不能为空")
    hits = reg.search_tasks(sessions, q, reg.TaskFilter(plan_id=plan_id, org_id=org_id), limit, offset)
    return _json(v.Page[reg.SearchHit], hits)


# -- import ----------------------------------------------------------------------------------------
IMPORT_BODY = multipart_body(
    "txt, docx, pdf or html, or a task table (xlsx, xls, et, csv)",
    org={"type": "string", "description": "Organisation, e.g. 常州市 or 江苏省/常州市"},
    plan={"type": "integer", "description": "Which plan of a file bundling several, from 0 (default 0)"},
)


@router.post(
    "/imports",
    tags=["import"],
    status_code=201,
    openapi_extra=IMPORT_BODY,
    responses={
        200: {"description": "Nothing new: the same file, or the same content, is already registered."},
        403: PROBLEM_RESPONSES[403],
        409: PROBLEM_RESPONSES[409],
        413: PROBLEM_RESPONSES[413],
        415: PROBLEM_RESPONSES[415],
        422: PROBLEM_RESPONSES[422],
    },
)
async def import_file(
    request: Request, response: Response, sessions: SessionsDep, settings: SettingsDep, who: CurrentUser
) -> reg.ImportResult:
    """Import a planning document: a new plan (201), a new version (201), or nothing new (200);
    `reason` says which plan it revised and why.  Office staff import into their own organisation
    only (`org` left out, or naming it; another is 403); administrators anywhere, new organisations
    created on first sight.  Every import that writes is in the audit log."""
    who.require_manager()
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ProblemError(415, "unsupported", "请以 multipart/form-data 上传文件（字段名 file）")
    body = await request.body()  # capped by `body_limits` while it streams in

    async def replay() -> dict[str, Any]:
        return {"type": "http.request", "body": body, "more_body": False}

    async with Request(request.scope, replay).form(max_files=1, max_fields=4) as form:
        upload, org, choice = form.get("file"), form.get("org"), form.get("plan")
        if not isinstance(upload, UploadFile):
            raise ProblemError(400, "invalid-parameters", "缺少上传文件（字段名 file）")
        data = await upload.read(settings.max_upload_bytes + 1)
        if len(data) > settings.max_upload_bytes:
            raise ProblemError(413, "too-large", f"文件超过上限 {settings.max_upload_bytes} 字节")
        filename = upload.filename or "upload"
    org_name = org.strip() if isinstance(org, str) and org.strip() else None
    if choice is not None and not (isinstance(choice, str) and choice.isdigit() and int(choice) < 1000):
        raise ProblemError(400, "invalid-parameters", "plan 须是文件中计划的序号（从 0 起）")
    plan = int(choice) if isinstance(choice, str) else 0
    limits = limits_of(settings)
    work = partial(reg.import_document, sessions, data, filename, org_name, who, plan, limits=limits)
    result = await in_upload_thread(request, work)
    response.status_code = 201 if result.created else 200
    response.headers["Location"] = f"/api/v1/plans/{result.plan_id}/versions/{result.version}/document"
    return result
