"""The audit log (操作留痕): every change recorded by the use case that makes it, in its own
transaction, with who, when, what and the record before and after.  Entries are never changed
(the database refuses); `changes_since` reads them back to tell a client who changed what.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.audit import AuditEntry
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.errors import FieldChange
from eduplan.services.view_rows import from_row

if TYPE_CHECKING:
    from eduplan.services.accounts.principal import Principal


@dataclass(kw_only=True)
class AuditView:
    """One entry as the API shows it."""

    id: int
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: int
    item_id: int | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None


def snapshot(row: object, *names: str) -> dict[str, Any]:
    """What the audit log keeps of a row (and a conflict reports on): the named attributes, days
    as ISO text (``2026-03-11``)."""
    values = {name: getattr(row, name) for name in names}
    return {name: v.isoformat() if isinstance(v, date) else v for name, v in values.items()}


def record(
    session: Session,
    actor: Principal,
    action: str,
    entity: str,
    entity_id: int,
    item_id: int | None,
    org_id: int | None,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Append one entry in the caller's transaction."""
    session.add(
        AuditEntry(
            at=utcnow(),
            user_id=actor.user_id,
            username=actor.username,
            action=action,
            entity=entity,
            entity_id=entity_id,
            item_id=item_id,
            org_id=org_id,
            before=before,
            after=after,
        )
    )


AuditRow = tuple[str, str, int, int | None, int | None, dict[str, Any] | None, dict[str, Any] | None]
"""(action, entity, entity id, item id, organisation id, before, after) of one entry."""


def record_many(session: Session, actor: Principal, rows: list[AuditRow]) -> None:
    """Append many entries in the caller's transaction with one bulk INSERT (a use case that writes
    thousands of records at once, such as a ledger import); the same entries as `record` makes."""
    if not rows:
        return
    at = utcnow()
    session.execute(
        insert(AuditEntry),
        [
            {
                "at": at,
                "user_id": actor.user_id,
                "username": actor.username,
                "action": action,
                "entity": entity,
                "entity_id": entity_id,
                "item_id": item_id,
                "org_id": org_id,
                "before": before,
                "after": after,
            }
            for action, entity, entity_id, item_id, org_id, before, after in rows
        ],
    )


def audit_view(e: AuditEntry) -> AuditView:
    return from_row(AuditView, e)


def entries_of_item(session: Session, item_id: int) -> list[AuditView]:
    """Every entry about a work item (its deadline, assignments, reports…), oldest first."""
    rows = session.scalars(select(AuditEntry).where(AuditEntry.item_id == item_id).order_by(AuditEntry.id))
    return [audit_view(e) for e in rows]


def people(session: Session, usernames: Iterable[str]) -> dict[str, str]:
    """The names people know each other by (display names, 姓名) of logins; a login without an
    account (the system, a deleted user) stands for itself."""
    wanted = {u for u in usernames if u}
    rows = session.execute(select(User.username, User.display_name).where(User.username.in_(wanted)))
    found = {login: name for login, name in rows}
    return {u: found.get(u) or u for u in wanted}


def _same(a: Any, b: Any) -> bool:
    """Equal for a person: no value and an empty one (no targets: {} or None) are the same."""
    return a == b or (a in (None, "", [], {}) and b in (None, "", [], {}))


def diff(before: dict[str, Any], after: dict[str, Any]) -> list[FieldChange]:
    """Fields whose values differ (the version counter left out)."""
    keys = [k for k in dict.fromkeys([*before, *after]) if k != "version"]
    return [
        FieldChange(k, before.get(k), after.get(k)) for k in keys if not _same(before.get(k), after.get(k))
    ]


def changes_since(
    session: Session, entity: str, entity_id: int, version: int | None, current: dict[str, Any]
) -> tuple[str, datetime | None, list[FieldChange]]:
    """Who last changed a record, when, and what differs between `version` and `current`.

    The record as it stood at `version` is the `after` of the entry that made that version (None
    when the client saw no record at all: everything is new to it).
    """
    entries = session.scalars(
        select(AuditEntry)
        .where(AuditEntry.entity == entity, AuditEntry.entity_id == entity_id)
        .order_by(AuditEntry.id)
    ).all()
    if not entries:
        return "", None, diff({}, current)
    last = entries[-1]
    seen: dict[str, Any] = {}
    if version is not None:
        for e in entries:
            if e.after and e.after.get("version") == version:
                seen = e.after
    who = people(session, [last.username]).get(last.username, last.username)
    return who, as_utc(last.at), diff(seen, current)
