"""What every form on 任务详情 (/items/{item_id}) shares — the task's own (`tasks`), its life
(`task_life`) and its 批示 (`instructions`): the posted fields read with a bound, the version the
form was read at, and the page shown again when a service refuses, the input kept and the message
beside the form's field.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request, Response
from starlette.datastructures import FormData

from eduplan.services.errors import Conflict, Invalid, StaleVersion
from eduplan.services.pages.task import FormState, item_page, stale_message
from eduplan.web.pages.context import PageContext
from eduplan.web.pages.render import render

TEMPLATE = "tasks/detail.html"
REFUSED = (Invalid, Conflict, StaleVersion)
"""What a service answers when it refuses a form (the page again), rather than a 403/404 page."""


async def _form(request: Request) -> FormData:
    return await request.form()


Form = Annotated[FormData, Depends(_form)]


def text(form: FormData, name: str, limit: int = 5000) -> str:
    """The field `name` as typed, at most `limit` characters ("" when absent or a file)."""
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def read_version(form: FormData) -> int:
    """The version of the record the form was read at."""
    try:
        return int(text(form, "version"))
    except ValueError:
        raise Invalid("表单缺少版本号，请刷新页面") from None


def unit_id(typed: str) -> int | None:
    """A unit chosen in a select ("" or junk: none)."""
    return int(typed) if typed.isdigit() else None


def refused(
    ctx: PageContext,
    item_id: int,
    form_key: str,
    exc: Exception,
    values: dict[str, Any],
    field: str | None = None,
    version: str | None = None,
) -> Response:
    """The page again with form `form_key` as typed (`values`) and why it was refused beside `field`.

    A form that carries the `version` it was read at keeps it, except after a stale write (409): then
    it holds the current version, so that saving the kept input again overwrites knowingly."""
    message, status = failed(exc)
    if isinstance(exc, StaleVersion) and version is not None:
        version = str(exc.details.current_version)
    if version is not None:
        values = values | {"version": version}
    data = item_page(ctx.sessions, ctx.settings, ctx.who, item_id, ctx.today)
    data.forms[form_key] = FormState(values=values, error=message, field=field)
    return render(ctx.request, TEMPLATE, data, status)


def failed(exc: Exception) -> tuple[str, int]:
    """The message and status of a refusal (anything else is raised again, for the error pages)."""
    if isinstance(exc, StaleVersion):
        return stale_message(exc), 409
    if isinstance(exc, Conflict):
        return str(exc), 409
    if isinstance(exc, Invalid):
        return "；".join(exc.reasons) if exc.reasons else str(exc), 422
    raise exc
