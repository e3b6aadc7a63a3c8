"""Webhook subscriptions of other systems, managed by an administrator (page /admin/notify and
/api/v1/webhooks): a URL, the event types it wants (`webhooks.EVENTS`), optionally one
organisation (its events and those of the organisations below it; none: all), and the secret that
signs each delivery.

The secret is made here (or given, to match a receiver already configured) and shown once, in the
answer that creates or renews it; it is kept in clear because signing needs it, and never listed.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.outbound import WebhookSubscription
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.notify.settings_rows import delete_setting, list_settings, web_address
from eduplan.services.notify.webhooks import EVENTS
from eduplan.services.view_rows import from_row

MIN_SECRET = 16


@dataclass
class SubscriptionInput:
    name: str
    url: str
    events: list[str]
    org_id: int | None = None
    active: bool = True
    secret: str | None = None
    """None: keep the stored one (a new subscription gets a random one)."""


@dataclass(kw_only=True)
class SubscriptionView:
    id: int
    name: str
    url: str
    events: list[str]
    event_labels: list[str]
    org_id: int | None
    org_name: str | None
    active: bool
    updated_by: str
    updated_at: datetime


@dataclass
class SavedSubscription:
    """A saved subscription and, when it was made or renewed here, its secret (shown once)."""

    subscription: SubscriptionView
    secret: str | None = None


def _require_admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以管理 Webhook 订阅")


def _view(s: WebhookSubscription, org_name: str | None) -> SubscriptionView:
    events = [e for e in EVENTS if e in (s.events or [])]
    return from_row(
        SubscriptionView, s, events=events, event_labels=[EVENTS[e] for e in events], org_name=org_name
    )


def _check(given: SubscriptionInput) -> None:
    if not given.name.strip() or len(given.name) > 200:
        raise Invalid("请填写订阅名称（对接的系统名，不超过 200 字）", fields={"name": "必填"})
    if not web_address(given.url):
        raise Invalid("接收地址须为 http:// 或 https:// 开头的网址", fields={"url": "网址不正确"})
    unknown = [e for e in given.events if e not in EVENTS]
    if unknown or not given.events:
        choices = "、".join(EVENTS)
        raise Invalid(f"请从以下事件中选择至少一项：{choices}", fields={"events": "未选择或未知事件"})
    if given.secret is not None and len(given.secret.strip()) < MIN_SECRET:
        raise Invalid(f"签名密钥至少 {MIN_SECRET} 个字符；留空由系统生成", fields={"secret": "太短"})


def list_subscriptions(sessions: SessionFactory, actor: Principal) -> list[SubscriptionView]:
    _require_admin(actor)
    return list_settings(sessions, WebhookSubscription, _view, WebhookSubscription.id)


def save_subscription(
    sessions: SessionFactory,
    actor: Principal,
    given: SubscriptionInput,
    sub_id: int | None = None,
    renew_secret: bool = False,
) -> SavedSubscription:
    """Create a subscription (`sub_id` None) or change one; a new or renewed secret is returned."""
    _require_admin(actor)
    _check(given)
    with sessions.begin() as session:
        sub = session.get(WebhookSubscription, sub_id) if sub_id is not None else None
        if sub_id is not None and sub is None:
            raise NotFound(f"找不到 Webhook 订阅 {sub_id}")
        org = session.get(Organisation, given.org_id) if given.org_id is not None else None
        if given.org_id is not None and org is None:
            raise Invalid(f"找不到机构 {given.org_id}", fields={"org_id": "未知机构"})
        shown: str | None = None
        if sub is None:
            sub = WebhookSubscription()
            session.add(sub)
            renew_secret = given.secret is None
        if given.secret is not None:
            sub.secret = shown = given.secret.strip()
        elif renew_secret:
            sub.secret = shown = secrets.token_urlsafe(32)
        sub.name, sub.url, sub.org_id = given.name.strip(), given.url.strip(), given.org_id
        sub.events = [e for e in EVENTS if e in given.events]
        sub.active, sub.updated_by, sub.updated_at = given.active, actor.username, utcnow()
        session.flush()
        after = {"name": sub.name, "url": sub.url, "events": sub.events, "active": sub.active}
        record(session, actor, "save", "webhook", sub.id, None, sub.org_id, None, after)
        return SavedSubscription(_view(sub, org.name if org else None), shown)


def delete_subscription(sessions: SessionFactory, actor: Principal, sub_id: int) -> None:
    """Remove a subscription (its past deliveries stay in the log; queued ones fail)."""
    _require_admin(actor)
    delete_setting(sessions, actor, WebhookSubscription, sub_id, "webhook", f"找不到 Webhook 订阅 {sub_id}")
