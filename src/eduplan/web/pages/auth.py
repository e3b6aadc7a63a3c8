"""登录, 退出 and 修改密码 — including the first-run page where the administrator replaces the
one-time password printed by ``eduplan serve`` / ``eduplan admin create``.

A rejected form is shown again with the message beside the field and what was typed kept
(passwords are never sent back).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.services import accounts
from eduplan.services.errors import Invalid, Throttled, Unauthenticated
from eduplan.web.deps import SESSION_COOKIE, SessionsDep, SettingsDep
from eduplan.web.pages.access import SignedInForm, SignedInPage, current_principal, safe_next
from eduplan.web.pages.render import redirect, render

router = APIRouter(include_in_schema=False)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, sessions: SessionsDep, settings: SettingsDep, next: str = "/") -> Response:
    """The login form (a signed-in user goes straight on)."""
    if current_principal(request, sessions, settings) is not None:
        return redirect(safe_next(next))
    return render(
        request, "auth/login.html", {"next": safe_next(next), "username": "", "error": None, "field": None}
    )


@router.post("/login", response_class=HTMLResponse)
def login_submit(
    request: Request,
    sessions: SessionsDep,
    settings: SettingsDep,
    username: Annotated[str, Form(max_length=100)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    """Sign in: the session cookie is set and the browser goes on to `next`."""
    data = {"next": safe_next(next), "username": username, "error": None, "field": None}
    if not username.strip():
        return render(request, "auth/login.html", data | {"error": "请输入用户名", "field": "username"}, 422)
    if not password:
        return render(request, "auth/login.html", data | {"error": "请输入密码", "field": "password"}, 422)
    try:
        result = accounts.login(sessions, settings, username, password)
    except Throttled as exc:
        return render(request, "auth/login.html", data | {"error": str(exc), "field": "password"}, 429)
    except Unauthenticated as exc:
        return render(request, "auth/login.html", data | {"error": str(exc), "field": "password"}, 401)
    target = "/password" if result.user.must_change_password else safe_next(next)
    response = redirect(target)
    response.set_cookie(
        SESSION_COOKIE, result.token, max_age=settings.session_max_hours * 3600, httponly=True,
        samesite="lax", secure=settings.cookie_secure, path="/",
    )  # fmt: skip
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
def password_submit(
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
        accounts.change_password(sessions, settings, who, current, new)
    except Unauthenticated as exc:
        return render(request, "auth/password.html", ctx | {"error": str(exc), "field": "current"}, 422)
    except Invalid as exc:
        detail = "；".join(exc.reasons) if exc.reasons else str(exc)
        return render(request, "auth/password.html", ctx | {"error": detail, "field": "new"}, 422)
    return redirect("/", "密码已修改" + ("，欢迎使用 eduplan" if ctx["first_run"] else ""))
