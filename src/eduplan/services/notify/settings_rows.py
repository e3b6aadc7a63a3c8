"""What the administrator's notification settings (group robots, webhook subscriptions) do alike:
their address's check, their list with each one's organisation, and removing one, audited under its
kind, with its past deliveries left in the log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.outbound import OrgRobot, WebhookSubscription
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.errors import NotFound

Setting = TypeVar("Setting", OrgRobot, WebhookSubscription)
View = TypeVar("View")


def web_address(url: str) -> bool:
    """Whether deliveries can be sent to `url`: an http(s) address of a host, up to 1000 characters."""
    parts = urlsplit(url.strip())
    return parts.scheme in ("http", "https") and bool(parts.netloc) and len(url) <= 1000


def list_settings(
    sessions: SessionFactory,
    model: type[Setting],
    view: Callable[[Setting, str | None], View],
    *order: InstrumentedAttribute[Any],
) -> list[View]:
    """Every `model` row with its organisation's name (None: not limited to one), in `order`."""
    with sessions() as session:
        rows = session.execute(
            select(model, Organisation.name)
            .outerjoin(Organisation, Organisation.id == model.org_id)
            .order_by(*order)
        ).all()
        return [view(row, name) for row, name in rows]


def delete_setting(
    sessions: SessionFactory,
    actor: Principal,
    model: type[Setting],
    row_id: int,
    kind: str,
    missing: str,
) -> None:
    """Remove the `model` row `row_id` (NotFound with `missing` when there is none), audited as `kind`."""
    with sessions.begin() as session:
        row = session.get(model, row_id)
        if row is None:
            raise NotFound(missing)
        record(session, actor, "delete", kind, row.id, None, row.org_id, {"name": row.name}, None)
        session.delete(row)
