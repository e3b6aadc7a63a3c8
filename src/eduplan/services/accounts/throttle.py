"""Counting failed sign-ins in the database, so that the limits hold across server processes.

A `Limit` is a key (a client address, a user name, a known browser, a user changing a password)
allowed `max_failures` failures per window (`login_lockout_minutes`, counted from the first failure
of the window).  An attempt first *reserves* one failure on each of its limits in one atomic,
conditional ``UPDATE`` (``… SET failures = failures + 1 WHERE failures < max``), and only then is the
password checked: 24 concurrent wrong passwords get exactly `max_failures` checks, whatever the
number of processes.  A success gives the reservation back (`forgive`); a refused attempt never
reaches the password hash, so a throttled flood costs a read, not an argon2 check.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, select, tuple_, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.accounts import LoginThrottle
from eduplan.db.engine import SessionFactory
from eduplan.services.clock import as_utc
from eduplan.services.errors import Throttled

KEY_LENGTH = 100


@dataclass(frozen=True)
class Limit:
    """At most `max_failures` failed attempts of `scope`/`key` per window."""

    scope: str
    key: str
    max_failures: int


def address_key(address: str) -> str:
    """The key of a client address: IPv4 as is, IPv6 by its /64 (one host usually holds a whole /64)."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:KEY_LENGTH]
    if ip.version == 6:
        mapped = ip.ipv4_mapped  # type: ignore[union-attr]
        if mapped is not None:
            return str(mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def _window(settings: Settings) -> timedelta:
    return timedelta(minutes=settings.login_lockout_minutes)


def _refusal(wait_seconds: int) -> Throttled:
    wait = max(1, wait_seconds)
    return Throttled(f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试", wait)


def check(sessions: SessionFactory, settings: Settings, limits: list[Limit], now: datetime) -> None:
    """Raise `Throttled` when any limit is used up (a read only: refusing a flood writes nothing)."""
    window = _window(settings)
    keys = [(limit.scope, limit.key[:KEY_LENGTH]) for limit in limits]
    with sessions() as session:
        rows = session.execute(
            select(
                LoginThrottle.scope, LoginThrottle.key, LoginThrottle.failures, LoginThrottle.window_start
            ).where(tuple_(LoginThrottle.scope, LoginThrottle.key).in_(keys))
        ).all()
    allowed = {(limit.scope, limit.key[:KEY_LENGTH]): limit.max_failures for limit in limits}
    waits = [
        int((as_utc(start) + window - now).total_seconds()) + 1
        for scope, key, failures, start in rows
        if failures >= allowed[(scope, key)] and as_utc(start) + window > now
    ]
    if waits:
        raise _refusal(max(waits))


def _insert(session: Session, now: datetime, limit: Limit) -> None:
    values = {"scope": limit.scope, "key": limit.key[:KEY_LENGTH], "failures": 0, "window_start": now}
    dialect = session.get_bind().dialect.name
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(LoginThrottle).values(**values)
    session.execute(statement.on_conflict_do_nothing(index_elements=["scope", "key"]))


def reserve(sessions: SessionFactory, settings: Settings, limits: list[Limit], now: datetime) -> None:
    """Count one failure on every limit before the password is checked, all or none; `Throttled`
    when one of them is used up (another attempt took the last one meanwhile)."""
    cutoff = now - _window(settings)
    with sessions.begin() as session:
        for limit in limits:
            _insert(session, now, limit)
            expired = LoginThrottle.window_start <= cutoff
            counted = session.execute(
                update(LoginThrottle)
                .where(
                    LoginThrottle.scope == limit.scope,
                    LoginThrottle.key == limit.key[:KEY_LENGTH],
                    expired | (LoginThrottle.failures < limit.max_failures),
                )
                .values(
                    failures=case((expired, 1), else_=LoginThrottle.failures + 1),
                    window_start=case((expired, now), else_=LoginThrottle.window_start),
                )
                .execution_options(synchronize_session=False)
            )
            if counted.rowcount != 1:  # type: ignore[attr-defined]
                raise _refusal(int(_window(settings).total_seconds()))  # rolls back the others
        # counters whose window is long over are noise: drop them as new ones come
        session.execute(delete(LoginThrottle).where(LoginThrottle.window_start < cutoff - _window(settings)))


def forgive(sessions: SessionFactory, limits: list[Limit], clear: list[Limit]) -> None:
    """Give back the failure reserved on `limits` (the attempt succeeded or was never checked) and
    forget every failure of `clear` (an account or a browser that has just signed in)."""
    with sessions.begin() as session:
        for limit in limits:
            session.execute(
                update(LoginThrottle)
                .where(
                    LoginThrottle.scope == limit.scope,
                    LoginThrottle.key == limit.key[:KEY_LENGTH],
                    LoginThrottle.failures > 0,
                )
                .values(failures=LoginThrottle.failures - 1)
                .execution_options(synchronize_session=False)
            )
        for limit in clear:
            session.execute(
                delete(LoginThrottle).where(
                    LoginThrottle.scope == limit.scope, LoginThrottle.key == limit.key[:KEY_LENGTH]
                )
            )
