"""Keeping an uploaded 填报模板 between its preview and the confirmation (upload → preview → confirm).

The file is a staged file (`services.staging`, kind "template": a database row every server process
sees), named by its sha256: the confirmation gives that key back, and only its uploader can reach it.
Confirming reads the file again and re-checks every row against the database as it is then.  Files left
unconfirmed expire after `KEEP_HOURS`.
"""

from __future__ import annotations

import hashlib
import re

from eduplan.config import Settings
from eduplan.services import staging
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Invalid

KEEP_HOURS = 24
KIND = "template"
_KEY = re.compile(r"[0-9a-f]{64}")
GONE = "上传的文件已过期或已处理，请重新上传"


def stage(settings: Settings, actor: Principal, data: bytes) -> str:
    """Keep `data` for its uploader; the key the confirmation gives back."""
    key = hashlib.sha256(data).hexdigest()
    token = staging.find(settings, KIND, actor.user_id or 0, name=key)
    staging.stage(settings, KIND, actor.user_id or 0, data=data, name=key, hours=KEEP_HOURS, token=token)
    return key


def staged(settings: Settings, actor: Principal, key: str) -> bytes:
    """The file kept under `key` for this user, else `Invalid`."""
    token = staging.find(settings, KIND, actor.user_id or 0, name=key) if _KEY.fullmatch(key) else None
    found = staging.fetch(settings, KIND, token, actor.user_id or 0)
    if found is None or found.data is None:
        raise Invalid(GONE)
    return found.data


def drop(settings: Settings, actor: Principal, key: str) -> None:
    """Forget the file kept under `key` (after it was confirmed)."""
    if _KEY.fullmatch(key):
        staging.drop(
            settings, KIND, staging.find(settings, KIND, actor.user_id or 0, name=key), actor.user_id or 0
        )
