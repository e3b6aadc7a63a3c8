"""Typed FastAPI dependencies: the session factory and settings kept on the app's state, and who is
asking (`CurrentUser`).

A request is authenticated by an API token (``Authorization: Bearer ep_…``) or by the session
cookie.  With the cookie, a request that writes (anything but GET/HEAD/OPTIONS) must also carry the
session's CSRF token in ``X-CSRF-Token``: another site can make a browser send the cookie, but it
cannot read the token.  A user still holding a one-time password may only use ``/api/v1/auth/``
until it is changed (`SignedIn` instead of `CurrentUser`).
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

import anyio
import anyio.to_thread
from fastapi import Depends, Path, Query, Request

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services import accounts
from eduplan.services.accounts import Principal
from eduplan.services.clock import today
from eduplan.services.errors import Forbidden, Unauthenticated

T = TypeVar("T")
SESSION_COOKIE = "eduplan_session"
UPLOAD_THREADS = 8
"""Threads of their own for reading uploads, so that uploads waiting for a free reader
(`eduplan.services.sandbox`) never hold the threads that answer the other requests."""
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_sessions(request: Request) -> SessionFactory:
    sessions: SessionFactory = request.app.state.sessions
    return sessions


def get_settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


SessionsDep = Annotated[SessionFactory, Depends(get_sessions)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
MAX_INT = 2**31 - 1
"""The largest id (and offset) the databases hold (a 32-bit integer column): a larger number in a
path or query is refused here with a 400, never sent to SQLite (OverflowError) or PostgreSQL."""
Id = Annotated[int, Path(ge=0, le=MAX_INT, description="An id or number (0 … 2³¹−1).")]
"""Every integer in a route's path (ids, version and cycle numbers)."""
Limit = Annotated[int, Query(ge=1, le=200, description="Page size.")]
Offset = Annotated[int, Query(ge=0, le=MAX_INT, description="Items to skip (stable order).")]


def bearer_token(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


def get_signed_in(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Principal:
    """Who sends the request (token or session cookie, CSRF checked on writes)."""
    token = bearer_token(request)
    if token is not None:
        return accounts.token_principal(sessions, token)
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        raise Unauthenticated("请先登录（会话 Cookie 或 Authorization: Bearer 令牌）")
    principal = accounts.session_principal(sessions, settings, cookie)
    if request.method not in SAFE_METHODS:
        sent = request.headers.get(CSRF_HEADER, "")
        if not hmac.compare_digest(sent.encode(), (principal.csrf_token or "").encode()):
            raise Forbidden(f"缺少或错误的 CSRF 令牌（请求头 {CSRF_HEADER}）", "csrf")
    return principal


def get_current_user(principal: Annotated[Principal, Depends(get_signed_in)]) -> Principal:
    """The signed-in user, once the one-time password has been replaced."""
    if principal.must_change_password:
        raise Forbidden("请先修改初始密码（POST /api/v1/auth/password）", "password-change-required")
    return principal


def get_today(settings: SettingsDep) -> date:
    """Today in the configured zone (Asia/Shanghai)."""
    return today(settings.timezone)


def as_of(
    today: Annotated[date, Depends(get_today)],
    on: Annotated[
        date | None, Query(description="Compute as of this day (default: today, Asia/Shanghai).")
    ] = None,
) -> date:
    """The day a report is computed for: the one asked (``?on=``), else today."""
    return on or today


SignedIn = Annotated[Principal, Depends(get_signed_in)]
CurrentUser = Annotated[Principal, Depends(get_current_user)]
Today = Annotated[date, Depends(get_today)]
AsOf = Annotated[date, Depends(as_of)]


async def in_upload_thread(request: Request, work: Callable[[], T]) -> T:
    """Run `work` (reading and importing an upload) on a thread apart from the request threads."""
    limiter = getattr(request.app.state, "upload_limiter", None)
    if limiter is None:
        limiter = request.app.state.upload_limiter = anyio.CapacityLimiter(UPLOAD_THREADS)
    return await anyio.to_thread.run_sync(work, limiter=limiter)
