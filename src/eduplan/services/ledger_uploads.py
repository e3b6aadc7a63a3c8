"""A 台账 uploaded on the web, kept between its preview and its confirmation: a staged file
(`services.staging`, kind "ledger": a database row every server process sees) holding the bytes and
the options chosen so far (organisation, schedule, column roles).  It answers its uploader only
(`NotFound` for anyone else), so a preview is private as an import draft is; uploads expire after
`KEEP_HOURS`; a confirmed or discarded upload is removed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

from eduplan.config import Settings
from eduplan.services import staging
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import NotFound
from eduplan.services.ledger_import import LedgerOptions

KEEP_HOURS = 24
KIND = "ledger"
GONE = "找不到该台账上传（可能已过期），请重新上传"


@dataclass
class LedgerUpload:
    """One kept upload: its token, owner, file name and the options chosen for it."""

    token: str
    owner: str
    filename: str
    options: LedgerOptions


def keep_upload(
    settings: Settings, actor: Principal, data: bytes, filename: str, options: LedgerOptions
) -> LedgerUpload:
    """Keep an uploaded ledger for its preview; returns it with its token."""
    meta = {"owner": actor.username, "options": asdict(options)}
    token = staging.stage(
        settings, KIND, actor.user_id, data=data, name=filename, meta=meta, hours=KEEP_HOURS
    )
    return LedgerUpload(token, actor.username, filename, options)


def save_options(settings: Settings, actor: Principal, upload: LedgerUpload) -> None:
    """Write the options chosen for an upload (the preview's column roles, the schedule)."""
    meta = {"owner": actor.username, "options": asdict(upload.options)}
    if not staging.update_meta(settings, KIND, upload.token, actor.user_id, meta):
        raise NotFound(GONE)


def load_upload(settings: Settings, actor: Principal, token: str) -> tuple[LedgerUpload, bytes]:
    """An upload of `actor` and its bytes; `NotFound` for a missing, expired or another's upload."""
    found = staging.fetch(settings, KIND, token, actor.user_id)
    if found is None or found.data is None or found.meta.get("owner") != actor.username:
        raise NotFound(GONE)
    options = LedgerOptions(**found.meta["options"])
    return LedgerUpload(found.token, actor.username, found.name, options), found.data


def discard_upload(settings: Settings, actor: Principal, token: str) -> None:
    """Remove an upload of `actor` (after its import, or when given up)."""
    load_upload(settings, actor, token)
    staging.drop(settings, KIND, token, actor.user_id)
