"""Typed work kept when a session ends under it (暂存): a report form posted after the session
expired, or after a logout in another tab, is not thrown away.  Its text fields are kept as a staged
row (`services.staging`, kind "form": seen by every server process) with the user the ended session
belonged to (when the
session row still exists: an expired one; a logged-out one is gone and the user is unknown), and
are handed back once to the next sign-in in that browser that may have them (`take`).

Limits: text fields only (a browser never re-sends a file input; chosen files are asked for again);
at most `MAX_BYTES` per form and `MAX_AGE` old; a form kept without a known user is given to the next
person who signs in in the same browser (the token lives in that browser's HttpOnly cookie only), and
only to the rows that person may fill anyway.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.accounts import LoginSession
from eduplan.db.engine import SessionFactory
from eduplan.services import staging
from eduplan.services.accounts.tokens import token_hash

MAX_BYTES = 2_000_000
MAX_AGE = 7 * 24 * 3600
"""Seconds a kept form waits for its owner."""
KIND = "form"
KEPT_PATHS = ("/my/report",)
"""The forms whose typed text is kept (the long ones, where losing it costs an afternoon)."""


@dataclass(frozen=True)
class KeptForm:
    user_id: int | None
    path: str
    fields: list[tuple[str, str]]
    kept_at: float


def session_owner(sessions: SessionFactory, cookie: str | None) -> int | None:
    """The user a session cookie belonged to, even expired (None: no such session any more)."""
    if not cookie:
        return None
    with sessions() as s:
        return s.scalars(
            select(LoginSession.user_id).where(LoginSession.token_hash == token_hash(cookie))
        ).first()


def keep(settings: Settings, user_id: int | None, path: str, fields: list[tuple[str, str]]) -> str | None:
    """Store a posted form's text fields; the token to find it again (None: nothing worth keeping)."""
    if path not in KEPT_PATHS or not fields:
        return None
    if len(json.dumps(fields).encode()) > MAX_BYTES:
        return None
    meta = {"path": path, "fields": [list(f) for f in fields]}
    return staging.stage(settings, KIND, user_id, name=path, meta=meta, hours=MAX_AGE / 3600)


def take(settings: Settings, token: str | None, user_id: int | None, path: str) -> KeptForm | None:
    """The form kept under `token` for `path` when `user_id` may have it; it is removed once taken."""
    found = staging.fetch(settings, KIND, token, user_id, unowned_ok=True)
    if found is None or found.meta.get("path") != path:
        return None
    staging.drop(settings, KIND, token, found.user_id, unowned_ok=True)
    fields = [(str(k), str(v)) for k, v in found.meta.get("fields", [])]
    return KeptForm(found.user_id, path, fields, found.created_at.timestamp())
