"""Evidence files held between two posts of a form (暂存的佐证材料): when a row of 集中填报 cannot be
saved yet, the files chosen for it — already checked by content — are kept on the server under
``<data_dir>/held_files/<user id>/`` and the page names them instead of asking for them again (a
browser cannot put a file back into a file input).  The next post of the same user brings the
token back and the files are attached as if chosen again; they are dropped once attached.

Limits: only the user who chose a file gets it back (the folder is theirs; a token is 32 random
bytes); files wait `MAX_AGE` and are swept on the next `hold`.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from eduplan.config import Settings

MAX_AGE = 24 * 3600


def _folder(settings: Settings, user_id: int) -> Path:
    return Path(settings.data_dir) / "held_files" / str(int(user_id))


def _valid(token: str) -> bool:
    return 20 <= len(token) <= 64 and token.replace("-", "").replace("_", "").isalnum()


def hold(settings: Settings, user_id: int, name: str, data: bytes) -> str:
    """Keep one file for the user; the token that brings it back."""
    folder = _folder(settings, user_id)
    folder.mkdir(parents=True, exist_ok=True)
    now = time.time()
    for old in folder.glob("*.bin"):  # sweep what nobody came back for
        if now - old.stat().st_mtime > MAX_AGE:
            old.unlink(missing_ok=True)
            old.with_suffix(".name").unlink(missing_ok=True)
    token = secrets.token_urlsafe(32)
    (folder / f"{token}.name").write_text(name, encoding="utf-8")
    (folder / f"{token}.bin").write_bytes(data)
    return token


def held(settings: Settings, user_id: int, token: str) -> tuple[str, bytes] | None:
    """The file (name, bytes) the user holds under `token` (None: not theirs, or gone)."""
    if not _valid(token):
        return None
    folder = _folder(settings, user_id)
    try:
        return (folder / f"{token}.name").read_text(encoding="utf-8"), (folder / f"{token}.bin").read_bytes()
    except OSError:
        return None


def drop(settings: Settings, user_id: int, token: str) -> None:
    """Forget a held file (it was attached)."""
    if _valid(token):
        folder = _folder(settings, user_id)
        (folder / f"{token}.bin").unlink(missing_ok=True)
        (folder / f"{token}.name").unlink(missing_ok=True)
