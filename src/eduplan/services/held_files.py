"""Evidence files held between two posts of a form (暂存的佐证材料): when a row of 集中填报 cannot be
saved yet, the files chosen for it — already checked by content — are kept on the server as staged
files (`services.staging`, kind "held": database rows every server process sees) and the page names
them instead of asking for them again (a browser cannot put a file back into a file input).  The next
post of the same user brings the token back and the files are attached as if chosen again; they are
dropped once attached.

Limits: only the user who chose a file gets it back; files wait `MAX_AGE` seconds.
"""

from __future__ import annotations

from eduplan.config import Settings
from eduplan.services import staging

MAX_AGE = 24 * 3600
KIND = "held"


def hold(settings: Settings, user_id: int, name: str, data: bytes) -> str:
    """Keep one file for the user; the token that brings it back."""
    return staging.stage(settings, KIND, int(user_id), data=data, name=name, hours=MAX_AGE / 3600)


def held(settings: Settings, user_id: int, token: str) -> tuple[str, bytes] | None:
    """The file (name, bytes) the user holds under `token` (None: not theirs, or gone)."""
    found = staging.fetch(settings, KIND, token, int(user_id))
    return (found.name, found.data) if found is not None and found.data is not None else None


def drop(settings: Settings, user_id: int, token: str) -> None:
    """Forget a held file (it was attached)."""
    staging.drop(settings, KIND, token, int(user_id))
