"""首页（驾驶舱）: the dashboard of the signed-in user's organisation — every plan's completion and
红黄绿 counts, overdue tasks, missing and late reports, units ranked by reporting completeness, this
cycle's deadline, with charts; a unit reporter sees their unit's view; an empty registry shows the
first steps.  The figures come from `services.tracking.dashboard` (see `home_view`)."""

from __future__ import annotations

from fastapi import APIRouter, Request

from eduplan.services.pages.home import HomeView, home_view
from eduplan.web.deps import SessionsDep, SettingsDep, Today
from eduplan.web.pages.access import PageUser
from eduplan.web.pages.render import page

router = APIRouter(include_in_schema=False)


@page(router, "/", "home.html")
def home(
    request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> HomeView:
    """The dashboard of the signed-in user's organisation (charts on the HTML page only)."""
    return home_view(sessions, who, settings, today, with_charts=not request.url.path.endswith(".json"))
