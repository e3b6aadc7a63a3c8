"""登录, 退出 and 修改密码 — including the first-run page where the administrator replaces the
one-time password printed by ``eduplan serve`` / ``eduplan admin create``.

A rejected form is shown again with the message beside the field and what was typed kept
(passwords are never sent back).  The login form carries a pre-session CSRF token (double submit,
`web.cookies`): a post from another site, or without the token, is refused and the form shown again.
A refused login (throttled, or too many at once) answers 429 with Retry-After.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.config import Settings
from eduplan.services import accounts
from eduplan.services.accounts import oidc
from eduplan.services.errors import Invalid, Throttled, Unauthenticated
from eduplan.web.cookies import (
    LOGIN_CSRF_FIELD,
    login_csrf_ok,
    login_csrf_token,
    set_login_cookies,
    set_login_csrf,
)
from eduplan.web.deps import SESSION_COOKIE, SessionsDep, SettingsDep
from eduplan.web.login_gate import password_sign_in, run_sign_in
from eduplan.web.pages.access import SignedInForm, SignedInPage, current_principal, safe_next
from eduplan.web.pages.render import redirect, render

router = APIRouter(include_in_schema=False)


def _login_form(
    request: Request, settings: Settings, data: dict[str, object], status: int = 200, retry: int | None = None
) -> Response:
    token = login_csrf_token(request)
    sso = {"login_csrf": token, "oidc": oidc.enabled(settings)}
    response = render(request, "auth/login.html", data | sso, status)
    set_login_csrf(response, request, settings, token)
    if retry is not None:
        response.headers["Retry-After"] = str(retry)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, sessions: SessionsDep, settings: SettingsDep, next: str = "/") -> Response:
    """The login form (a signed-in user goes straight on)."""
    if current_principal(request, sessions, settings) is not None:
        return redirect(safe_next(next))
    return _login_form(
        request, settings, {"next": safe_next(next), "username": "", "error": None, "field": None}
    )


@router.post("/login", response_class=HTMLResponse)
async def login_submit(
    request: Request,
    sessions: SessionsDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form()] = "/",
    login_csrf: Annotated[str, Form(alias=LOGIN_CSRF_FIELD, max_length=100)] = "",
) -> Response:
    """Sign in: the session cookie is set and the browser goes on to `next`."""
    data: dict[str, object] = {"next": safe_next(next), "username": username, "error": None, "field": None}
    if not login_csrf_ok(request, login_csrf):
        expired = "登录页面已过期或来自其他网站，请重新输入密码登录"
        return _login_form(request, settings, data | {"error": expired, "field": "password"}, 403)
    if not username.strip():
        return _login_form(request, settings, data | {"error": "请输入用户名", "field": "username"}, 422)
    if not password:
        return _login_form(request, settings, data | {"error": "请输入密码", "field": "password"}, 422)
    try:
        result = await password_sign_in(request, sessions, settings, username, password)
    except Throttled as exc:
        error: dict[str, object] = {"error": str(exc), "field": "password"}
        return _login_form(request, settings, data | error, 429, exc.retry_after)
    except Unauthenticated as exc:
        return _login_form(request, settings, data | {"error": str(exc), "field": "password"}, 401)
    target = "/password" if result.user.must_change_password else safe_next(next)
    response = redirect(target)
    set_login_cookies(response, request, settings, result)
    return response


@router.post("/logout")
def logout(request: Request, _who: SignedInForm, sessions: SessionsDep) -> Response:
    """End the session and return to the login page."""
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        accounts.logout(sessions, cookie)
    response = redirect("/login", "已退出登录")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _password_context(who: accounts.Principal, **extra: object) -> dict[str, object]:
    return {
        "first_run": who.must_change_password,
        "is_admin": who.is_admin,
        "error": None,
        "field": None,
    } | extra


@router.get("/password", response_class=HTMLResponse)
def password_page(request: Request, who: SignedInPage, settings: SettingsDep) -> Response:
    """Change one's password; for a one-time password this is the first-run page."""
    return render(
        request, "auth/password.html", _password_context(who, min_length=settings.password_min_length)
    )


@router.post("/password", response_class=HTMLResponse)
async def password_submit(
    request: Request,
    who: SignedInForm,
    sessions: SessionsDep,
    settings: SettingsDep,
    current: Annotated[str, Form(max_length=1024)] = "",
    new: Annotated[str, Form(max_length=1024)] = "",
    confirm: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    """Replace the password; then on to the dashboard."""
    ctx = _password_context(who, min_length=settings.password_min_length)
    if new != confirm:
        return render(
            request, "auth/password.html", ctx | {"error": "两次输入的新密码不一致", "field": "confirm"}, 422
        )
    try:
        # the first password: the one-time one was typed to open this session, not asked again
        given = None if ctx["first_run"] else current
        await run_sign_in(request, settings, accounts.change_password, sessions, settings, who, given, new)
    except Unauthenticated as exc:
        return render(request, "auth/password.html", ctx | {"error": str(exc), "field": "current"}, 422)
    except Throttled as exc:
        response = render(request, "auth/password.html", ctx | {"error": str(exc), "field": "current"}, 429)
        response.headers["Retry-After"] = str(exc.retry_after)
        return response
    except Invalid as exc:
        detail = "；".join(exc.reasons) if exc.reasons else str(exc)
        return render(request, "auth/password.html", ctx | {"error": detail, "field": "new"}, 422)
    return redirect("/", "密码已修改" + ("，欢迎使用 eduplan" if ctx["first_run"] else ""))
