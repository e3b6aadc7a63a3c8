"""RFC 9457 problem details (``application/problem+json``) for every error the API returns.

Use cases' errors (`ServiceError`) map by type in one table, `web.error_status`, shared with the
error pages (`NotFound` → 404, `ImportRejected` → 413/415/422 by its reason, `Unauthenticated` → 401,
`Forbidden` → 403, `Invalid` → 422, `Throttled` → 429 with Retry-After, `StaleVersion` → 409 saying
who changed what, with the current record, so that the client can merge); invalid parameters are 400 (not FastAPI's default 422, which this API keeps for a
document that cannot be parsed); unknown routes and methods keep their Starlette status.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.services.errors import Invalid, ServiceError, StaleVersion, Throttled, Unauthenticated
from eduplan.web.error_status import status_of

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:eduplan:problem:"
_TITLES = {
    400: "请求参数有误",
    401: "未登录",
    403: "无权限",
    404: "未找到",
    405: "不支持的请求方法",
    409: "冲突",
    413: "文件过大",
    415: "不支持的文件类型",
    422: "无法处理",
    429: "请求过于频繁",
}


class Problem(BaseModel):
    """A problem detail object (RFC 9457)."""

    type: str
    title: str
    status: int
    detail: str | None = None
    errors: list[dict[str, Any]] | None = None


class ProblemError(Exception):
    """An error a route raises to answer with a problem of its own `code` (e.g. 413 before parsing)."""

    def __init__(self, status: int, code: str, detail: str) -> None:
        super().__init__(detail)
        self.status, self.code, self.detail = status, code, detail


def problem(status: int, code: str, detail: str | None = None, **extra: Any) -> JSONResponse:
    """A problem+json response."""
    body: dict[str, Any] = {"type": TYPE_BASE + code, "title": _TITLES.get(status, "错误"), "status": status}
    if detail:
        body["detail"] = detail
    body.update(extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": title}
    for status, title in _TITLES.items()
    if status not in (405,)
}


def service_problem(exc: ServiceError) -> JSONResponse:
    """The problem for a use case's error: its status from `web.error_status`, and what the error
    carries (the fields of an `Invalid`, who changed what for a `StaleVersion`)."""
    answer = status_of(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, Invalid):
        extra = {"reasons": exc.reasons} if exc.reasons else {}
        if exc.fields:
            extra["fields"] = exc.fields  # field (``t<target id>`` for a target's actual) → message
    elif isinstance(exc, StaleVersion):
        d = exc.details
        extra = {
            "entity": d.entity,
            "entity_id": d.entity_id,
            "your_version": d.your_version,
            "current_version": d.current_version,
            "changed_by": d.changed_by,
            "changed_at": d.changed_at.isoformat() if d.changed_at else None,
            "changes": [{"field": c.field, "before": c.before, "after": c.after} for c in d.changes],
            "current": d.current,
        }
    response = problem(answer.status, answer.code, str(exc), **extra)
    if isinstance(exc, Unauthenticated):
        response.headers["WWW-Authenticate"] = "Bearer"
    elif isinstance(exc, Throttled):
        response.headers["Retry-After"] = str(exc.retry_after)
    return response


def install(app: FastAPI) -> None:
    """Register the handlers that turn errors into problems."""

    @app.exception_handler(ServiceError)
    async def _service_error(_request: Request, exc: ServiceError) -> JSONResponse:
        return service_problem(exc)

    @app.exception_handler(ProblemError)
    async def _problem(_request: Request, exc: ProblemError) -> JSONResponse:
        return problem(exc.status, exc.code, exc.detail)

    @app.exception_handler(RequestValidationError)
    async def _invalid(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": list(e.get("loc", ())), "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        return problem(400, "invalid-parameters", "请求参数不符合要求", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(exc.status_code, "http-error")
        response = problem(exc.status_code, code, str(exc.detail) if exc.detail else None)
        for key, value in (exc.headers or {}).items():
            response.headers[key] = value
        return response
