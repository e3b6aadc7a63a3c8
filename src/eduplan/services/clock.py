"""Time: every stored moment is UTC; every date a user sees (deadlines, cycles, 序时进度) is a day in
the configured zone (Asia/Shanghai).  SQLite hands back naive datetimes, so readers go through
`as_utc`.  Tests pass `today`/`now` explicitly rather than patching the clock."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    """Now, in UTC."""
    return datetime.now(UTC)


def as_utc(moment: datetime) -> datetime:
    """A stored datetime as an aware UTC one (SQLite returns them naive)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_date(moment: datetime, zone: str) -> date:
    """The calendar day `moment` falls on in `zone`."""
    return as_utc(moment).astimezone(ZoneInfo(zone)).date()


def today(zone: str) -> date:
    """Today in `zone`."""
    return local_date(utcnow(), zone)
