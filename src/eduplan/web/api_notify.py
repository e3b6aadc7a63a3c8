"""Notices that reach people, under ``/api/v1``: group robots per organisation (``/robots``), webhook
subscriptions of other systems (``/webhooks``), the delivery log (``/deliveries``) and one's
personal calendar feed (``/auth/calendar``).  Thin routes over `services.notify`; the secrets of a
new webhook subscription and of a calendar feed are in the answer that makes them, only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from eduplan.services.notify import calendar, delivery_log, robot_settings, subscriptions
from eduplan.services.notify.webhooks import EVENTS
from eduplan.web.deps import CurrentUser, Id, Limit, Offset, SessionsDep, SettingsDep
from eduplan.web.problems import PROBLEM_RESPONSES

router = APIRouter(prefix="/api/v1", tags=["notify"], responses={401: PROBLEM_RESPONSES[401]})
ERRORS: dict[int | str, dict[str, Any]] = {
    403: PROBLEM_RESPONSES[403],
    404: PROBLEM_RESPONSES[404],
    422: PROBLEM_RESPONSES[422],
}


class RobotIn(BaseModel):
    org_id: int = Field(
        ge=0, le=2**31 - 1, description="The organisation (city, district…) whose digests it gets."
    )
    kind: str = Field(description="dingtalk or wecom")
    name: Annotated[str, Field(min_length=1, max_length=200)]
    url: Annotated[str, Field(min_length=1, max_length=1000, description="The robot's webhook URL.")]
    secret: Annotated[
        str | None,
        Field(max_length=200, description="DingTalk 加签 secret (SEC…); on a change, null keeps it."),
    ] = None
    active: bool = True


class SubscriptionIn(BaseModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    url: Annotated[str, Field(min_length=1, max_length=1000)]
    events: list[str] = Field(description="Event types, see GET /api/v1/webhooks/events.")
    org_id: int | None = Field(
        default=None, ge=0, le=2**31 - 1, description="Only this organisation and below."
    )
    active: bool = True
    secret: Annotated[
        str | None,
        Field(max_length=200, description="Signing secret (≥16 chars); null: made for you / kept."),
    ] = None
    renew_secret: bool = Field(default=False, description="On a change: make a new secret and return it.")


@dataclass
class EventType:
    event: str
    label: str


@dataclass
class CalendarOut:
    """The feed's secret URL (shown once; subscribe to it from a calendar app)."""

    url: str


def _robot(body: RobotIn) -> robot_settings.RobotInput:
    return robot_settings.RobotInput(body.org_id, body.kind, body.name, body.url, body.secret, body.active)


def _subscription(body: SubscriptionIn) -> subscriptions.SubscriptionInput:
    return subscriptions.SubscriptionInput(
        body.name, body.url, body.events, body.org_id, body.active, body.secret
    )


@router.get("/robots", responses=ERRORS)
def list_robots(who: CurrentUser, sessions: SessionsDep) -> list[robot_settings.RobotView]:
    """Group robots of every organisation (administrators)."""
    return robot_settings.list_robots(sessions, who)


@router.post("/robots", status_code=201, responses=ERRORS)
def add_robot(body: RobotIn, who: CurrentUser, sessions: SessionsDep) -> robot_settings.RobotView:
    """Add a DingTalk (signed: 加签 secret required) or WeCom robot to an organisation."""
    return robot_settings.save_robot(sessions, who, _robot(body))


@router.put("/robots/{robot_id}", responses=ERRORS)
def change_robot(
    robot_id: Id, body: RobotIn, who: CurrentUser, sessions: SessionsDep
) -> robot_settings.RobotView:
    """Change a robot (its secret is kept when `secret` is null)."""
    return robot_settings.save_robot(sessions, who, _robot(body), robot_id)


@router.delete("/robots/{robot_id}", status_code=204, responses=ERRORS)
def delete_robot(robot_id: Id, who: CurrentUser, sessions: SessionsDep) -> Response:
    """Remove a robot."""
    robot_settings.delete_robot(sessions, who, robot_id)
    return Response(status_code=204)


@router.get("/webhooks/events")
def event_types(_who: CurrentUser) -> list[EventType]:
    """The event types a subscription can choose."""
    return [EventType(e, label) for e, label in EVENTS.items()]


@router.get("/webhooks", responses=ERRORS)
def list_webhooks(who: CurrentUser, sessions: SessionsDep) -> list[subscriptions.SubscriptionView]:
    """Webhook subscriptions (administrators; secrets are never listed)."""
    return subscriptions.list_subscriptions(sessions, who)


@router.post("/webhooks", status_code=201, responses=ERRORS)
def add_webhook(
    body: SubscriptionIn, who: CurrentUser, sessions: SessionsDep
) -> subscriptions.SavedSubscription:
    """Subscribe a URL to event types; the signing secret is in this answer only."""
    return subscriptions.save_subscription(sessions, who, _subscription(body))


@router.put("/webhooks/{sub_id}", responses=ERRORS)
def change_webhook(
    sub_id: Id, body: SubscriptionIn, who: CurrentUser, sessions: SessionsDep
) -> subscriptions.SavedSubscription:
    """Change a subscription (`renew_secret`: a new secret, returned once)."""
    return subscriptions.save_subscription(sessions, who, _subscription(body), sub_id, body.renew_secret)


@router.delete("/webhooks/{sub_id}", status_code=204, responses=ERRORS)
def delete_webhook(sub_id: Id, who: CurrentUser, sessions: SessionsDep) -> Response:
    """Remove a subscription."""
    subscriptions.delete_subscription(sessions, who, sub_id)
    return Response(status_code=204)


@router.get("/deliveries", responses=ERRORS)
def list_deliveries(
    who: CurrentUser,
    sessions: SessionsDep,
    state: Annotated[str | None, Query(max_length=20, description="pending, sent, failed or skipped")] = None,
    channel: Annotated[str | None, Query(max_length=20, description="robot, webhook or email")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> delivery_log.DeliveryLog:
    """The delivery log (the same data as the page /deliveries)."""
    return delivery_log.list_deliveries(sessions, who, state, channel, limit, offset)


@router.post("/deliveries/{delivery_id}/retry", status_code=204, responses=ERRORS)
def retry_delivery(delivery_id: Id, who: CurrentUser, sessions: SessionsDep) -> Response:
    """Queue a failed delivery again."""
    delivery_log.retry(sessions, who, delivery_id)
    return Response(status_code=204)


@router.post("/auth/calendar", status_code=201)
def issue_calendar(who: CurrentUser, sessions: SessionsDep, settings: SettingsDep) -> CalendarOut:
    """A new secret calendar URL for oneself (the old one stops working)."""
    token = calendar.issue_feed(sessions, who)
    return CalendarOut(settings.base_url.rstrip("/") + calendar.feed_path(token))


@router.delete("/auth/calendar", status_code=204)
def revoke_calendar(who: CurrentUser, sessions: SessionsDep) -> Response:
    """Stop one's calendar feed (its URL answers 404 from now on)."""
    calendar.revoke_feed(sessions, who)
    return Response(status_code=204)
