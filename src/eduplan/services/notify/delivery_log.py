"""The delivery log (投递记录) the office reads: what was sent to which robot, webhook or mailbox,
when, after how many tries, and why a failure failed — newest first, filtered by state and channel.

Administrators see every delivery; office staff and leaders those of their organisation and the
organisations below it.  A failed delivery can be put back in the queue (`retry`) once the
receiver is fixed.  Read side only, but for `retry`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, or_, select, update

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.outbound import Delivery, OrgRobot, WebhookSubscription
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import as_utc, utcnow
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.notify.outbox import CHANNELS, STATES
from eduplan.services.notify.robot_settings import mask
from eduplan.services.notify.webhooks import EVENTS

EVENT_LABELS = {
    **EVENTS,
    "digest": "逾期汇总",
    "due": "报送提醒",
    "deadline": "时限提醒",
    "urge": "催办/督办",
    "returned": "报告退回",
    "instruction": "领导批示",
    "sign_overdue": "签收逾期提醒",
    "life_office": "待处理提醒",
}


@dataclass(kw_only=True)
class DeliveryRow:
    id: int
    created_at: datetime
    channel: str
    channel_label: str
    destination: str
    event: str
    event_label: str
    state: str
    state_label: str
    attempts: int
    next_attempt_at: datetime | None
    finished_at: datetime | None
    last_error: str | None
    org_name: str | None


@dataclass
class DeliveryLog:
    """One page of the log and its counts by state (within the filter's channel)."""

    rows: list[DeliveryRow]
    counts: dict[str, int]
    state: str | None
    channel: str | None
    states: dict[str, str] = field(default_factory=lambda: dict(STATES))
    channels: dict[str, str] = field(default_factory=lambda: dict(CHANNELS))
    can_retry: bool = False


def _require_reader(actor: Principal) -> None:
    if not (actor.is_admin or actor.role in ("office", "leader")):
        raise Forbidden("投递记录只对办公室/督查人员、领导和管理员开放")


def _scope(actor: Principal) -> Select[Any] | None:
    """The organisations whose deliveries the actor sees, as a subquery (None: all)."""
    if actor.is_admin:
        return None
    path = actor.org_path or ""
    return select(Organisation.id).where(
        or_(Organisation.path == path, Organisation.path.startswith(path + "/"))
    )


def _destination(d: Delivery, robots: dict[int, str], subs: dict[int, str]) -> str:
    kind, _, ref = d.destination.partition(":")
    if d.channel == "robot" and kind == "robot":
        return robots.get(int(ref), f"机器人 {ref}（已删除）")
    if d.channel == "robot":
        return f"全局机器人 {mask(ref)}"
    if d.channel == "webhook":
        return subs.get(int(ref), f"订阅 {ref}（已删除）")
    return d.destination


def list_deliveries(
    sessions: SessionFactory,
    actor: Principal,
    state: str | None = None,
    channel: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> DeliveryLog:
    """Deliveries in the actor's scope, newest first."""
    _require_reader(actor)
    if state is not None and state not in STATES:
        raise Invalid(f"状态须为 {'、'.join(STATES)} 之一")
    if channel is not None and channel not in CHANNELS:
        raise Invalid(f"渠道须为 {'、'.join(CHANNELS)} 之一")
    with sessions() as session:
        orgs = _scope(actor)
        base = select(Delivery)
        if orgs is not None:
            base = base.where(Delivery.org_id.in_(orgs))
        if channel is not None:
            base = base.where(Delivery.channel == channel)
        filtered = base.subquery()
        counts_query = select(filtered.c.state, func.count()).group_by(filtered.c.state)
        counts = {s: 0 for s in STATES} | {s: n for s, n in session.execute(counts_query).all()}
        if state is not None:
            base = base.where(Delivery.state == state)
        rows = session.scalars(base.order_by(Delivery.id.desc()).limit(limit).offset(offset)).all()
        robots = {i: n for i, n in session.execute(select(OrgRobot.id, OrgRobot.name)).all()}
        subs = {
            i: n for i, n in session.execute(select(WebhookSubscription.id, WebhookSubscription.name)).all()
        }
        shown = {d.org_id for d in rows if d.org_id is not None}
        names = {
            i: n
            for i, n in session.execute(
                select(Organisation.id, Organisation.name).where(Organisation.id.in_(shown))
            )
        }
        return DeliveryLog(
            [
                DeliveryRow(
                    id=d.id,
                    created_at=as_utc(d.created_at),
                    channel=d.channel,
                    channel_label=CHANNELS.get(d.channel, d.channel),
                    destination=_destination(d, robots, subs),
                    event=d.event,
                    event_label=EVENT_LABELS.get(d.event, d.event),
                    state=d.state,
                    state_label=STATES.get(d.state, d.state),
                    attempts=d.attempts,
                    next_attempt_at=as_utc(d.next_attempt_at) if d.state == "pending" else None,
                    finished_at=as_utc(d.finished_at) if d.finished_at else None,
                    last_error=d.last_error,
                    org_name=names.get(d.org_id) if d.org_id is not None else None,
                )
                for d in rows
            ],
            counts,
            state,
            channel,
            can_retry=actor.manages,
        )


def retry(sessions: SessionFactory, actor: Principal, delivery_id: int) -> None:
    """Queue a failed delivery again, with a fresh count of tries (office staff, administrators)."""
    actor.require_manager()
    with sessions.begin() as session:
        d = session.get(Delivery, delivery_id)
        path = session.scalar(select(Organisation.path).where(Organisation.id == d.org_id)) if d else None
        if d is None or not (actor.is_admin or (path is not None and actor.sees_org(path))):
            raise NotFound(f"找不到投递记录 {delivery_id}")
        if d.state != "failed":
            raise Invalid("只有失败的投递可以重新发送")
        session.execute(
            update(Delivery)
            .where(Delivery.id == d.id)
            .values(state="pending", attempts=0, next_attempt_at=utcnow(), finished_at=None, lease_until=None)
        )
        record(
            session,
            actor,
            "retry",
            "delivery",
            d.id,
            None,
            d.org_id,
            {"state": "failed"},
            {"state": "pending"},
        )
