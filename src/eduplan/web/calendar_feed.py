"""The personal calendar feed, ``GET /calendar/{secret}.ics``: no login (calendar apps cannot sign
in; the secret in the URL is the credential, `services.notify.calendar`), 404 once revoked or
replaced.  Not cached by proxies: the feed is one person's."""

from __future__ import annotations

from fastapi import APIRouter, Path, Response

from eduplan.services.notify import calendar
from eduplan.web.deps import SessionsDep, SettingsDep, Today
from eduplan.web.problems import PROBLEM_RESPONSES

router = APIRouter(tags=["notify"])


@router.get(
    "/calendar/{token}.ics",
    response_class=Response,
    responses={200: {"content": {"text/calendar": {}}}, 404: PROBLEM_RESPONSES[404]},
)
def calendar_feed(
    token: str = Path(max_length=100), *, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> Response:
    """One's deadlines (tasks, reports, urges, rectifications) as an iCalendar feed."""
    body = calendar.render_feed(sessions, settings, token, today)
    headers = {"Cache-Control": "private, no-store", "Content-Disposition": 'inline; filename="eduplan.ics"'}
    return Response(body, media_type="text/calendar; charset=utf-8", headers=headers)
