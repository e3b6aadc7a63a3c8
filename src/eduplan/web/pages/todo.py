"""我的待办 (/todo, issue 14): everything waiting for the signed-in person — to sign, report, answer,
put right, decide or review — each with its deadline and a link to where it is done; the data is
`services.pages.todo.todo_page`, also at /todo.json.  The navigation's count badge is
`waiting_count` (see `render`)."""

from __future__ import annotations

from fastapi import APIRouter

from eduplan.services.pages.todo import TodoPage, todo_page
from eduplan.web.pages.context import PageCtx
from eduplan.web.pages.render import page

router = APIRouter(include_in_schema=False)


@page(router, "/todo", "todo/index.html")
def todo(ctx: PageCtx) -> TodoPage:
    """What waits for this person, the overdue first, then by deadline."""
    return todo_page(ctx.sessions, ctx.settings, ctx.who, ctx.today)
