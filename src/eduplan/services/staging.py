"""Staged files (暂存): what one person's next request needs back — an upload between its preview and
its confirmation, evidence chosen for a row that could not be saved yet, a form typed when the
session ended — kept as database rows (`db.blobs.StagedFile`, the bytes as a blob), so that any
`eduplan serve` process behind the proxy can answer the next request (issue 17) and one home keeps
the rule for all four features (`ledger_uploads`, `report_upload_staging`, `held_files`,
`kept_forms`).

A token is random (unguessable); `fetch` gives a row only for its `kind` and to its owner (a row kept
without a known owner, `user_id` None, to whoever `fetch` is asked with `unowned_ok`).  Rows past
`expires_at` are never given and are swept, with their blobs, whenever something is staged.
Limits: bytes are read whole into memory (uploads are capped by `max_upload_bytes`).
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.blobs import StagedFile
from eduplan.services import blobs
from eduplan.services.clock import utcnow


@dataclass(frozen=True)
class Staged:
    """A staged row as given back: its token, owner, name, what was kept beside it, and its bytes."""

    token: str
    user_id: int | None
    name: str
    created_at: datetime
    meta: dict[str, Any] = field(default_factory=dict)
    data: bytes | None = None


def _valid(token: str | None) -> bool:
    return (
        bool(token)
        and 16 <= len(token or "") <= 64
        and (token or "").replace("-", "").replace("_", "").isalnum()
    )


def sweep(session: Session, now: datetime | None = None) -> int:
    """Delete expired rows (and the blobs nothing else refers to); how many rows."""
    gone = session.execute(
        delete(StagedFile).where(StagedFile.expires_at < (now or utcnow())).returning(StagedFile.sha256)
    ).all()
    for sha in {s for (s,) in gone if s}:
        blobs.release(session, sha)
    return len(gone)


def stage(
    settings: Settings,
    kind: str,
    user_id: int | None,
    *,
    data: bytes | None = None,
    name: str = "",
    meta: dict[str, Any] | None = None,
    hours: float = 24,
    token: str | None = None,
) -> str:
    """Keep `data` and `meta` for `user_id` under a new token (or `token`, replacing that row)."""
    token = token or secrets.token_urlsafe(24)
    now = utcnow()
    with blobs.sessions_for(settings).begin() as session:
        sweep(session, now)
        sha = blobs.put(session, data) if data is not None else None
        session.execute(delete(StagedFile).where(StagedFile.token == token, StagedFile.kind == kind))
        session.add(
            StagedFile(
                token=token,
                kind=kind,
                user_id=user_id,
                name=name[:500],
                meta=meta or {},
                sha256=sha,
                created_at=now,
                expires_at=now + timedelta(hours=hours),
            )
        )
    return token


def _row(session: Session, kind: str, token: str | None) -> StagedFile | None:
    if not _valid(token):
        return None
    row = session.get(StagedFile, token)
    if row is None or row.kind != kind or row.expires_at.replace(tzinfo=None) < utcnow().replace(tzinfo=None):
        return None
    return row


def fetch(
    settings: Settings, kind: str, token: str | None, user_id: int | None, *, unowned_ok: bool = False
) -> Staged | None:
    """The row of `kind` under `token` when `user_id` owns it (or it has no owner and `unowned_ok`)."""
    with blobs.sessions_for(settings)() as session:
        row = _row(session, kind, token)
        if row is None or not (row.user_id == user_id or (unowned_ok and row.user_id is None)):
            return None
        data = blobs.get(session, row.sha256) if row.sha256 else None
        return Staged(row.token, row.user_id, row.name, row.created_at, dict(row.meta), data)


def update_meta(settings: Settings, kind: str, token: str, user_id: int | None, meta: dict[str, Any]) -> bool:
    """Replace what is kept beside a row of `user_id`; whether there was such a row."""
    with blobs.sessions_for(settings).begin() as session:
        row = _row(session, kind, token)
        if row is None or row.user_id != user_id:
            return False
        row.meta = meta
        return True


def drop(
    settings: Settings, kind: str, token: str | None, user_id: int | None, *, unowned_ok: bool = False
) -> None:
    """Forget a row of `user_id` (it was used, or given up), and its blob when nothing else needs it."""
    with blobs.sessions_for(settings).begin() as session:
        row = _row(session, kind, token)
        if row is None or not (row.user_id == user_id or (unowned_ok and row.user_id is None)):
            return
        sha = row.sha256
        session.delete(row)
        session.flush()
        if sha:
            blobs.release(session, sha)


def find(settings: Settings, kind: str, user_id: int, *, name: str) -> str | None:
    """The token of `user_id`'s live row of `kind` named `name` (e.g. a file staged by its hash)."""
    with blobs.sessions_for(settings)() as session:
        token = session.scalars(
            select(StagedFile.token).where(
                StagedFile.kind == kind,
                StagedFile.user_id == user_id,
                StagedFile.name == name,
                StagedFile.expires_at >= utcnow(),
            )
        ).first()
        return token
