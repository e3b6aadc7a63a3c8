"""Typed work kept when a session ends under it (暂存): a report form posted after the session
expired, or after a logout in another tab, is not thrown away.  Its text fields are written to
``<data_dir>/kept_forms/<token>.json`` with the user the ended session belonged to (when the
session row still exists: an expired one; a logged-out one is gone and the user is unknown), and
are handed back once to the next sign-in in that browser that may have them (`take`).

Limits: text fields only (a browser never re-sends a file input; chosen files are asked for again);
at most `MAX_BYTES` per form and `MAX_AGE` old; a form kept without a known user is given to the next
person who signs in in the same browser (the token lives in that browser's HttpOnly cookie only), and
only to the rows that person may fill anyway.
"""

from __future__ import annotations

import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.accounts import LoginSession
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.tokens import token_hash

MAX_BYTES = 2_000_000
MAX_AGE = 7 * 24 * 3600
"""Seconds a kept form waits for its owner."""
KEPT_PATHS = ("/my/report",)
"""The forms whose typed text is kept (the long ones, where losing it costs an afternoon)."""


@dataclass(frozen=True)
class KeptForm:
    user_id: int | None
    path: str
    fields: list[tuple[str, str]]
    kept_at: float


def _folder(settings: Settings) -> Path:
    return Path(settings.data_dir) / "kept_forms"


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
    body = json.dumps({"user_id": user_id, "path": path, "fields": fields, "kept_at": time.time()})
    if len(body.encode()) > MAX_BYTES:
        return None
    folder = _folder(settings)
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(24)
    part = folder / f".{token}.tmp"
    part.write_text(body, encoding="utf-8")
    part.replace(folder / f"{token}.json")  # whole or not at all
    return token


def take(settings: Settings, token: str | None, user_id: int | None, path: str) -> KeptForm | None:
    """The form kept under `token` for `path` when `user_id` may have it; it is removed once taken."""
    if not token or not token.replace("-", "").replace("_", "").isalnum():
        return None
    file = _folder(settings) / f"{token}.json"
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if data.get("path") != path or (data.get("user_id") not in (None, user_id)):
        return None
    file.unlink(missing_ok=True)
    if time.time() - float(data.get("kept_at", 0)) > MAX_AGE:
        return None
    fields = [(str(k), str(v)) for k, v in data.get("fields", [])]
    return KeptForm(data.get("user_id"), path, fields, float(data["kept_at"]))
