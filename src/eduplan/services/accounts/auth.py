"""Signing in: password logins with throttling, browser sessions that expire, hashed API tokens.

- A login that fails is recorded for its user name (known or not, so that the answer never tells
  which); after `login_max_failures` failures within `login_lockout_minutes` the name is refused
  until the oldest of them is that old.  A success clears them.
- A session ends `session_idle_minutes` after its last use or `session_max_hours` after login,
  whichever comes first; its cookie value is stored as sha256, and it carries a CSRF token that
  cookie-authenticated writes must echo in the ``X-CSRF-Token`` header.
- An API token (``ep_…``) is shown once and stored as sha256; it may expire and can be revoked.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.accounts import ApiToken, LoginFailure, LoginSession, User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.passwords import hash_password, hasher, verify_password
from eduplan.services.accounts.principal import Principal
from eduplan.services.accounts.users import UserView, principal_of, user_view
from eduplan.services.audit import record
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.errors import Forbidden, NotFound, Throttled, Unauthenticated

TOKEN_PREFIX = "ep_"
SLIDE_AFTER = timedelta(seconds=60)
"""A session's last use is written at most once a minute, not on every request."""
_BAD_LOGIN = "用户名或密码错误"


@dataclass
class LoginResult:
    """A new session: the cookie value (given once), its CSRF token, when it ends, who it is."""

    token: str
    csrf_token: str
    expires_at: datetime
    user: UserView


@dataclass
class TokenView:
    """An API token without its secret."""

    id: int
    name: str
    created_at: datetime
    expires_at: datetime | None
    revoked: bool


@dataclass
class NewToken:
    token: TokenView
    secret: str


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def _failures(session: Session, username: str, since: datetime) -> tuple[int, datetime | None]:
    count, oldest = session.execute(
        select(func.count(), func.min(LoginFailure.at)).where(
            LoginFailure.username == username, LoginFailure.at > since
        )
    ).one()
    return int(count or 0), as_utc(oldest) if oldest is not None else None


def _session_end(settings: Settings, created: datetime, last_seen: datetime) -> datetime:
    return min(
        created + timedelta(hours=settings.session_max_hours),
        last_seen + timedelta(minutes=settings.session_idle_minutes),
    )


def login(
    sessions: SessionFactory, settings: Settings, username: str, password: str, now: datetime | None = None
) -> LoginResult:
    """A new session for a right user name and password; `Throttled` after repeated failures."""
    now = now or utcnow()
    name = username.strip().lower()
    window = timedelta(minutes=settings.login_lockout_minutes)
    with sessions() as session:
        count, oldest = _failures(session, name, now - window)
        if count >= settings.login_max_failures and oldest is not None:
            wait = max(1, int((oldest + window - now).total_seconds()) + 1)
            raise Throttled(f"登录失败次数过多，请 {wait // 60 + 1} 分钟后再试", wait)
        user = session.scalars(select(User).where(func.lower(User.username) == name)).first()
        ok = user is not None and user.active and verify_password(settings, user.password_hash, password)
        if user is None:  # spend the same time as a real check, so timing does not reveal names
            verify_password(settings, _DUMMY.get(settings), password)
    if not ok or user is None:
        with sessions.begin() as session:
            session.execute(
                delete(LoginFailure).where(LoginFailure.username == name, LoginFailure.at <= now - window)
            )
            session.add(LoginFailure(username=name, at=now))
        raise Unauthenticated(_BAD_LOGIN)
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with sessions.begin() as session:
        session.execute(delete(LoginFailure).where(LoginFailure.username == name))
        user = session.get(User, user.id)
        assert user is not None
        if hasher(settings).check_needs_rehash(user.password_hash):
            user.password_hash = hash_password(settings, password)
        expires = _session_end(settings, now, now)
        session.add(
            LoginSession(
                token_hash=token_hash(token),
                user_id=user.id,
                csrf_token=csrf,
                created_at=now,
                last_seen_at=now,
                expires_at=expires,
            )
        )
        # expired sessions of this user are removed as it signs in again
        session.execute(
            delete(LoginSession).where(LoginSession.user_id == user.id, LoginSession.expires_at < now)
        )
        return LoginResult(token, csrf, expires, user_view(user))


class _DummyHash:
    """A hash of a random password per argon2 cost, made once, to verify unknown names against."""

    def __init__(self) -> None:
        self._hashes: dict[tuple[int, int, int], str] = {}

    def get(self, settings: Settings) -> str:
        key = (settings.argon2_time_cost, settings.argon2_memory_kib, settings.argon2_parallelism)
        if key not in self._hashes:
            self._hashes[key] = hash_password(settings, secrets.token_urlsafe(16))
        return self._hashes[key]


_DUMMY = _DummyHash()


def logout(sessions: SessionFactory, token: str) -> None:
    """End the session of a cookie value (nothing happens for an unknown one)."""
    with sessions.begin() as session:
        session.execute(delete(LoginSession).where(LoginSession.token_hash == token_hash(token)))


def session_principal(
    sessions: SessionFactory, settings: Settings, token: str, now: datetime | None = None
) -> Principal:
    """Who a session cookie belongs to; `Unauthenticated` when unknown or expired."""
    now = now or utcnow()
    with sessions() as session:
        row = session.scalars(
            select(LoginSession).where(LoginSession.token_hash == token_hash(token))
        ).first()
        if row is None or as_utc(row.expires_at) <= now or not row.user.active:
            raise Unauthenticated("未登录或会话已过期，请重新登录")
        principal = principal_of(row.user, row.csrf_token)
        stale = now - as_utc(row.last_seen_at) >= SLIDE_AFTER
        row_id, created = row.id, as_utc(row.created_at)
    if stale:
        with sessions.begin() as session:
            live = session.get(LoginSession, row_id)
            if live is not None:
                live.last_seen_at = now
                live.expires_at = _session_end(settings, created, now)
    return principal


def token_principal(sessions: SessionFactory, secret: str, now: datetime | None = None) -> Principal:
    """Who an API token acts for; `Unauthenticated` when unknown, revoked or expired."""
    now = now or utcnow()
    with sessions() as session:
        row = session.scalars(select(ApiToken).where(ApiToken.token_hash == token_hash(secret))).first()
        expired = row is not None and row.expires_at is not None and as_utc(row.expires_at) <= now
        if row is None or row.revoked_at is not None or expired or not row.user.active:
            raise Unauthenticated("API 令牌无效、已撤销或已过期")
        return principal_of(row.user)


def _token_view(t: ApiToken) -> TokenView:
    expires = as_utc(t.expires_at) if t.expires_at else None
    return TokenView(t.id, t.name, as_utc(t.created_at), expires, t.revoked_at is not None)


def create_token(sessions: SessionFactory, actor: Principal, name: str, days: int | None = None) -> NewToken:
    """A new API token acting as the actor; its secret is returned once."""
    if actor.user_id is None:
        raise Forbidden("系统身份不能创建令牌")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = utcnow()
    with sessions.begin() as session:
        row = ApiToken(
            token_hash=token_hash(secret),
            user_id=actor.user_id,
            name=name.strip() or "API",
            created_at=now,
            expires_at=now + timedelta(days=days) if days else None,
            revoked_at=None,
        )
        session.add(row)
        session.flush()
        record(session, actor, "create", "api_token", row.id, None, actor.org_id, None, {"name": row.name})
        return NewToken(_token_view(row), secret)


def list_tokens(sessions: SessionFactory, actor: Principal) -> list[TokenView]:
    with sessions() as session:
        rows = session.scalars(
            select(ApiToken).where(ApiToken.user_id == actor.user_id).order_by(ApiToken.id)
        )
        return [_token_view(t) for t in rows]


def revoke_token(sessions: SessionFactory, actor: Principal, token_id: int) -> None:
    """Revoke one of the actor's tokens (an administrator may revoke anyone's)."""
    with sessions.begin() as session:
        row = session.get(ApiToken, token_id)
        if row is None or (row.user_id != actor.user_id and not actor.is_admin):
            raise NotFound(f"找不到令牌 {token_id}")
        row.revoked_at = utcnow()
        record(session, actor, "revoke", "api_token", row.id, None, actor.org_id, None, {"name": row.name})
