"""Known browsers (the lockout that is not a weapon): a browser that signs in to an account gets a
random ``eduplan_device`` cookie, stored as sha256 with the account.  Its later sign-ins to that
account are counted against the browser alone, not against the account name or the client address,
so someone who keeps typing wrong passwords for ``admin`` from elsewhere locks out only themselves.
A known browser that itself fails `login_max_failures` times is throttled like anyone else.

A browser is forgotten `known_device_days` after its last sign-in, and all of an account's browsers
when an administrator resets its password or the account is deactivated.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.accounts import KnownDevice
from eduplan.services.accounts.tokens import token_hash


def known(session: Session, settings: Settings, cookie: str | None, user_id: int, now: datetime) -> bool:
    """Whether the browser's cookie is a known browser of `user_id` (and not forgotten yet)."""
    if not cookie:
        return False
    since = now - timedelta(days=settings.known_device_days)
    found = session.scalars(
        select(KnownDevice.id).where(
            KnownDevice.token_hash == token_hash(cookie),
            KnownDevice.user_id == user_id,
            KnownDevice.last_used_at > since,
        )
    ).first()
    return found is not None


def remember(
    session: Session, settings: Settings, cookie: str | None, user_id: int, now: datetime
) -> str | None:
    """Mark the browser known to `user_id` after a sign-in: a new cookie value to set, or None when
    its cookie already is one (its last use is updated)."""
    session.execute(
        delete(KnownDevice).where(
            KnownDevice.user_id == user_id,
            KnownDevice.last_used_at <= now - timedelta(days=settings.known_device_days),
        )
    )
    if cookie:
        row = session.scalars(
            select(KnownDevice).where(
                KnownDevice.token_hash == token_hash(cookie), KnownDevice.user_id == user_id
            )
        ).first()
        if row is not None:
            row.last_used_at = now
            return None
    fresh = secrets.token_urlsafe(32)
    session.add(KnownDevice(token_hash=token_hash(fresh), user_id=user_id, created_at=now, last_used_at=now))
    return fresh


def forget_all(session: Session, user_id: int) -> None:
    """Forget every browser of an account (password reset by an administrator, deactivation)."""
    session.execute(delete(KnownDevice).where(KnownDevice.user_id == user_id))
