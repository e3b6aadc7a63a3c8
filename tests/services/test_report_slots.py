"""The per-slot report summary (report_slots) stays equal to what the reports say: after a seeded
random sequence of saves, submissions, returns and acceptances through the services, after a
rebuild, and when a task is removed."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, delete
from tests.services.report_steps import random_report_step, reporter_slots, sample_reporters

from eduplan.db.engine import SessionFactory
from eduplan.db.report_slots import ReportSlot
from eduplan.db.work import WorkItem
from eduplan.samples.loop import World
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput
from eduplan.services.loop import report_slots as rs
from eduplan.services.tracking import facts

TODAY = date(2024, 5, 10)  # cycles 0–4 of the monthly sample plan have started
SYSTEM = Principal.system()


def _agree(engine: Engine) -> dict[tuple[int, int], dict[str, object]]:
    with engine.connect() as conn:
        stored, fresh = rs.stored(conn), rs.recomputed(conn)
        values, fresh_values = rs.stored_values(conn), rs.recomputed_values(conn)
    assert stored == fresh
    # the latest counted reports' target values, which the dashboard's 目标达成 reads
    assert values == fresh_values
    return stored


def test_the_constants_are_the_status_rules() -> None:
    assert (rs.COUNTED, rs.FILED) == (facts.COUNTED, facts.FILED)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_summary_equals_the_reports_after_random_service_calls(
    world: World, sessions: SessionFactory, engine: Engine, seed: int
) -> None:
    rng = random.Random(seed)
    reporters = sample_reporters(world)
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    slots = reporter_slots(world, sessions)
    assert len(slots) >= 10
    moment = datetime(2024, 1, 20, tzinfo=UTC)
    done: set[str] = set()
    for _ in range(70):
        name, item_id = rng.choice(slots)
        who = reporters[name]
        assert who.unit_id is not None
        moment += timedelta(days=rng.randrange(1, 9), seconds=rng.randrange(86_400))
        step = random_report_step(rng, sessions, who, office, item_id, moment, TODAY)
        done |= {step} if step else set()
        _agree(engine)
    stored = _agree(engine)
    assert any(row["latest_report_id"] is not None for row in stored.values())  # something counted
    assert {"save", "submit", "accept", "return"} <= done
    with engine.begin() as conn:  # a rebuild from scratch writes the same rows
        assert rs.rebuild(conn) == len(stored)
    assert _agree(engine) == stored


def test_a_returned_report_leaves_the_latest_and_a_removed_task_its_rows(
    world: World, sessions: SessionFactory, engine: Engine
) -> None:
    jichu = sample_reporters(world)["jichu"]
    assert jichu.unit_id is not None
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    item = world.items["1"]
    ids = []
    for cycle, percent in ((0, 20.0), (1, 40.0)):
        r = loop.save_report(
            sessions, jichu, item, jichu.unit_id, cycle, ReportInput("in_progress", percent), None, TODAY
        )
        ids.append(
            loop.submit_report(
                sessions, jichu, r.id, r.version, now=datetime(2024, cycle + 1, 20, tzinfo=UTC)
            )
        )
    row = _agree(engine)[(item, jichu.unit_id)]
    assert (row["filed"], row["latest_cycle"], row["latest_percent"]) == ("11", 1, 40.0)
    loop.review_report(sessions, office, ids[1].id, "return", ids[1].version, "数据有误")
    row = _agree(engine)[(item, jichu.unit_id)]
    assert (row["filed"], row["latest_cycle"], row["latest_report_id"]) == ("11", 0, ids[0].id)  # still filed
    assert row["submitted"][10:] == str(int(datetime(2024, 2, 20, tzinfo=UTC).timestamp())).encode()
    with engine.begin() as conn:
        conn.execute(delete(WorkItem).where(WorkItem.id == item))
    with engine.connect() as conn:
        assert conn.execute(ReportSlot.__table__.select().where(ReportSlot.item_id == item)).first() is None
    _agree(engine)
