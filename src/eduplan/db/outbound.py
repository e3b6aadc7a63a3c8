"""Notices that leave eduplan (issue 17): group robots per organisation, webhook subscriptions of
other systems, the delivery queue (outbox) with its log, and personal calendar feeds.

`Delivery` is both the queue and the log: a row is written in the transaction of the change it
reports (so a rolled-back change sends nothing) and a background sender moves it from ``pending`` to
``sent`` or, after its last attempt, ``failed``.  `dedupe_key` makes an event queued twice for one
destination (a daily job rerun) one delivery.  Robot and subscription secrets are stored as given
(they must be used to sign); calendar tokens only as their sha256.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base


class OrgRobot(Base):
    """A DingTalk or WeCom group robot (群机器人) of one organisation: gets its daily digests."""

    __tablename__ = "org_robots"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str | None] = mapped_column(String(200))
    active: Mapped[bool]
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]


class WebhookSubscription(Base):
    """Another system's endpoint that gets the chosen event types as signed JSON."""

    __tablename__ = "webhook_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(1000))
    secret: Mapped[str] = mapped_column(String(200))
    events: Mapped[list[str]] = mapped_column(JSON)
    active: Mapped[bool]
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]


class Delivery(Base):
    """One message to one destination: queued, tried (with backoff), sent or failed."""

    __tablename__ = "deliveries"
    __table_args__ = (UniqueConstraint("channel", "destination", "dedupe_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(20))
    """``robot`` (DingTalk/WeCom), ``webhook`` (a subscription) or ``email``."""
    destination: Mapped[str] = mapped_column(String(1000))
    """``robot:<id>``, ``url:<legacy webhook url>``, ``webhook:<id>`` or an e-mail address."""
    org_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"), index=True
    )
    event: Mapped[str] = mapped_column(String(60))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    dedupe_key: Mapped[str | None] = mapped_column(String(200))
    state: Mapped[str] = mapped_column(String(20), index=True)
    attempts: Mapped[int]
    next_attempt_at: Mapped[datetime]
    lease_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]


class CalendarFeed(Base):
    """A user's secret calendar URL: only the sha256 of its token is kept; deleting it revokes."""

    __tablename__ = "calendar_feeds"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime]
