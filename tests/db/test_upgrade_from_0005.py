"""Upgrading a registry that holds progress reports from revision 0005 to the head, on SQLite and
PostgreSQL.

Revision 0006 adds the per-slot report summary the dashboard reads (report_slots): upgrading must
backfill it from the reports already filed, so that the dashboard shows the same figures before
the downgrade and after the upgrade, and later submissions keep it up to date.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import inspect
from tests.db.upgrades import down_to, sample_world

from eduplan.db.migrate import current, head_revision
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.database import prepare_database
from eduplan.services.loop import ReportInput
from eduplan.services.loop import report_slots as rs
from eduplan.services.tracking.dashboard import org_dashboard

PREVIOUS = "0005"
TODAY = date(2024, 5, 10)


def test_upgrade_from_0005_backfills_the_report_summary(server: Any, tmp_path: Path) -> None:
    with sample_world(server, tmp_path) as up:
        engine, sessions, settings, world = up.engine, up.sessions, up.settings, up.world
        jichu = Principal(
            world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
        )
        assert jichu.unit_id is not None
        for cycle in range(4):  # the last one late
            r = loop.save_report(
                sessions,
                jichu,
                world.items["1"],
                jichu.unit_id,
                cycle,
                ReportInput("in_progress", 20.0 * (cycle + 1)),
                None,
                TODAY,
            )
            loop.submit_report(
                sessions,
                jichu,
                r.id,
                r.version,
                now=datetime(2024, cycle + 1, 20 + 7 * (cycle == 3), tzinfo=UTC),
            )
        leader = Principal(None, "leader", "leader", world.org_id, "示例市", None)
        before = org_dashboard(sessions, leader, settings, TODAY)
        main = next(p for p in before.plans if p.plan_id == world.plan_id)
        assert (main.filed, main.late, main.average_percent) == (1, 1, round(80 / 2 / 11, 1))  # 2 units

        down_to(engine, PREVIOUS)
        assert "report_slots" not in inspect(engine).get_table_names()
        prepare_database(settings)  # the migration shapes the tables; the summaries are built at start
        assert current(engine) == head_revision()

        with engine.connect() as conn:
            stored = rs.stored(conn)
            assert stored == rs.recomputed(conn) and len(stored) == 1
        assert org_dashboard(sessions, leader, settings, TODAY) == before

        r = loop.save_report(
            sessions, jichu, world.items["2"], jichu.unit_id, 3, ReportInput("done", 100.0), None, TODAY
        )
        loop.submit_report(sessions, jichu, r.id, r.version, now=datetime(2024, 4, 20, tzinfo=UTC))
        with engine.connect() as conn:
            assert len(rs.stored(conn)) == 2 and rs.stored(conn) == rs.recomputed(conn)
