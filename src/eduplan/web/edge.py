"""Input refused at the edge, before any route runs: NUL characters, and numbers past what the
database holds (a 400 problem, never a 500).

- NUL (``\\x00``, ``%00``, ``\\u0000`` in JSON) in the path, the query or a JSON / form body: PostgreSQL
  cannot store it in text (the driver raises), SQLite stores it and exports then break.  A request
  carrying one is answered 400 on both databases alike.  Multipart bodies (uploaded files) are
  binary and not looked at.  The body is checked as it is read, chunk by chunk (nothing is buffered).
- Integers in paths are bounded by `deps.Id`; what still reaches a database too large (an integer
  in a body or list, SQLite's ``OverflowError``, PostgreSQL's ``integer out of range``) or with a NUL
  is turned into the same 400 by `install`'s handlers, after the transaction has been rolled back.
"""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError
from starlette.types import Message, Receive, Scope, Send

from eduplan.web.http_middleware import HttpMiddleware
from eduplan.web.problems import problem

NUL_DETAIL = "请求中含有 NUL 字符（\\u0000），无法保存；请删去后重试"
RANGE_DETAIL = "请求参数超出范围（数字过大）或含有不允许的字符，请检查后重试"
_NUL_URL = re.compile(rb"%00|\x00")
_NUL_BODY = re.compile(rb"(?<!\\)(?:\\\\)*\\u0000|%00|\x00", re.IGNORECASE)
_CHECKED = (b"application/json", b"application/x-www-form-urlencoded")
_CARRY = 64


class NulRefused(HTTPException):
    """A request with a NUL character (a 400 problem)."""

    def __init__(self) -> None:
        super().__init__(400, NUL_DETAIL)


class RefuseNul(HttpMiddleware):
    """ASGI middleware: 400 for a NUL in the path, query string, or a JSON or form body."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8", "surrogateescape")
        if _NUL_URL.search(raw_path) or _NUL_URL.search(scope.get("query_string", b"")):
            await problem(400, "invalid-parameters", NUL_DETAIL)(scope, receive, send)
            return
        content_type = dict(scope["headers"]).get(b"content-type", b"").lower()
        if content_type.startswith(_CHECKED):
            receive = _checked(receive)
        await self.app(scope, receive, send)


def _checked(receive: Receive) -> Receive:
    tail = b""

    async def checked() -> Message:
        nonlocal tail
        message = await receive()
        if message["type"] == "http.request":
            window = tail + message.get("body", b"")
            if _NUL_BODY.search(window):
                raise NulRefused()
            tail = window[-_CARRY:]
        return message

    return checked


def install(app: FastAPI) -> None:
    """Refuse NUL at the edge; answer what reached the database out of range with a 400."""
    app.add_middleware(RefuseNul)

    @app.exception_handler(OverflowError)
    async def _overflow(_request: Request, _exc: OverflowError) -> JSONResponse:
        return problem(400, "invalid-parameters", RANGE_DETAIL)

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> Any:
        text = str(exc.orig).lower()
        if "out of range" in text or "nul (0x00)" in text:
            return problem(400, "invalid-parameters", RANGE_DETAIL)
        raise exc
