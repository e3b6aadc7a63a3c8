"""Optimistic locking: a client saves with the `version` it read; when the record has moved on, the
save is refused with `StaleVersion`, telling who changed what since (from the audit log), and the
client's own input is untouched, so nothing is lost on either side.

The check happens twice: before writing (a friendly answer), and in the UPDATE itself (the mapper's
``version_id_col`` adds ``WHERE version = …``), so that two saves racing past the first check
still cannot both win: the loser's flush raises `StaleDataError`, turned into the same answer.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from eduplan.choices import ENTITY_LABELS, field_label
from eduplan.db.engine import SessionFactory
from eduplan.services.audit import changes_since
from eduplan.services.errors import StaleDetails, StaleVersion


def stale(
    session: Session, entity: str, entity_id: int, your_version: int | None, current: dict[str, Any]
) -> StaleVersion:
    """The error for a save based on `your_version` of a record now at ``current["version"]``."""
    who, when, changes = changes_since(session, entity, entity_id, your_version, current)
    fields = "、".join(dict.fromkeys(field_label(c.field) for c in changes)) or "内容"
    label = ENTITY_LABELS.get(entity, entity)
    message = f"{label}已被 {who or '他人'} 修改（{fields}），请刷新后合并再保存"
    details = StaleDetails(
        entity, entity_id, your_version, int(current["version"]), who, when, changes, current
    )
    return StaleVersion(message, details)


def check_version(
    session: Session, entity: str, entity_id: int, your_version: int | None, current: dict[str, Any]
) -> None:
    """Raise `StaleVersion` unless the client saw the current version."""
    if your_version != current["version"]:
        raise stale(session, entity, entity_id, your_version, current)


def stale_after_race(
    sessions: SessionFactory,
    entity: str,
    entity_id: int,
    your_version: int | None,
    snapshot: Callable[[Session], dict[str, Any]],
) -> StaleVersion:
    """The error for a save that lost a race (read the winner's state in a new transaction)."""
    with sessions() as session:
        return stale(session, entity, entity_id, your_version, snapshot(session))
