"""The delivery queue (outbox): robot messages, webhook events and e-mails are written here in the
transaction of the change they report, and sent later by `sender` — so a slow or broken receiver
never slows down or breaks the use case, and a rolled-back change sends nothing.

`queue` inserts with ON CONFLICT DO NOTHING on (channel, destination, dedupe_key): the same notice
queued twice for one destination (a daily job, a retried request) is one delivery.  A row without a
`dedupe_key` is never merged (NULLs are distinct in the unique constraint).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from eduplan.db.outbound import Delivery
from eduplan.services.clock import utcnow

CHANNELS = {"robot": "群机器人", "webhook": "Webhook", "email": "邮件"}
STATES = {"pending": "待发送", "sent": "已送达", "failed": "失败", "skipped": "未发送（未配置）"}


def queue(
    session: Session,
    channel: str,
    destination: str,
    event: str,
    payload: dict[str, Any],
    org_id: int | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Queue one delivery in the caller's transaction (once per destination and `dedupe_key`)."""
    queue_many(session, channel, [destination], event, payload, org_id, dedupe_key)


def queue_many(
    session: Session,
    channel: str,
    destinations: list[str],
    event: str,
    payload: dict[str, Any],
    org_id: int | None = None,
    dedupe_key: str | None = None,
) -> None:
    """Queue one message to several destinations in one statement."""
    if not destinations:
        return
    now = utcnow()
    rows = [
        {
            "channel": channel,
            "destination": d[:1000],
            "org_id": org_id,
            "event": event[:60],
            "payload": payload,
            "dedupe_key": dedupe_key[:200] if dedupe_key else None,
            "state": "pending",
            "attempts": 0,
            "next_attempt_at": now,
            "lease_until": None,
            "last_error": None,
            "created_at": now,
            "finished_at": None,
        }
        for d in destinations
    ]
    session.execute(insert_once(session, Delivery, rows, ["channel", "destination", "dedupe_key"]))


def insert_once(session: Session, model: type[Any], rows: list[dict[str, Any]], keys: list[str]) -> Any:
    """``INSERT … ON CONFLICT (keys) DO NOTHING`` of `rows` in this session's database (PostgreSQL or
    SQLite): a row already there by its `keys` stays as it is."""
    insert: Any = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    return insert(model).values(rows).on_conflict_do_nothing(index_elements=keys)
