"""The read sides of notices read once: the delivery log and a calendar feed take the same number
of SQL statements for a few rows as for many (no statement per row)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Engine
from tests.statements import statement_count

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.notify import calendar, delivery_log, robot_settings, subscriptions


def test_reads_do_not_grow_with_rows(
    world: World, sessions: SessionFactory, settings: Settings, engine: Engine
) -> None:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    jichu = Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )
    robot = robot_settings.RobotInput(world.org_id, "wecom", "市局群", "http://127.0.0.1:9/robot")
    robot_settings.save_robot(sessions, Principal.system(), robot)
    given = subscriptions.SubscriptionInput("OA", "http://127.0.0.1:9/hook", ["urge.issued"], world.org_id)
    subscriptions.save_subscription(sessions, Principal.system(), given)
    token = calendar.issue_feed(sessions, jichu)
    unit = world.units["基础教育科"]

    def urge(n: int) -> None:
        loop.issue_urge(sessions, office, world.items["1"], f"第{n}次", "2024-06-10", unit)

    def log() -> Any:
        return delivery_log.list_deliveries(sessions, office)

    def feed() -> Any:
        return calendar.render_feed(sessions, settings, token, date(2024, 5, 22))

    urge(0)
    few = (statement_count(engine, log), statement_count(engine, feed))
    for n in range(1, 15):
        urge(n)
    assert len(log().rows) == 15
    assert (statement_count(engine, log), statement_count(engine, feed)) == few
