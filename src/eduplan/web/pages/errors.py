"""Errors on pages: the same exceptions the API turns into problem+json become a Chinese page here
(or, for a missing session, a redirect to the login page).

`install` wraps every exception handler already registered (by `web.problems`): a browser page
gets HTML, while ``/api/…``, ``.json`` twins and static files keep the problem+json answer.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException

from eduplan.choices import field_label
from eduplan.services.errors import ServiceError, Unauthenticated
from eduplan.web.error_status import status_of
from eduplan.web.pages.access import LoginRequired, PasswordChangeRequired, is_page_request, login_url
from eduplan.web.pages.kept_forms import keep_posted
from eduplan.web.pages.render import redirect, render
from eduplan.web.problems import ProblemError

Handler = Callable[[Request, Any], Awaitable[Response]]


_PROBLEM_TITLES = {400: "请求有误", 413: "文件过大", 415: "不支持的文件类型", 422: "无法处理"}


def error_page(request: Request, status: int, title: str, detail: str) -> Response:
    """A page that says what went wrong and what to do next."""
    return render(request, "error.html", {"status": status, "title": title, "detail": detail}, status)


def _html_for(exc: Exception, request: Request) -> Response:
    if isinstance(exc, LoginRequired):
        return redirect(exc.next_url, exc.message or "登录已过期，请重新登录", "warn")
    if isinstance(exc, PasswordChangeRequired):
        return redirect("/password")
    if isinstance(exc, Unauthenticated):
        return redirect(login_url(request), str(exc), "warn")
    if isinstance(exc, StarletteHTTPException):
        title = {404: "找不到这个页面", 405: "不支持的请求方法"}.get(exc.status_code, "出错了")
        return error_page(request, exc.status_code, title, "请检查地址，或从上方导航进入。")
    if isinstance(exc, ProblemError):
        return error_page(request, exc.status, _PROBLEM_TITLES.get(exc.status, "无法处理"), exc.detail)
    if isinstance(exc, RequestValidationError):
        names = dict.fromkeys(field_label(str(e.get("loc", ["?"])[-1])) for e in exc.errors())
        return error_page(request, 400, "请求参数有误", f"请检查这些内容：{'、'.join(names)}")
    if isinstance(exc, ServiceError):
        answer = status_of(exc)  # the same status as the API's problem for it
        return error_page(request, answer.status, answer.title, str(exc))
    return error_page(request, 500, "出错了", str(exc))


def install(app: FastAPI) -> None:
    """Make every registered error handler answer pages with HTML; add the login redirect."""

    def wrap(handler: Callable[[Request, Any], Any]) -> Handler:
        async def handle(request: Request, exc: Any) -> Response:
            if is_page_request(request):
                return _html_for(exc, request)
            answer = handler(request, exc)
            return await answer if inspect.isawaitable(answer) else answer

        return handle

    for kind, handler in list(app.exception_handlers.items()):
        app.exception_handlers[kind] = wrap(handler)

    async def _page_only(request: Request, exc: Any) -> Response:
        if isinstance(exc, LoginRequired):  # a long form posted after the session ended is kept
            kept = keep_posted(request, exc.next_url)
            if kept is not None:
                return kept
        return _html_for(exc, request)

    app.exception_handlers[LoginRequired] = _page_only
    app.exception_handlers[PasswordChangeRequired] = _page_only
