"""Response headers that keep pages on this server: a Content-Security-Policy that allows scripts,
styles, images and fonts from this origin only (so nothing is ever fetched from a CDN, and an injected
``<script>`` would not run even if it slipped past escaping), no framing, no MIME sniffing.

A plain ASGI middleware (not Starlette's ``BaseHTTPMiddleware``, which costs every request a task
and a copy of the body).  The Swagger pages under ``/api/docs`` (served offline by fastapi-offline)
start with an inline script: their HTML (a few KB) is read whole and the policy allows exactly the
sha256 of each inline script on it, so the docs work while an injected script would not, and they
cannot be framed either.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import Any

from fastapi import FastAPI
from starlette.datastructures import MutableHeaders
from starlette.types import Message, Receive, Scope, Send

from eduplan.web.http_middleware import HttpMiddleware

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'"
)
_DOCS = "/api/docs"
_INLINE_SCRIPT = re.compile(rb"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)


def docs_policy(html: bytes) -> str:
    """The policy of a docs page: `CSP` with the hash of each inline script of `html` allowed."""
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(body).digest()).decode() + "'"
        for body in _INLINE_SCRIPT.findall(html)
    )
    return CSP.replace("script-src 'self'", f"script-src 'self' {hashes}".rstrip(), 1)


def _set_headers(message: Message, policy: str) -> None:
    headers = MutableHeaders(scope=message)
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Content-Security-Policy", policy)
    headers.setdefault("X-Frame-Options", "DENY")


class SecurityHeaders(HttpMiddleware):
    """Adds the headers to every HTTP response."""

    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        if str(scope.get("path", "")).startswith(_DOCS):
            await self._docs(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                _set_headers(message, CSP)
            await send(message)

        await self.app(scope, receive, send_with_headers)

    async def _docs(self, scope: Scope, receive: Receive, send: Send) -> None:
        start: Message | None = None
        body: list[bytes] = []

        async def send_whole(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
                return
            if message["type"] != "http.response.body" or start is None:
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            html = b"".join(body)
            _set_headers(start, docs_policy(html))
            await send(start)
            await send({"type": "http.response.body", "body": html})

        await self.app(scope, receive, send_whole)


def install(app: FastAPI, **_: Any) -> None:
    """Wrap `app` in `SecurityHeaders`."""
    app.add_middleware(SecurityHeaders)
