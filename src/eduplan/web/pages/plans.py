"""规划 pages: the list of plans the user may see (filters, pages, 导入 for office staff) and one
plan's page — its chapters and tasks as the document reads, each task's light, units, targets and
deadline, filters by unit, light, chapter and topic, indicator tables, 专栏 key projects, versions
and what changed.  The data come from `services.plan_pages` and `services.plan_detail`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel, Field

from eduplan.services import archive
from eduplan.services.pages.plan_detail import DetailFilter, PlanPage, plan_page
from eduplan.services.pages.plans import PlanFilter, PlanList, list_plans
from eduplan.web.deps import SessionsDep
from eduplan.web.pages.access import PageUser
from eduplan.web.pages.context import PageCtx
from eduplan.web.pages.render import page

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20


def _int(text: str) -> int | None:
    return int(text) if text.strip().isdigit() else None


class PlanQuery(BaseModel):
    """The list's filters as typed in its form (``?q=…&org=…&year=…``) and the page's offset."""

    q: str = Field("", max_length=100)
    org: str = Field("", max_length=12)
    kind: str = Field("", max_length=30)
    year: str = Field("", max_length=4)
    opened: str = Field("", pattern="^(|yes|no)$")
    offset: int = Field(0, ge=0)


@page(router, "/plans", "plans/list.html")
def plans_list(
    request: Request, who: PageUser, sessions: SessionsDep, typed: Annotated[PlanQuery, Query()]
) -> PlanList:
    """The plans the signed-in user may see, newest year first."""
    f = PlanFilter(
        q=typed.q.strip(), org_id=_int(typed.org), kind=typed.kind, year=_int(typed.year), opened=typed.opened
    )
    return list_plans(sessions, who, f, PAGE_SIZE, typed.offset)


@page(router, "/plans/{plan_id}", "plans/detail.html")
def plan_detail(
    plan_id: int,
    ctx: PageCtx,
    unit: Annotated[str, Query(max_length=200)] = "",
    status: Annotated[str, Query(pattern="^(|green|amber|red|none)$")] = "",
    chapter: Annotated[str, Query(max_length=40)] = "",
    topic: Annotated[str, Query(max_length=40)] = "",
    version: Annotated[int | None, Query(ge=1)] = None,
) -> PlanPage:
    """One plan as the document reads, with the state of its tasks."""
    chosen = DetailFilter(unit=unit, status=status, chapter=chapter, topic=topic)
    found = plan_page(ctx.sessions, ctx.settings, ctx.who, plan_id, ctx.today, chosen, version)
    closed = archive.plan_archive(ctx.sessions, plan_id) if found.follows else None
    found.archived = closed.note if closed else None
    return found
