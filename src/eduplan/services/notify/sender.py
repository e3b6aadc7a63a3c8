"""The background sender: takes due deliveries off the queue (`outbox`), sends each once at a time,
and records what happened — sent, or tried again later with backoff, or failed after
`delivery_max_attempts` tries.  A failure is never counted as sent.

Across processes: deliveries are claimed (up to `CLAIM` at once) by one conditional UPDATE … RETURNING
that sets a lease (``lease_until``) only on rows still pending and not leased; whoever's update matched
a row sends it.  On PostgreSQL
a concurrent claimer waits for the first to commit and then finds the lease taken; SQLite's write
lock orders them.  A process killed while sending leaves a lease that runs out, and the delivery is
tried again: at least once, so webhook receivers should drop a repeated ``X-Eduplan-Delivery``.

Backoff: after try *n* fails, the next waits ``delivery_backoff_seconds × 2^(n−1)``.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import or_, select, update

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.outbound import Delivery, OrgRobot, WebhookSubscription
from eduplan.services.clock import utcnow
from eduplan.services.notify import robots, webhooks
from eduplan.services.notify.channels import email_enabled, send_email
from eduplan.services.notify.robots import DeliveryFailed
from eduplan.services.periodic import Periodic

log = logging.getLogger("eduplan.sender")
CLAIM = 20
"""Deliveries leased at once (one statement); each result is still recorded as soon as it is known."""
LEASE = timedelta(seconds=CLAIM * robots.TIMEOUT + 120)
"""Long enough for a whole claim to time out one by one; a sender killed meanwhile leaves a lease
that runs out, and the deliveries are tried again."""


class Skipped(Exception):
    """Nothing to try: the channel is not configured here (e-mail without an SMTP server)."""


BATCH = 200


@dataclass
class SendReport:
    """What one pass sent, per channel, and the failures of this pass (tries that will be retried
    or that failed for good)."""

    sent: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)

    def count(self, channel: str) -> int:
        return self.sent.get(channel, 0)


def link_of(settings: Settings, path: str | None) -> str | None:
    """The absolute address of a page of eduplan."""
    return settings.base_url.rstrip("/") + path if path else None


@dataclass(frozen=True)
class _Job:
    """A claimed delivery and, for a robot or subscription, its (kind, url, secret) — None when it
    was deleted or switched off since the delivery was queued."""

    id: int
    channel: str
    destination: str
    event: str
    payload: dict[str, Any]
    attempts: int
    target: tuple[str, str, str | None] | None


def _transmit(settings: Settings, d: _Job) -> None:
    payload = d.payload
    kind, _, ref = d.destination.partition(":")
    link = link_of(settings, payload.get("path"))
    if d.channel == "email":
        if not email_enabled(settings):
            raise Skipped("未配置邮件服务器（EDUPLAN_SMTP_HOST），未发送")
        body = payload.get("body", "") + (f"\n\n查看详情：{link}" if link else "")
        try:
            send_email(settings, d.destination, payload.get("subject", "eduplan 提醒"), body)
        except (OSError, smtplib.SMTPException) as exc:  # refused, timed out, recipient refused
            raise DeliveryFailed(f"邮件发送失败：{exc}") from None
    elif d.channel == "robot" and kind == "url":  # the global EDUPLAN_WEBHOOK_URLS list
        robots.send(robots.guess_kind(ref), ref, None, payload.get("text", ""), link)
    elif d.channel == "robot":
        if d.target is None:
            raise DeliveryFailed("机器人已删除或停用")
        robots.send(d.target[0], d.target[1], d.target[2], payload.get("text", ""), link)
    elif d.channel == "webhook":
        if d.target is None:
            raise DeliveryFailed("订阅已删除或停用")
        webhooks.send(d.target[1], d.target[2] or "", d.id, d.event, payload)
    else:
        raise DeliveryFailed(f"未知渠道 {d.channel}")


def _refs(rows: list[Delivery], channel: str, kind: str) -> set[int]:
    return {
        int(r.destination.partition(":")[2])
        for r in rows
        if r.channel == channel and r.destination.startswith(kind + ":")
    }


def _claim(sessions: SessionFactory, ids: list[int], now: datetime) -> list[_Job]:
    """Lease those of `ids` still pending and unleased (in one statement), with their targets."""
    with sessions.begin() as session:
        claimed = (
            session.execute(
                update(Delivery)
                .where(
                    Delivery.id.in_(ids),
                    Delivery.state == "pending",
                    or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),
                )
                .values(lease_until=now + LEASE)
                .returning(Delivery.id)
                .execution_options(synchronize_session=False)
            )
            .scalars()
            .all()
        )
        if not claimed:
            return []
        rows = list(session.scalars(select(Delivery).where(Delivery.id.in_(claimed)).order_by(Delivery.id)))
        targets: dict[str, tuple[str, str, str | None]] = {}
        robot_ids, sub_ids = _refs(rows, "robot", "robot"), _refs(rows, "webhook", "webhook")
        if robot_ids:
            found = session.scalars(
                select(OrgRobot).where(OrgRobot.id.in_(robot_ids), OrgRobot.active.is_(True))
            )
            targets |= {f"robot:{r.id}": (r.kind, r.url, r.secret) for r in found}
        if sub_ids:
            subs = session.scalars(
                select(WebhookSubscription).where(
                    WebhookSubscription.id.in_(sub_ids), WebhookSubscription.active.is_(True)
                )
            )
            targets |= {f"webhook:{s.id}": ("webhook", s.url, s.secret) for s in subs}
        return [
            _Job(
                r.id,
                r.channel,
                r.destination,
                r.event,
                dict(r.payload or {}),
                r.attempts,
                targets.get(r.destination),
            )
            for r in rows
        ]


def _record(
    sessions: SessionFactory,
    settings: Settings,
    d: _Job,
    error: str | None,
    now: datetime,
    skipped: bool = False,
) -> None:
    tries = d.attempts + 1
    values: dict[str, Any] = {"attempts": tries, "lease_until": None, "last_error": error}
    if skipped:
        values |= {"state": "skipped", "attempts": d.attempts, "finished_at": now}
    elif error is None:
        values |= {"state": "sent", "finished_at": now}
    elif tries >= settings.delivery_max_attempts:
        values |= {"state": "failed", "finished_at": now}
    else:
        wait = settings.delivery_backoff_seconds * 2 ** (tries - 1)
        values["next_attempt_at"] = now + timedelta(seconds=wait)
    with sessions.begin() as session:
        session.execute(update(Delivery).where(Delivery.id == d.id).values(**values))


def send_due(sessions: SessionFactory, settings: Settings, now: datetime | None = None) -> SendReport:
    """Send every delivery that is due at `now` (default: now) and not claimed by another sender."""
    now = now or utcnow()
    report = SendReport()
    with sessions() as session:
        due = session.scalars(
            select(Delivery.id)
            .where(
                Delivery.state == "pending",
                Delivery.next_attempt_at <= now,
                or_(Delivery.lease_until.is_(None), Delivery.lease_until < now),
            )
            .order_by(Delivery.id)
            .limit(BATCH)
        ).all()
    for start in range(0, len(due), CLAIM):
        for d in _claim(sessions, list(due[start : start + CLAIM]), now):
            skipped = False
            try:
                _transmit(settings, d)
                error = None
                report.sent[d.channel] = report.sent.get(d.channel, 0) + 1
            except Skipped as exc:
                error, skipped = str(exc), True
            except DeliveryFailed as exc:
                error = str(exc)[:2000]
                report.errors.append(f"{d.channel} {d.destination}: {error}")
            _record(sessions, settings, d, error, now, skipped)
    return report


class DeliverySender(Periodic):
    """Runs `send_due` every `settings.delivery_poll_seconds` in a daemon thread until stopped."""

    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        super().__init__("eduplan-sender", settings.delivery_poll_seconds, join_seconds=30)
        self.sessions, self.settings = sessions, settings

    def tick(self) -> None:
        try:
            report = send_due(self.sessions, self.settings)
            if report.sent or report.errors:
                log.info("deliveries sent %s, failed tries %d", report.sent, len(report.errors))
        except Exception:  # the database may be away for a moment; the next pass tries again
            log.exception("delivery pass failed")
