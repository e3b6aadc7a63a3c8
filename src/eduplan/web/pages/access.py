"""Who is looking at a page, and the checks every HTML form passes.

- `PageUser`: the signed-in user of a page.  Without a valid session the browser is sent to
  ``/login?next=…`` (a ``.json`` twin answers 401 instead); a user still holding a one-time password
  is sent to ``/password`` first.  The principal is also left on ``request.state`` for the layout.
- `FormUser`: the same for a form post, which must also carry the session's CSRF token in the
  hidden field ``csrf_token`` (every form of the layout's `csrf()` macro has it) and, when the
  browser sends one, an ``Origin`` of this very site.  API clients use ``/api/v1`` instead.
- `LoginRequired` is what the error handlers turn into that redirect.
"""

from __future__ import annotations

import hmac
from typing import Annotated
from urllib.parse import quote, urlsplit

from fastapi import Depends, Request

from eduplan.services import accounts
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Unauthenticated
from eduplan.web.csrf_mask import unmask
from eduplan.web.deps import SESSION_COOKIE, SessionsDep, SettingsDep

CSRF_FIELD = "csrf_token"


class LoginRequired(Exception):
    """No valid session for a page: go to the login page and come back to `next_url`."""

    def __init__(self, next_url: str, message: str = "") -> None:
        super().__init__(message)
        self.next_url = next_url
        self.message = message


class PasswordChangeRequired(Exception):
    """The one-time password must be replaced before any other page."""


def is_page_request(request: Request) -> bool:
    """A browser page (HTML) rather than the JSON API, a ``.json`` twin or a static file."""
    path = request.url.path
    return not (path.startswith(("/api/", "/static/")) or path.endswith(".json"))


def safe_next(url: str | None) -> str:
    """A local path to return to after logging in (never another site)."""
    if not url:
        return "/"
    parts = urlsplit(url)
    if parts.scheme or parts.netloc or not url.startswith("/") or url.startswith("//"):
        return "/"
    return url


def login_url(request: Request) -> str:
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login" if here == "/" else f"/login?next={quote(here)}"


def current_principal(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Principal | None:
    """The principal of the session cookie, or None (no cookie, unknown or expired session)."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if not cookie:
        return None
    try:
        return accounts.session_principal(sessions, settings, cookie)
    except Unauthenticated:
        return None


def _signed_in(request: Request, sessions: SessionsDep, settings: SettingsDep) -> Principal:
    principal = current_principal(request, sessions, settings)
    if principal is None:
        if not is_page_request(request):
            raise Unauthenticated("未登录或会话已过期，请重新登录")
        raise LoginRequired(login_url(request), "请先登录" if not request.cookies.get(SESSION_COOKIE) else "")
    request.state.principal = principal
    return principal


def get_page_user(request: Request, principal: Annotated[Principal, Depends(_signed_in)]) -> Principal:
    """The signed-in user of a page, once the one-time password has been replaced."""
    if principal.must_change_password:
        if not is_page_request(request):
            raise Forbidden("请先修改初始密码", "password-change-required")
        raise PasswordChangeRequired()
    return principal


def check_form(request: Request, principal: Principal, token: str) -> None:
    """Refuse a form post without the session's CSRF token or from another site."""
    origin = request.headers.get("origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.url.netloc:
        raise Forbidden("表单来自其他网站，已拒绝", "csrf")
    expected = (principal.csrf_token or "").encode()
    plain = unmask(token) or ""  # pages write it masked (web.csrf_mask); the plain token is accepted too
    if not (hmac.compare_digest(plain.encode(), expected) or hmac.compare_digest(token.encode(), expected)):
        raise Forbidden("页面已过期（表单校验码不符），请刷新页面后重新提交", "csrf")


async def _form_token(request: Request) -> str:
    form = await request.form()
    value = form.get(CSRF_FIELD, "")
    return value if isinstance(value, str) else ""


def get_form_user(
    request: Request,
    principal: Annotated[Principal, Depends(get_page_user)],
    token: Annotated[str, Depends(_form_token)],
) -> Principal:
    """The signed-in user of a form post, its CSRF token checked."""
    check_form(request, principal, token)
    return principal


def get_form_signed_in(
    request: Request,
    principal: Annotated[Principal, Depends(_signed_in)],
    token: Annotated[str, Depends(_form_token)],
) -> Principal:
    """Like `FormUser`, but also for a user who still has to replace the one-time password."""
    check_form(request, principal, token)
    return principal


PageUser = Annotated[Principal, Depends(get_page_user)]
FormUser = Annotated[Principal, Depends(get_form_user)]
SignedInForm = Annotated[Principal, Depends(get_form_signed_in)]
SignedInPage = Annotated[Principal, Depends(_signed_in)]
