"""首页（驾驶舱） — placeholder until the dashboard lands: who is signed in."""

from __future__ import annotations

from fastapi import APIRouter, Request

from eduplan.web.pages.access import PageUser
from eduplan.web.pages.render import page

router = APIRouter(include_in_schema=False)


@page(router, "/", "home.html")
def home(request: Request, who: PageUser) -> dict[str, object]:
    """The dashboard of the signed-in user's organisation."""
    return {"username": who.username}
