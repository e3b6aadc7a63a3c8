"""The one table from a use case's error to what the web answers: HTTP status, problem code and the
title of the error page.  The JSON handlers (`web.problems`) and the HTML ones (`web.pages.errors`)
both read it, so an error kind answers the same status on a page and in the API.

Limits: the kinds are looked up along the exception's class hierarchy (a subclass of `Invalid`, such
as `BackupError`, answers as `Invalid`); an error that is no `ServiceError` is not in the table.
"""

from __future__ import annotations

from dataclasses import dataclass

from eduplan.services.errors import (
    Conflict,
    Forbidden,
    ImportRejected,
    Invalid,
    NotFound,
    ServiceError,
    StaleVersion,
    Throttled,
    Unauthenticated,
)


@dataclass(frozen=True)
class ErrorStatus:
    """How the web answers one kind of error."""

    status: int
    code: str
    """The problem's code (``urn:eduplan:problem:<code>``)."""
    title: str
    """The heading of the error page."""


STATUS: dict[type[ServiceError], ErrorStatus] = {
    Unauthenticated: ErrorStatus(401, "unauthenticated", "未登录"),
    Forbidden: ErrorStatus(403, "forbidden", "无权限"),
    NotFound: ErrorStatus(404, "not-found", "找不到这个页面或记录"),
    Conflict: ErrorStatus(409, "conflict", "冲突"),
    StaleVersion: ErrorStatus(409, "stale-version", "已被他人修改"),
    Invalid: ErrorStatus(422, "invalid", "无法处理"),
    ImportRejected: ErrorStatus(422, "unparsable", "无法导入"),
    Throttled: ErrorStatus(429, "too-many-failures", "请求过于频繁"),
    ServiceError: ErrorStatus(422, "invalid", "无法处理"),
}

IMPORT_STATUS = {
    "too_large": 413,
    "unsupported": 415,
    "unreadable": 422,
    "unparsable": 422,
    "no_organisation": 422,
}
"""An `ImportRejected`'s status by its reason."""


def status_of(exc: ServiceError) -> ErrorStatus:
    """How the web answers `exc`: the entry of its nearest class in `STATUS`, with the details an
    error carries itself (a `Forbidden`'s code, an `ImportRejected`'s reason)."""
    found = next(STATUS[k] for k in type(exc).__mro__ if k in STATUS)
    if isinstance(exc, ImportRejected):
        return ErrorStatus(IMPORT_STATUS[exc.reason], exc.reason.replace("_", "-"), found.title)
    if isinstance(exc, Forbidden):
        return ErrorStatus(found.status, exc.code, found.title)
    return found
