"""Sign-in work off the threads that serve everyone else.

Logins and password changes (argon2 checks, `services.accounts.passwords`) run on threads of their
own, at most `login_concurrent_checks` + 3 at once (one for known browsers' checks), instead of on the `request_threads` that serve
pages and the API: a flood of logins then waits for those threads, not the signed-in users.  When
more than `MAX_WAITING` sign-ins already wait, the next one is answered 429 (Retry-After) at once.

An attempt refused because its allowance is used up (not merely busy) is answered after
`login_refusal_delay_ms`, asleep in the event loop (no thread, no CPU): a script that floods the
login back to back then sends one attempt per second per connection instead of hundreds, and the
signed-in users keep the server.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any, TypeVar

import anyio.to_thread
from anyio import CapacityLimiter
from fastapi import Request

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import LoginResult
from eduplan.services.accounts.ldap_login import password_login
from eduplan.services.errors import Busy, Throttled
from eduplan.web.cookies import DEVICE_COOKIE, client_address

MAX_WAITING = 32
T = TypeVar("T")


def _limiter(request: Request, settings: Settings) -> CapacityLimiter:
    limiter: CapacityLimiter | None = getattr(request.app.state, "login_limiter", None)
    if limiter is None:  # made in the event loop, on first use
        limiter = CapacityLimiter(settings.login_concurrent_checks + 3)
        request.app.state.login_limiter = limiter
    return limiter


async def run_sign_in(
    request: Request, settings: Settings, work: Callable[..., T], *args: Any, **kw: Any
) -> T:
    """Run `work` (a login or a password change) on the sign-in threads."""
    limiter = _limiter(request, settings)
    if limiter.statistics().tasks_waiting >= MAX_WAITING:
        raise Busy("同时登录的人过多，服务器正忙，请过几秒再试", 2)
    try:
        return await anyio.to_thread.run_sync(partial(work, *args, **kw), limiter=limiter)
    except Busy:
        raise
    except Throttled:
        await anyio.sleep(settings.login_refusal_delay_ms / 1000)
        raise


async def password_sign_in(
    request: Request, sessions: SessionFactory, settings: Settings, username: str, password: str
) -> LoginResult:
    """`password_login` on the sign-in threads, for this client's address and known-browser cookie."""
    return await run_sign_in(
        request,
        settings,
        password_login,
        sessions,
        settings,
        username,
        password,
        address=client_address(request),
        device=request.cookies.get(DEVICE_COOKIE),
    )
