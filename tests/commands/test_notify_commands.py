"""`eduplan deliver` sends the queued deliveries that are due, from cron, on the database of
`Settings` (the test's own, SQLite and PostgreSQL), to a real receiver started by the test."""

from __future__ import annotations

import json

from tests.services.receivers import receiver

from eduplan.commands.notify import deliver_command
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.notify import subscriptions


def test_deliver_sends_what_is_queued_and_says_so(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    with receiver(answers=[(500, b"down"), (204, b"")]) as hook:
        given = subscriptions.SubscriptionInput("OA", hook.url, ["urge.issued"])
        subscriptions.save_subscription(sessions, Principal.system(), given)
        loop.issue_urge(sessions, office, world.items["1"], "请答复", "2024-06-10")
        quick = Settings(**{**settings.model_dump(), "delivery_backoff_seconds": 0})
        lines: list[str] = []
        assert deliver_command(quick, lines.append) == 1
        assert lines[0] == "已送达：无；失败 1 次" and "HTTP 500" in lines[1]
        done: list[str] = []
        assert deliver_command(quick, done.append) == 0  # tried again: the receiver is back
        assert done == ["已送达：Webhook 1；失败 0 次"]
        assert len(hook.got) == 2 and json.loads(hook.got[-1].body)["event"] == "urge.issued"
        nothing: list[str] = []
        assert deliver_command(quick, nothing.append) == 0 and nothing == ["已送达：无；失败 0 次"]
