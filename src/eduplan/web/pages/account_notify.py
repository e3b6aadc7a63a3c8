"""The forms of 我的账户 about notices: one's e-mail address, and one's calendar feed (make a new
secret URL — shown once on the answer — or stop it).  Plain CSRF-checked forms, no JavaScript."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse

from eduplan.services.accounts.contact import set_email
from eduplan.services.errors import Invalid
from eduplan.services.notify import calendar
from eduplan.web.deps import SessionsDep, SettingsDep
from eduplan.web.pages.access import FormUser
from eduplan.web.pages.account import _page
from eduplan.web.pages.render import redirect

router = APIRouter(include_in_schema=False)


@router.post("/account/email", response_class=HTMLResponse)
def save_email(
    request: Request, who: FormUser, sessions: SessionsDep, email: Annotated[str, Form(max_length=500)] = ""
) -> Response:
    """Set or clear one's e-mail address."""
    try:
        set_email(sessions, who, who.user_id or 0, email)
    except Invalid as exc:
        return _page(request, who, sessions, 422, email_error=str(exc))
    return redirect("/account#email", "邮箱已保存" if email.strip() else "邮箱已清除，今后只在站内消息中提醒")


@router.post("/account/calendar", response_class=HTMLResponse)
def new_calendar(request: Request, who: FormUser, sessions: SessionsDep, settings: SettingsDep) -> Response:
    """Make a new calendar URL (the old one stops working); shown on this answer only."""
    token = calendar.issue_feed(sessions, who)
    url = settings.base_url.rstrip("/") + calendar.feed_path(token)
    return _page(request, who, sessions, 201, new_calendar_url=url)


@router.post("/account/calendar/revoke")
def revoke_calendar(who: FormUser, sessions: SessionsDep) -> Response:
    """Stop one's calendar feed."""
    calendar.revoke_feed(sessions, who)
    return redirect("/account#calendar", "日历订阅已停用，原订阅地址不再可用")
