"""Request bodies: refused unread when nobody is signed in, and capped by route while they stream in.

- **No session, no body.**  A request that carries a body (Content-Length above 0, or chunked) to
  any route but the public ones (`PUBLIC_PATHS`: the login form and the API login) without a
  session cookie or a bearer token is answered at once — 401 problem+json for ``/api/…`` and
  ``.json``, a 303 to the login page for pages — before a byte of the body is read.  A cookie or
  token that turns out to be invalid is refused by the route as before, its body bounded by the cap.
- **One cap per route** (`caps`, the one table): login a few KB; ordinary forms and JSON 1 MB;
  the import (API and page) the upload limit (``max_upload_bytes``, 50 MB by default,
  `readers.limits.MAX_BYTES`) plus multipart overhead; evidence files the evidence limit
  (``evidence_max_bytes``); the one-page report form its `MAX_FILES` evidence files at once.
  A declared Content-Length over the cap is refused before reading; a chunked body (or one that
  lies about its length) is counted as it streams in and refused the moment it passes the cap —
  413 problem+json for the API, a Chinese error page for pages — and nothing more is read.

A plain ASGI middleware (not Starlette's ``BaseHTTPMiddleware``, which would buffer the body).  When
the cap is passed mid-stream, ``receive`` raises `BodyTooLarge`; whatever the application then
answers (FastAPI turns a failed form parse into a 400) is dropped and the 413 is sent instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from http.cookies import SimpleCookie
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import FormData, Headers, UploadFile
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from eduplan.config import Settings
from eduplan.readers.limits import megabytes
from eduplan.web.deps import SESSION_COOKIE
from eduplan.web.http_middleware import HttpMiddleware

KB = 1024
MB = 1024 * KB
MULTIPART_OVERHEAD = 64 * KB
"""Room for the multipart boundaries and the small fields beside a file."""
LOGIN_CAP = 8 * KB
FORM_CAP = 1 * MB
PUBLIC_PATHS = frozenset({"/login", "/api/v1/auth/login"})
"""Routes that take a body from someone not yet signed in."""


@dataclass(frozen=True)
class Cap:
    """The largest body a route takes, and what to tell someone who sends more."""

    pattern: re.Pattern[str]
    limit: int
    message: str
    title: str = "内容过大"


def caps(settings: Settings) -> list[Cap]:
    """The table of body caps, first match wins; `FORM_CAP` for every other route."""
    from eduplan.web.pages.mine import MAX_FILES

    imports, evidence = settings.max_upload_bytes, settings.evidence_max_bytes
    report_form = MAX_FILES * evidence + 4 * MB

    def cap(pattern: str, limit: int, message: str, title: str = "文件过大") -> Cap:
        return Cap(re.compile(pattern), limit, message, title)

    return [
        cap(r"/login|/api/v1/auth/login", LOGIN_CAP, "登录请求过大，请只填写用户名和密码", "内容过大"),
        cap(
            r"/api/v1/imports|/plans/import|/plans/ledger-import|/adhoc/new",
            imports + MULTIPART_OVERHEAD,
            f"文件过大，上限为 {megabytes(imports)}，请删去图片或拆分后再导入",
        ),
        cap(
            r"/api/v1/(reports|rectifications)/\d+/evidence|/rectifications/\d+/measures",
            evidence + MULTIPART_OVERHEAD,
            f"佐证材料过大，每个文件不超过 {megabytes(evidence)}",
        ),
        cap(
            r"/my/report",
            report_form,
            f"本次上传的佐证材料合计过大：一次最多 {MAX_FILES} 个文件，每个不超过 {megabytes(evidence)}，请分次上传",
        ),
    ]


def cap_for(table: list[Cap], path: str) -> Cap:
    """The cap of a path (`FORM_CAP` when no row of the table matches)."""
    for c in table:
        if c.pattern.fullmatch(path):
            return c
    return Cap(re.compile(".*"), FORM_CAP, f"提交的内容过大（上限 {megabytes(FORM_CAP)}），请删减后再提交")


class BodyTooLarge(Exception):
    """Raised from ``receive`` once a body passes its cap."""


def _signed_in(headers: Headers) -> bool:
    scheme, _, token = headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and token.strip():
        return True
    cookies: SimpleCookie = SimpleCookie()
    try:
        cookies.load(headers.get("cookie", ""))
    except Exception:  # a malformed Cookie header counts as no session
        return False
    morsel = cookies.get(SESSION_COOKIE)
    return morsel is not None and bool(morsel.value)


def _is_api(path: str) -> bool:
    return path.startswith("/api/") or path.endswith(".json")


def _refusal(scope: Scope, status: int, detail: str, title: str = "内容过大") -> Response:
    from eduplan.web.pages.access import login_url
    from eduplan.web.pages.errors import error_page
    from eduplan.web.pages.render import redirect
    from eduplan.web.problems import problem

    path = str(scope.get("path", ""))
    if _is_api(path):
        response = problem(status, "unauthenticated" if status == 401 else "too-large", detail)
        if status == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response
    request = Request(scope)
    if status == 401:
        return redirect(login_url(request), detail, "warn")
    return error_page(
        request, status, "文件过大" if "文件" in detail or "材料" in detail else "内容过大", detail
    )


class BodyLimits(HttpMiddleware):
    """Refuses bodies without a session and caps every body by route (see the module)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        super().__init__(app)
        self.table = caps(settings)

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        headers = Headers(scope=scope)
        declared = headers.get("content-length", "")
        chunked = "chunked" in headers.get("transfer-encoding", "").lower()
        has_body = chunked or (declared.isdigit() and int(declared) > 0)
        if has_body and path not in PUBLIC_PATHS and not _signed_in(headers):
            detail = "请先登录（会话 Cookie 或 Authorization: Bearer 令牌），再提交内容"
            await _refusal(scope, 401, detail)(scope, receive, send)
            return
        cap = cap_for(self.table, path)
        limit, message = cap.limit, cap.message
        if declared.isdigit() and int(declared) > limit:
            await _refusal(scope, 413, message, cap.title)(scope, receive, send)
            return
        state: dict[str, Any] = {"received": 0, "over": False, "started": False}

        async def limited_receive() -> Message:
            if state["over"]:
                raise BodyTooLarge(message)
            got = await receive()
            if got["type"] == "http.request":
                state["received"] += len(got.get("body", b""))
                if state["received"] > limit:
                    state["over"] = True
                    raise BodyTooLarge(message)
            return got

        async def guarded_send(message_out: Message) -> None:
            if state["over"]:
                return  # the application's answer to a body it could not read: the 413 replaces it
            if message_out["type"] == "http.response.start":
                state["started"] = True
            await send(message_out)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except BodyTooLarge:
            if not state["over"]:
                raise
        if state["over"] and not state["started"]:
            await _refusal(scope, 413, message, cap.title)(scope, receive, send)


def install(app: FastAPI, settings: Settings) -> None:
    """Wrap `app` in `BodyLimits` (install before `security`, so that its refusals get the headers)."""
    app.add_middleware(BodyLimits, settings=settings)


async def form_file(form: FormData, limit: int, default_name: str) -> tuple[bytes, str]:
    """The ``file`` field of a parsed multipart form: its bytes, read to one past `limit` so that the
    caller can tell a file over it, and its name (`default_name` when the browser sent none);
    ``(b"", "")`` when no file was sent."""
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        return b"", ""
    return await upload.read(limit + 1), upload.filename or default_name
