"""Resetting an account to a new one-time password (administrators only), e.g. when its holder
forgot it, or when `eduplan demo` runs again and shows fresh logins for the demo accounts.

The new password is returned once and never stored in clear; the account must change it at its
next sign-in; every session it had ends, its API tokens are revoked and its browsers forgotten.
"""

from __future__ import annotations

from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import devices
from eduplan.services.accounts.passwords import hash_password, one_time_password
from eduplan.services.accounts.principal import Principal
from eduplan.services.accounts.revocation import end_access
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Forbidden, NotFound


def reset_password(sessions: SessionFactory, settings: Settings, actor: Principal, username: str) -> str:
    """Give `username` a new one-time password (administrators); returns it, shown once."""
    if not actor.is_admin:
        raise Forbidden("只有管理员可以重置密码")
    password = one_time_password()
    new_hash = hash_password(settings, password)
    with sessions.begin() as session:
        user = session.scalars(select(User).where(User.username == username)).first()
        if user is None:
            raise NotFound(f"找不到用户 {username}")
        user.password_hash = new_hash
        user.must_change_password = True
        ended = end_access(session, user.id, utcnow())
        devices.forget_all(session, user.id)
        after = {"sessions_ended": ended.sessions, "tokens_revoked": ended.tokens}
        record(session, actor, "reset_password", "user", user.id, None, user.org_id, None, after)
    return password
