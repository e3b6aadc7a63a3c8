"""RFC 9457 problem details (``application/problem+json``) for every error the API returns.

Registry errors map by type (`NotFound` → 404, `Conflict` → 409, `ImportRejected` → 413/415/422 by
its reason); access and loop errors too (`Unauthenticated` → 401, `Forbidden` → 403, `Invalid` →
422, `Throttled` → 429 with Retry-After, `StaleVersion` → 409 saying who changed what, with the
current record, so that the client can merge); invalid parameters are 400 (not FastAPI's default 422, which this API keeps for a
document that cannot be parsed); unknown routes and methods keep their Starlette status.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.services.errors import Forbidden, Invalid, StaleVersion, Throttled, Unauthenticated
from eduplan.services.registry import Conflict, ImportRejected, NotFound

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "urn:eduplan:problem:"
_IMPORT_STATUS = {
    "too_large": 413,
    "unsupported": 415,
    "unreadable": 422,
    "unparsable": 422,
    "no_organisation": 422,
}
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


def install(app: FastAPI) -> None:
    """Register the handlers that turn errors into problems."""

    @app.exception_handler(NotFound)
    async def _not_found(_request: Request, exc: NotFound) -> JSONResponse:
        return problem(404, "not-found", str(exc))

    @app.exception_handler(Conflict)
    async def _conflict(_request: Request, exc: Conflict) -> JSONResponse:
        return problem(409, "conflict", str(exc))

    @app.exception_handler(ImportRejected)
    async def _rejected(_request: Request, exc: ImportRejected) -> JSONResponse:
        return problem(_IMPORT_STATUS[exc.reason], exc.reason.replace("_", "-"), str(exc))

    @app.exception_handler(Unauthenticated)
    async def _unauthenticated(_request: Request, exc: Unauthenticated) -> JSONResponse:
        response = problem(401, "unauthenticated", str(exc))
        response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(Forbidden)
    async def _forbidden(_request: Request, exc: Forbidden) -> JSONResponse:
        return problem(403, exc.code, str(exc))

    @app.exception_handler(Invalid)
    async def _invalid_input(_request: Request, exc: Invalid) -> JSONResponse:
        extra: dict[str, Any] = {"reasons": exc.reasons} if exc.reasons else {}
        if exc.fields:
            extra["fields"] = exc.fields  # field (``t<target id>`` for a target's actual) → message
        return problem(422, "invalid", str(exc), **extra)

    @app.exception_handler(Throttled)
    async def _throttled(_request: Request, exc: Throttled) -> JSONResponse:
        response = problem(429, "too-many-failures", str(exc))
        response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.exception_handler(StaleVersion)
    async def _stale(_request: Request, exc: StaleVersion) -> JSONResponse:
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
        return problem(409, "stale-version", str(exc), **extra)

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
