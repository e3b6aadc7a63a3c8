"""The in-app inbox (站内消息): every notice lands here first, once per user and key.

`deliver` inserts with ON CONFLICT DO NOTHING on (user, key) and returns only the users who got a
new notice, so that e-mail follows the inbox: a reminder run twice (or by two processes) notifies
nobody twice.  The e-mail of each newly notified user who has an address is queued in the same
transaction (`outbox`), with the page the notice is about, and sent by the background sender.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.notifications import Notification
from eduplan.services.accounts.principal import Principal
from eduplan.services.clock import utcnow
from eduplan.services.errors import NotFound
from eduplan.services.notify.outbox import insert_once, queue
from eduplan.services.view_rows import from_row


@dataclass(kw_only=True)
class NotificationView:
    id: int
    kind: str
    title: str
    body: str
    item_id: int | None
    created_at: datetime
    read: bool


@dataclass(frozen=True)
class Notice:
    """A notice as each user's inbox keeps it (once per `key`) and its e-mail says it."""

    key: str
    kind: str
    title: str
    body: str
    item_id: int | None = None
    path: str | None = None
    """The page it is about (default: the item's)."""


def deliver(session: Session, users: list[int], notice: Notice) -> list[int]:
    """Put `notice` in each user's inbox unless it is there already, and queue its e-mail to those
    with an address; the users newly notified."""
    if not users:
        return []
    key, title = notice.key[:200], notice.title[:300]
    rows = [
        {
            "user_id": u,
            "key": key,
            "kind": notice.kind,
            "title": title,
            "body": notice.body,
            "item_id": notice.item_id,
            "created_at": utcnow(),
            "read_at": None,
        }
        for u in dict.fromkeys(users)
    ]
    statement = insert_once(session, Notification, rows, ["user_id", "key"]).returning(Notification.user_id)
    new = list(session.execute(statement).scalars())
    if new:
        page = notice.path or (f"/items/{notice.item_id}" if notice.item_id is not None else "/")
        addresses = session.execute(
            select(User.email, User.org_id).where(
                User.id.in_(new), User.email.is_not(None), User.active.is_(True)
            )
        ).all()
        for address, org_id in addresses:
            if address:
                message = {"subject": title, "body": notice.body, "path": page}
                queue(session, "email", address, notice.kind, message, org_id, key)
    return new


def reporters_of(session: Session, unit_ids: list[int]) -> list[int]:
    """The active reporters of units (their user ids)."""
    return list(
        session.scalars(
            select(User.id).where(User.unit_id.in_(unit_ids), User.role == "reporter", User.active.is_(True))
        )
    )


def staff_of(session: Session, org_id: int) -> list[int]:
    """The active office staff and leaders of an organisation (their user ids)."""
    return list(
        session.scalars(
            select(User.id).where(
                User.org_id == org_id, User.role.in_(("office", "leader")), User.active.is_(True)
            )
        )
    )


def list_inbox(
    sessions: SessionFactory, actor: Principal, unread_only: bool = False, limit: int = 50
) -> list[NotificationView]:
    """The actor's notices, newest first."""
    query = select(Notification).where(Notification.user_id == actor.user_id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    with sessions() as session:
        rows = session.scalars(query.order_by(Notification.id.desc()).limit(limit))
        return [from_row(NotificationView, n, read=n.read_at is not None) for n in rows]


def mark_read(sessions: SessionFactory, actor: Principal, notification_id: int | None = None) -> int:
    """Mark one notice (or all) of the actor read; how many changed."""
    with sessions.begin() as session:
        statement = update(Notification).where(
            Notification.user_id == actor.user_id, Notification.read_at.is_(None)
        )
        if notification_id is not None:
            found = session.get(Notification, notification_id)
            if found is None or found.user_id != actor.user_id:
                raise NotFound(f"找不到消息 {notification_id}")
            statement = statement.where(Notification.id == notification_id)
        result: Any = session.execute(statement.values(read_at=utcnow()))
        return int(result.rowcount or 0)
