"""A 台账 uploaded on the web, kept between its preview and its confirmation (no database table).

``<data_dir>/ledger-uploads/<token>/`` holds the file (``ledger.bin``) and ``meta.json``: the
uploader, the file name and the options chosen so far (organisation, schedule, column roles).  The
token is random and the folder answers only its uploader (`NotFound` for anyone else), so a preview
is private as an import draft is.  Uploads older than `KEEP_HOURS` are swept at each new upload;
a confirmed or discarded upload is removed.
"""

from __future__ import annotations

import json
import secrets
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from eduplan.config import Settings
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import NotFound
from eduplan.services.ledger_import import LedgerOptions

KEEP_HOURS = 24
_TOKEN_CHARS = set("0123456789abcdef")


@dataclass
class LedgerUpload:
    """One kept upload: its token, owner, file name and the options chosen for it."""

    token: str
    owner: str
    filename: str
    options: LedgerOptions


def _root(settings: Settings) -> Path:
    return settings.data_dir / "ledger-uploads"


def _folder(settings: Settings, token: str) -> Path:
    if len(token) != 32 or not set(token) <= _TOKEN_CHARS:
        raise NotFound("找不到该台账上传（可能已过期），请重新上传")
    return _root(settings) / token


def _sweep(settings: Settings) -> None:
    root = _root(settings)
    if not root.is_dir():
        return
    limit = time.time() - KEEP_HOURS * 3600
    for folder in root.iterdir():
        if folder.is_dir() and folder.stat().st_mtime < limit:
            shutil.rmtree(folder, ignore_errors=True)


def keep_upload(
    settings: Settings, actor: Principal, data: bytes, filename: str, options: LedgerOptions
) -> LedgerUpload:
    """Keep an uploaded ledger for its preview; returns it with its token."""
    _sweep(settings)
    token = secrets.token_hex(16)
    folder = _root(settings) / token
    folder.mkdir(parents=True)
    (folder / "ledger.bin").write_bytes(data)
    upload = LedgerUpload(token, actor.username, filename, options)
    save_options(settings, actor, upload)
    return upload


def save_options(settings: Settings, actor: Principal, upload: LedgerUpload) -> None:
    """Write the options chosen for an upload (the preview's column roles, the schedule)."""
    folder = _folder(settings, upload.token)
    meta = {"owner": actor.username, "filename": upload.filename, "options": asdict(upload.options)}
    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")


def load_upload(settings: Settings, actor: Principal, token: str) -> tuple[LedgerUpload, bytes]:
    """An upload of `actor` and its bytes; `NotFound` for a missing, expired or another's upload."""
    folder = _folder(settings, token)
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        data = (folder / "ledger.bin").read_bytes()
    except (OSError, ValueError) as exc:
        raise NotFound("找不到该台账上传（可能已过期），请重新上传") from exc
    if meta.get("owner") != actor.username:
        raise NotFound("找不到该台账上传（可能已过期），请重新上传")
    return LedgerUpload(token, meta["owner"], meta["filename"], LedgerOptions(**meta["options"])), data


def discard_upload(settings: Settings, actor: Principal, token: str) -> None:
    """Remove an upload of `actor` (after its import, or when given up)."""
    load_upload(settings, actor, token)
    shutil.rmtree(_folder(settings, token), ignore_errors=True)
