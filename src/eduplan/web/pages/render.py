"""Rendering of the HTML pages: the Jinja2 environment, its Chinese filters, and `page`, which
registers a page's HTML route and its ``.json`` twin from one builder function.

A page builder is an ordinary (sync) FastAPI endpoint that takes ``request: Request`` (or ``ctx``, a
`context.PageContext`) and returns
the page's data — a dataclass, a dict or a list — or a `Response` (a redirect).  `page(router,
"/plans/{plan_id}", "plans/detail.html")` turns it into two routes: ``/plans/{plan_id}`` renders the
template with that data as ``page``, and ``/plans/{plan_id}.json`` returns the same data as JSON
(datasette's habit: every page's data also at the same URL with ``.json``).

Autoescaping is on for every template: user-supplied strings are always escaped; the only markup
passed through is what the server builds itself (`Markup`, e.g. highlighted search fragments and
SVG charts made by pygal from escaped labels).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import pydantic_core
from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from eduplan.labels import zh_date, zh_datetime
from eduplan.web.csrf_mask import mask
from eduplan.web.pages import labels
from eduplan.web.pages.first_error import mark_first_error

TEMPLATES_DIR = Path(__file__).resolve().parent.parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
FLASH_COOKIE = "eduplan_flash"


def zh_number(value: float | int | None, digits: int = 1, empty: str = "—") -> str:
    """1,234 or 12.5 (no trailing .0), grouped by thousands."""
    if value is None:
        return empty
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.{digits}f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def percent(value: float | None, empty: str = "—") -> str:
    """85% / 85.5% from a number of percent points (0–100)."""
    if value is None:
        return empty
    return zh_number(round(value, 1)) + "%"


def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES_DIR),
        autoescape=select_autoescape(["html", "xml", "svg"], default_for_string=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        zh_date=zh_date,
        zh_datetime=zh_datetime,
        zh_number=zh_number,
        percent=percent,
        role_label=labels.role_label,
        light_label=labels.light_label,
        status_label=labels.status_label,
    )
    env.globals.update(labels=labels)
    return env


templates = Jinja2Templates(env=_environment())


def flash(response: Response, message: str, kind: str = "ok") -> Response:
    """Show `message` once on the next page this browser renders (after a redirect)."""
    response.set_cookie(FLASH_COOKIE, quote(f"{kind}|{message}"), max_age=60, httponly=True, samesite="lax")
    return response


def redirect(url: str, message: str | None = None, kind: str = "ok") -> RedirectResponse:
    """A 303 redirect (after a form), optionally with a one-time message."""
    response = RedirectResponse(url, status_code=303)
    if message:
        flash(response, message, kind)
    return response


def _take_flash(request: Request) -> tuple[str, str] | None:
    raw = request.cookies.get(FLASH_COOKIE)
    if not raw:
        return None
    kind, _, message = unquote(raw).partition("|")
    return (kind if kind in ("ok", "error", "warn") else "ok", message)


def render(
    request: Request, template: str, data: Any = None, status_code: int = 200, **extra: Any
) -> HTMLResponse:
    """Render `template` with `data` as ``page``; the signed-in user (if any) as ``user``."""
    message = _take_flash(request)
    context = {
        "todo_count": _todo_count(request),
        "page": data,
        "user": getattr(request.state, "principal", None),
        "csrf_token": mask(getattr(getattr(request.state, "principal", None), "csrf_token", None) or ""),
        "flash": message,
        "path": request.url.path,
        "query": request.url.query,
        **extra,
    }
    response = templates.TemplateResponse(request, template, context, status_code=status_code)
    if status_code in (409, 422):  # a refused form opens on its first error
        body = mark_first_error(bytes(response.body).decode("utf-8")).encode("utf-8")
        response.body = body
        response.headers["content-length"] = str(len(body))
    if message:
        response.delete_cookie(FLASH_COOKIE)
    return response


Fields = dict[str, str]
"""A form's fields by name: what was typed, or the message beside each."""


@dataclass(kw_only=True)
class FormsPage:
    """A page of several forms, one of which may come back refused (`render_refused`): which one
    (`form`, as the page names its forms), what was typed in it and the message beside each field."""

    form: str = ""
    values: Fields = field(default_factory=dict)
    errors: Fields = field(default_factory=dict)


def render_refused(
    request: Request,
    template: str,
    data: FormsPage,
    form: str,
    values: Fields,
    errors: Fields,
    status: int = 422,
) -> HTMLResponse:
    """`data` rendered again with the refused form's name, what was typed and the messages."""
    data.form, data.values, data.errors = form, values, errors
    return render(request, template, data, status)


def _todo_count(request: Request) -> int | None:
    """The navigation's 我的待办 badge (issue 14): one statement, for a signed-in person with a list."""
    from sqlalchemy.exc import SQLAlchemyError

    from eduplan.services.pages.todo import waiting_count

    who = getattr(request.state, "principal", None)
    sessions = getattr(request.app.state, "sessions", None)
    if (
        who is None
        or sessions is None
        or who.must_change_password
        or who.role not in ("reporter", "office", "admin")
    ):
        return None
    try:
        with sessions() as session:
            return waiting_count(session, who)
    except SQLAlchemyError:  # an error page must still render when the database is down
        return None


def page(router: APIRouter, path: str, template: str, **route: Any) -> Callable[[Callable[..., Any]], Any]:
    """Register `builder` as the page at `path` (HTML from `template`) and at ``path + '.json'``."""

    def decorator(builder: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(builder)
        def as_json(**kwargs: Any) -> Response:
            data = builder(**kwargs)
            if isinstance(data, Response):
                return data
            # pydantic-core writes dataclasses, dates and Markup ~10× faster than jsonable_encoder
            body = pydantic_core.to_json(data, fallback=str)
            return Response(body, media_type="application/json")

        @functools.wraps(builder)
        def as_html(**kwargs: Any) -> Response:
            data = builder(**kwargs)
            if isinstance(data, Response):
                return data
            request = kwargs["request"] if "request" in kwargs else kwargs["ctx"].request
            return render(request, template, data)

        # the .json route first: a str path parameter would otherwise swallow "5.json"
        router.add_api_route(path + ".json", as_json, methods=["GET"], include_in_schema=False, **route)
        router.add_api_route(
            path, as_html, methods=["GET"], response_class=HTMLResponse, include_in_schema=False, **route
        )
        return builder

    return decorator
