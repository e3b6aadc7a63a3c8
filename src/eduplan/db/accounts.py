"""People and access: user accounts, browser sessions, API tokens, known browsers and the counters of
failed sign-ins.

Secrets are never stored: a session or API token is a random value given to its holder once, and
the database keeps its sha256 (`token_hash`); passwords are argon2id hashes.  A user belongs to an
organisation (none for an administrator, who sees all) and, as a unit reporter, to one of its units.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from eduplan.db.base import Base
from eduplan.db.orgs import Organisation, Unit


class User(Base):
    """A person who signs in: administrator, leader, office/督查 staff, unit reporter or viewer."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(300))
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    active: Mapped[bool]
    must_change_password: Mapped[bool]
    created_at: Mapped[datetime]

    organisation: Mapped[Organisation | None] = relationship()
    unit: Mapped[Unit | None] = relationship()


class UserSecret:
    """The columns of a secret a user's browser or system holds: kept only as its sha256 (`token_hash`),
    deleted with the user.

    A mixin: its columns come first (`sort_order=-1`), where the migrations put them."""

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, sort_order=-1)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True, sort_order=-1
    )

    @declared_attr
    def user(cls) -> Mapped[User]:
        return relationship(User)


class LoginSession(UserSecret, Base):
    """A signed-in browser: the cookie's hash, its CSRF token, when it was last used and ends."""

    __tablename__ = "login_sessions"

    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]


class ApiToken(UserSecret, Base):
    """A token another system sends as ``Authorization: Bearer …``, acting as its user."""

    __tablename__ = "api_tokens"

    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]


class LoginThrottle(Base):
    """Failed sign-ins of one key within a window: `scope` is ``address`` (the client address),
    ``account`` (a user name, known or not), ``device`` (a known browser) or ``password`` (the
    current password on the change-password form, per user).  See `services.accounts.throttle`."""

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("scope", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scope: Mapped[str] = mapped_column(String(10))
    key: Mapped[str] = mapped_column(String(100))
    failures: Mapped[int]
    window_start: Mapped[datetime] = mapped_column(index=True)


class KnownDevice(UserSecret, Base):
    """A browser that has signed in to an account before (the hash of its ``eduplan_device`` cookie):
    the account's lockout does not apply to it."""

    __tablename__ = "known_devices"

    created_at: Mapped[datetime]
    last_used_at: Mapped[datetime]
