"""检索 (/search?q=…): tasks whose title or text contains every word typed — two-character words
such as 学前 or 双减 included —, best first, each with the matching fragment highlighted and links
to the task on its plan page (/plans/{plan_id}#task-{position}) and, when the user follows it, to
its work item (/items/{item_id}).  Paged by `ui.pager` (20 a page).

The highlighted fragment is `Markup` built by the search service from escaped pieces and ``<mark>``
tags only (`registry.search.fragment`); nothing else is marked safe.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from markupsafe import Markup

from eduplan.services import registry as reg
from eduplan.services.registry.plan_names import plan_names
from eduplan.services.tracking.links import task_links
from eduplan.services.view_rows import from_row
from eduplan.web.deps import SessionsDep
from eduplan.web.pages.access import PageUser
from eduplan.web.pages.render import page
from eduplan.web.pages.supervision import as_id

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 20
MAX_QUERY = 200


@dataclass(kw_only=True)
class Hit:
    task_id: int
    plan_id: int
    number: str
    title: str
    chapter: str
    chapter_title: str
    units: list[str]
    field: str
    fragment: str
    """`Markup` (a str the templates do not escape again); plain text in the .json twin."""
    plan_url: str
    item_url: str | None
    plan_title: str = ""
    """The plan the task comes from, and its organisation (issue 15: a hit says where it is from)."""
    org_name: str = ""


@dataclass(kw_only=True)
class SearchPage:
    q: str
    plan: int | None
    plans: list[tuple[int, str]]
    hits: list[Hit]
    total: int
    limit: int
    offset: int
    base: str
    problem: str | None


@page(router, "/search", "search/index.html")
def search_page(
    request: Request, who: PageUser, sessions: SessionsDep, q: str = "", plan: str = "", offset: int = 0
) -> SearchPage:
    """Search the tasks of every plan (latest versions), or of one."""
    words = q.strip()[:MAX_QUERY]
    plan_id = as_id(plan)
    plans = [(p.id, p.title) for p in reg.list_plans(sessions, None, None, None, 200, 0).items]
    base = "/search?" + urlencode({"q": words} | ({"plan": plan_id} if plan_id else {}))
    result = SearchPage(
        q=words,
        plan=plan_id,
        plans=plans,
        hits=[],
        total=0,
        limit=PAGE_SIZE,
        offset=max(0, offset),
        base=base,
        problem=None,
    )
    if not words:
        return result
    found = reg.search_tasks(sessions, words, reg.TaskFilter(plan_id=plan_id), PAGE_SIZE, result.offset)
    tasks = [h.task for h in found.items]
    links = task_links(sessions, who, {t.id for t in tasks}, {t.tracked_id for t in tasks})
    names = plan_names(sessions, {t.plan_id for t in tasks})
    for h in found.items:
        t = h.task
        item = links.items.get(t.tracked_id)
        anchor = links.position.get(t.id)
        result.hits.append(
            from_row(
                Hit,
                t,  # plan_id, number, title, chapter, chapter_title, units
                task_id=t.id,
                field=h.fragment.field,
                fragment=Markup(h.fragment.html),  # built from escaped parts by the search service
                plan_url=f"/plans/{t.plan_id}" + (f"#task-{anchor}" if anchor is not None else ""),
                item_url=f"/items/{item}" if item is not None else None,
                plan_title=names[t.plan_id].title if t.plan_id in names else "",
                org_name=names[t.plan_id].org_name if t.plan_id in names else "",
            )
        )
    result.total = found.total
    return result
