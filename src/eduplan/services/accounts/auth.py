"""Signing in: password logins with throttling, browser sessions that expire, hashed API tokens.

- Throttling (`throttle`, counted in the database so it holds across server processes): a stranger's
  attempt counts against its client address (`login_address_max_failures` per window) and against
  the user name, known or not (`login_max_failures`), so the answer never tells which names exist;
  an attempt from a browser that has signed in to that account before (`devices`) counts against
  that browser only, so a lockout of ``admin`` by strangers does not keep the administrator out.
  A used-up limit is refused (429, Retry-After) before any password hash is computed; the failure is
  reserved before the check, so concurrent attempts get exactly the limit.  A success forgives.
  Unknown names cost one argon2 check against a dummy hash, like a known name, within the limits.
  A failed check keeps its slot as long again before it is answered: a flood gets half the checks
  a busy server could run, and a typo costs its author a fraction of a second.
- A session ends `session_idle_minutes` after its last use or `session_max_hours` after login,
  whichever comes first; its cookie value is stored as sha256, and it carries a CSRF token that
  cookie-authenticated writes must echo in the ``X-CSRF-Token`` header.
- An API token (``ep_…``) is shown once and stored as sha256; it may expire and can be revoked, and
  every token of an account is revoked when its password changes (`revocation`).
"""

from __future__ import annotations

import contextlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypedDict, Unpack

from sqlalchemy import delete, func, select

from eduplan.config import Settings
from eduplan.db.accounts import ApiToken, LoginSession, User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import devices, throttle
from eduplan.services.accounts.passwords import hash_password, hasher, password_check
from eduplan.services.accounts.principal import Principal
from eduplan.services.accounts.throttle import Limit
from eduplan.services.accounts.tokens import token_hash
from eduplan.services.accounts.users import UserView, principal_of, user_view
from eduplan.services.audit import record
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.errors import Forbidden, NotFound, Throttled, Unauthenticated
from eduplan.services.view_rows import from_row

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
    device_token: str | None = None
    """A new known-browser cookie value to set (None: the browser's cookie stays as it is)."""


@dataclass(kw_only=True)
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


def _session_end(settings: Settings, created: datetime, last_seen: datetime) -> datetime:
    return min(
        created + timedelta(hours=settings.session_max_hours),
        last_seen + timedelta(minutes=settings.session_idle_minutes),
    )


def login_limits(
    settings: Settings, name: str, address: str | None, device: str | None
) -> tuple[list[Limit], list[Limit]]:
    """What an attempt counts against, and what a success clears."""
    if device is not None:
        mine = [Limit("device", token_hash(device), settings.login_max_failures)]
        return mine, mine
    account = Limit("account", name, settings.login_max_failures)
    if address is None:
        return [account], [account]
    return [account, Limit("address", throttle.address_key(address), settings.login_address_max_failures)], [
        account
    ]


class Client(TypedDict, total=False):
    """Where and when a sign-in is tried: its time (default now), the client's address, and the
    browser's known-browser cookie (`devices`)."""

    now: datetime | None
    address: str | None
    device: str | None


def login(
    sessions: SessionFactory, settings: Settings, username: str, password: str, **client: Unpack[Client]
) -> LoginResult:
    """A new session for a right user name and password, from the `client`'s address and browser;
    `Throttled` when a limit is used up or the checks are busy."""
    now = client.get("now") or utcnow()
    address, device = client.get("address"), client.get("device")
    name = username.strip().lower()
    if not device:  # a flood is refused with one read, before the user is even looked up
        throttle.check(sessions, settings, login_limits(settings, name, address, None)[0], now)
    with sessions() as session:
        user = session.scalars(select(User).where(func.lower(User.username) == name)).first()
        known = user is not None and devices.known(session, settings, device, user.id, now)
        stored = user.password_hash if user is not None else None
    limits, clear = login_limits(settings, name, address, device if known else None)
    if device:
        throttle.check(sessions, settings, limits, now)
    stored = stored or _DUMMY.get(settings)  # unknown names cost a check too: timing tells nothing
    with password_check(settings, known) as verify:  # busy: 429 before anything is counted
        throttle.reserve(sessions, settings, limits, now)
        started = time.perf_counter()
        matches = verify(stored, password)
        if user is None or not user.active or not matches:  # a failure holds the check as long again:
            time.sleep(time.perf_counter() - started)  # a flood gets half the checks
    if user is None or not user.active or not matches:
        raise Unauthenticated(_BAD_LOGIN)
    throttle.forgive(sessions, limits, clear)
    rehashed = None
    if hasher(settings).check_needs_rehash(stored):  # the cost changed; hashed outside the transaction
        with contextlib.suppress(Throttled):  # busy: rehash at a later sign-in
            rehashed = hash_password(settings, password)
    if rehashed is not None:
        with sessions.begin() as session:
            row = session.get(User, user.id)
            assert row is not None
            row.password_hash = rehashed
    return start_session(sessions, settings, user.id, now, device)


def start_session(
    sessions: SessionFactory, settings: Settings, user_id: int, now: datetime, device: str | None = None
) -> LoginResult:
    """A new session for a user whose identity is proven (a password here, or an external sign-in:
    `oidc`, `ldap_login`), with a known-browser cookie when the browser was not known yet."""
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(24)
    with sessions.begin() as session:
        user = session.get(User, user_id)
        assert user is not None
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
        new_device = devices.remember(session, settings, device, user.id, now)
        return LoginResult(token, csrf, expires, user_view(user), new_device)


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
    return from_row(TokenView, t, revoked=t.revoked_at is not None)


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
