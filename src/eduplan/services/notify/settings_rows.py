"""What the administrator's notification settings (group robots, webhook subscriptions) do alike:
removing one, audited under its kind, with its past deliveries left in the log."""

from __future__ import annotations

from typing import TypeVar

from eduplan.db.engine import SessionFactory
from eduplan.db.outbound import OrgRobot, WebhookSubscription
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.errors import NotFound

Setting = TypeVar("Setting", OrgRobot, WebhookSubscription)


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
