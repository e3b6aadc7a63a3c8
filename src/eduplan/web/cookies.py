"""The cookies of signing in, set in one place for the login page and the login API.

- ``eduplan_session``: the session (HttpOnly, SameSite=Lax, `session_max_hours`).
- ``eduplan_device``: the known-browser cookie (`services.accounts.devices`; HttpOnly, Lax,
  `known_device_days`).
- ``eduplan_login_csrf``: the login form's pre-session CSRF token (double submit: the form carries
  the same value in a hidden field; another site can make a browser post the form, but can neither
  read nor set this cookie, so its post is refused).  SameSite=Strict, HttpOnly, for the session of
  the browser only.

Every cookie is ``Secure`` when the request came over HTTPS — directly, or through a trusted proxy
that said ``X-Forwarded-Proto: https`` (`trusted_proxies`, applied by the proxy-headers middleware
of `web.app`) — and always when `cookie_secure` is set.
"""

from __future__ import annotations

import hmac
import secrets
from functools import partial
from typing import Literal
from urllib.parse import urlsplit

from fastapi import Request, Response

from eduplan.config import Settings
from eduplan.services.accounts import LoginResult
from eduplan.web.deps import SESSION_COOKIE

DEVICE_COOKIE = "eduplan_device"
LOGIN_CSRF_COOKIE = "eduplan_login_csrf"
LOGIN_CSRF_FIELD = "login_csrf"


def is_https(request: Request, settings: Settings) -> bool:
    """Whether cookies must be Secure: HTTPS (as a trusted proxy tells it) or `cookie_secure`."""
    return settings.cookie_secure or request.url.scheme == "https"


def set_private_cookie(
    response: Response,
    request: Request,
    settings: Settings,
    name: str,
    value: str,
    *,
    max_age: int | None = None,
    samesite: Literal["lax", "strict"] = "lax",
    path: str = "/",
) -> None:
    """Set a cookie the page's scripts cannot read (HttpOnly), Secure over HTTPS (`is_https`)."""
    response.set_cookie(
        name,
        value,
        max_age=max_age,
        httponly=True,
        samesite=samesite,
        secure=is_https(request, settings),
        path=path,
    )


def client_address(request: Request) -> str | None:
    """The client's address (a trusted proxy's X-Forwarded-For already applied)."""
    return request.client.host if request.client else None


def set_login_cookies(response: Response, request: Request, settings: Settings, result: LoginResult) -> None:
    """The session cookie and, for a browser not yet known to the account, its device cookie."""
    cookie = partial(set_private_cookie, response, request, settings)
    cookie(SESSION_COOKIE, result.token, max_age=settings.session_max_hours * 3600)
    if result.device_token:
        cookie(DEVICE_COOKIE, result.device_token, max_age=settings.known_device_days * 86400)


def login_csrf_token(request: Request) -> str:
    """The browser's login CSRF token, or a new one (set it with `set_login_csrf`)."""
    return request.cookies.get(LOGIN_CSRF_COOKIE) or secrets.token_urlsafe(24)


def set_login_csrf(response: Response, request: Request, settings: Settings, token: str) -> None:
    if request.cookies.get(LOGIN_CSRF_COOKIE) != token:
        set_private_cookie(
            response, request, settings, LOGIN_CSRF_COOKIE, token, samesite="strict", path="/login"
        )


def same_origin(request: Request) -> bool:
    """False when the browser says the request comes from another site (``Origin``)."""
    origin = request.headers.get("origin")
    if origin is None:
        return True
    return origin != "null" and urlsplit(origin).netloc == request.url.netloc


def login_csrf_ok(request: Request, sent: str) -> bool:
    """Whether a login form post carries the token of this browser's cookie and no foreign Origin."""
    cookie = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    return bool(cookie) and hmac.compare_digest(cookie.encode(), sent.encode()) and same_origin(request)
