"""Outbound webhooks for other systems (an OA's 统一待办, a data platform): the events, `emit`, and
the signed request each delivery is.

Use cases call ``emit(session, event, payload)`` at one clearly named point, in their own
transaction: a delivery is queued for every active subscription to that event whose organisation is
the event's (``payload["org_id"]``) or above it, and the background sender posts it later.  The
request body is ``{"id", "event", "occurred_at", "data"}`` (UTF-8 JSON) with the headers

- ``X-Eduplan-Event``: the event type; ``X-Eduplan-Delivery``: the delivery id (the same on retries,
  so a receiver can drop a repeat);
- ``X-Eduplan-Timestamp``: Unix seconds of this attempt;
- ``X-Eduplan-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed by the subscription's secret, of
  ``timestamp + "." + body`` (the README shows how to verify it).

Any 2xx answer is success; anything else, or no answer within the timeout, is retried with backoff.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan.db.orgs import Organisation
from eduplan.db.outbound import WebhookSubscription
from eduplan.db.work import WorkItem
from eduplan.services.clock import utcnow
from eduplan.services.notify.outbox import queue_many
from eduplan.services.notify.robots import DeliveryFailed, post_json

EVENTS = {
    "task.assigned": "任务分工（责任单位变更）",
    "report.submitted": "进展报告已报送",
    "report.accepted": "进展报告审核通过",
    "report.returned": "进展报告被退回",
    "urge.issued": "催办/督办下达",
    "rectification.raised": "整改事项下达",
    "deadline.passed": "任务逾期未完成",
}
"""Every event type a subscription can choose (`emit` refuses others, so a typo fails loudly)."""
SIGNATURE_HEADER = "X-Eduplan-Signature"
TIMESTAMP_HEADER = "X-Eduplan-Timestamp"


def emit(session: Session, event: str, payload: dict[str, Any], dedupe_key: str | None = None) -> int:
    """Queue `event` for its subscribers in the caller's transaction; how many were queued."""
    if event not in EVENTS:
        raise ValueError(f"unknown event {event}")
    subscriptions = session.scalars(
        select(WebhookSubscription).where(WebhookSubscription.active.is_(True))
    ).all()
    chosen = [s for s in subscriptions if event in (s.events or [])]
    if not chosen:
        return 0
    org_id = payload.get("org_id")
    path = session.scalar(select(Organisation.path).where(Organisation.id == org_id)) if org_id else None
    scoped = {s.org_id for s in chosen if s.org_id is not None}
    paths: dict[int, str] = {}
    if path and scoped:  # only the organisations subscriptions are limited to (a province has thousands)
        rows = session.execute(select(Organisation.id, Organisation.path).where(Organisation.id.in_(scoped)))
        paths = {i: p for i, p in rows.all()}
    destinations = []
    for sub in chosen:
        if sub.org_id is not None:
            scope = paths.get(sub.org_id)
            if path is None or scope is None or not (path == scope or path.startswith(scope + "/")):
                continue
        destinations.append(f"webhook:{sub.id}")
    body = {"event": event, "occurred_at": utcnow().isoformat(), "data": payload}
    queue_many(session, "webhook", destinations, event, body, org_id, dedupe_key)
    return len(destinations)


def emit_for_item(
    session: Session, event: str, item: WorkItem, payload: dict[str, Any], dedupe_key: str | None = None
) -> int:
    """`emit` an event on a task: its payload starts with where the task is (organisation, plan, item)."""
    where = {"org_id": item.org_id, "plan_id": item.plan_id, "item_id": item.id}
    return emit(session, event, where | payload, dedupe_key)


def emit_for_unit(
    session: Session, event: str, item: WorkItem, about: tuple[str, int], payload: dict[str, Any]
) -> int:
    """`emit_for_item` an event on what a unit of the task was given (``("urge", id)``), once for it;
    the payload starts by naming it."""
    name, row_id = about
    return emit_for_item(session, event, item, {f"{name}_id": row_id} | payload, f"{event}:{row_id}")


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """``sha256=<hex>`` of HMAC-SHA256(secret, timestamp + "." + body)."""
    mac = hmac.new(secret.encode("utf-8"), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def request_body(delivery_id: int, payload: dict[str, Any]) -> bytes:
    """The JSON body of a delivery (its id first, so receivers can drop repeats)."""
    return json.dumps({"id": delivery_id, **payload}, ensure_ascii=False, sort_keys=True).encode("utf-8")


def send(url: str, secret: str, delivery_id: int, event: str, payload: dict[str, Any]) -> None:
    """POST one signed event; `DeliveryFailed` unless the receiver answered 2xx."""
    body = request_body(delivery_id, payload)
    stamp = str(int(time.time()))
    headers = {
        "X-Eduplan-Event": event,
        "X-Eduplan-Delivery": str(delivery_id),
        TIMESTAMP_HEADER: stamp,
        SIGNATURE_HEADER: signature(secret, stamp, body),
    }
    status, _answer = post_json(url, body, headers)
    if not 200 <= status < 300:
        raise DeliveryFailed(f"HTTP {status}")
