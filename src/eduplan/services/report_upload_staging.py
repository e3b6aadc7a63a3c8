"""Keeping an uploaded 填报模板 between its preview and the confirmation (upload → preview → confirm).

The file is kept under ``<data_dir>/report_uploads/<user id>/<sha256>.xlsx``: the confirmation names it
by its sha256, and only its uploader can reach it (the folder is the user's).  Confirming reads the file
again and re-checks every row against the database as it is then.  Files left unconfirmed are removed
after `KEEP_HOURS` by the next upload of anyone.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path

from eduplan.config import Settings
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Invalid

KEEP_HOURS = 24
_KEY = re.compile(r"[0-9a-f]{64}")
GONE = "上传的文件已过期或已处理，请重新上传"


def _folder(settings: Settings, actor: Principal) -> Path:
    return settings.data_dir / "report_uploads" / str(actor.user_id or 0)


def _sweep(root: Path) -> None:
    cutoff = time.time() - KEEP_HOURS * 3600
    for old in root.glob("*/*.xlsx"):
        try:
            if old.stat().st_mtime < cutoff:
                old.unlink()
        except OSError:
            pass  # another process removed it first


def stage(settings: Settings, actor: Principal, data: bytes) -> str:
    """Keep `data` for its uploader; the key the confirmation gives back."""
    key = hashlib.sha256(data).hexdigest()
    folder = _folder(settings, actor)
    folder.mkdir(parents=True, exist_ok=True)
    _sweep(folder.parent)
    tmp = folder / f".{key}.{os.getpid()}.tmp"
    tmp.write_bytes(data)
    os.replace(tmp, folder / f"{key}.xlsx")  # whole or absent, never half a file
    return key


def staged(settings: Settings, actor: Principal, key: str) -> bytes:
    """The file kept under `key` for this user, else `Invalid`."""
    path = _folder(settings, actor) / f"{key}.xlsx"
    if not _KEY.fullmatch(key) or not path.is_file():
        raise Invalid(GONE)
    return path.read_bytes()


def drop(settings: Settings, actor: Principal, key: str) -> None:
    """Forget the file kept under `key` (after it was confirmed)."""
    if _KEY.fullmatch(key):
        (_folder(settings, actor) / f"{key}.xlsx").unlink(missing_ok=True)
