"""Personal calendar feeds (日历订阅): a secret URL per user, subscribable from Outlook, WPS and
phone calendars, listing the dates the person must act on (`calendar_dates`) as all-day events.

The secret in the URL is the credential (calendar apps cannot sign in): it is made here, shown
once, and stored only as its sha256; making a new one replaces the old, revoking deletes it, and a
deactivated account's feed answers as revoked.  Each event links to its page under ``base_url``.
Built with `icalendar` (RFC 5545).
"""

from __future__ import annotations

import secrets
from datetime import date, datetime, timedelta

from icalendar import Calendar, Event
from sqlalchemy import delete, select

from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.outbound import CalendarFeed
from eduplan.services.accounts.principal import Principal
from eduplan.services.accounts.tokens import token_hash
from eduplan.services.audit import record
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.errors import Forbidden, NotFound
from eduplan.services.notify.calendar_dates import due_dates

PREFIX = "cal_"
PRODID = "-//eduplan//教育规划落实//ZH"


def feed_path(token: str) -> str:
    """Where the feed of `token` is served (no login: the token is the credential)."""
    return f"/calendar/{token}.ics"


def _require_user(actor: Principal) -> int:
    if actor.user_id is None:
        raise Forbidden("系统身份没有日历")
    return actor.user_id


def feed_created(sessions: SessionFactory, actor: Principal) -> datetime | None:
    """When the actor's current feed URL was made (None: no feed)."""
    with sessions() as session:
        made = session.scalar(select(CalendarFeed.created_at).where(CalendarFeed.user_id == actor.user_id))
        return as_utc(made) if made else None


def issue_feed(sessions: SessionFactory, actor: Principal) -> str:
    """A new secret for the actor's feed, replacing (and so revoking) any earlier one; shown once."""
    user_id = _require_user(actor)
    token = PREFIX + secrets.token_urlsafe(32)
    with sessions.begin() as session:
        session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))
        session.add(CalendarFeed(user_id=user_id, token_hash=token_hash(token), created_at=utcnow()))
        record(session, actor, "issue", "calendar_feed", user_id, None, actor.org_id, None, None)
    return token


def revoke_feed(sessions: SessionFactory, actor: Principal) -> bool:
    """Stop the actor's feed; whether there was one."""
    user_id = _require_user(actor)
    with sessions.begin() as session:
        gone = session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user_id))
        if getattr(gone, "rowcount", 0):
            record(session, actor, "revoke", "calendar_feed", user_id, None, actor.org_id, None, None)
            return True
    return False


def render_feed(sessions: SessionFactory, settings: Settings, token: str, today: date) -> bytes:
    """The ICS of the feed whose secret is `token`; `NotFound` for an unknown or revoked one."""
    if not token.startswith(PREFIX) or len(token) > 100:
        raise NotFound("日历订阅地址无效或已撤销")
    with sessions() as session:
        user = session.scalar(
            select(User)
            .join(CalendarFeed, CalendarFeed.user_id == User.id)
            .where(CalendarFeed.token_hash == token_hash(token))
        )
        if user is None or not user.active:
            raise NotFound("日历订阅地址无效或已撤销")
        dates = due_dates(session, user, today)
        name = user.display_name
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"eduplan · {name}")
    calendar.add("x-wr-timezone", settings.timezone)
    calendar.add("x-published-ttl", "PT1H")  # Outlook and phones: look again every hour
    stamp = utcnow()
    base = settings.base_url.rstrip("/")
    for d in dates:
        event = Event()
        event.add("uid", f"{d.uid}@eduplan")
        event.add("dtstamp", stamp)
        event.add("dtstart", d.day)
        event.add("dtend", d.day + timedelta(days=1))
        event.add("summary", d.summary)
        event.add("description", f"{d.description}\n{base}{d.path}")
        event.add("url", f"{base}{d.path}")
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
