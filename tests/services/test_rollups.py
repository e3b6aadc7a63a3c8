"""The dashboard's rollups stay equal to what the slots and assignments say — after a seeded random
sequence of reports, reviews, reassignments and hand-downs through the services, after a rebuild,
after two reporters of one plan save at the same moment — and the dashboard read from them is the
dashboard computed from the report slots, for every reader of whole organisations, on any day."""

from __future__ import annotations

import random
import threading
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine
from tests.reporting import OwnReports
from tests.services.report_steps import random_report_step, reporter_slots

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import ACCOUNTS, World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import AssignmentInput, ReportInput, ScheduleInput
from eduplan.services.tracking import rollups as ru
from eduplan.services.tracking.dashboard import Dashboard, compute_dashboard, uses_rollups

TODAY = date(2024, 5, 10)  # cycles 0–4 of the monthly sample plans have started
SYSTEM = Principal.system()
DAYS = [date(2024, 1, 3), TODAY, date(2024, 5, 26), date(2024, 9, 30), date(2025, 1, 10)]


def _person(world: World, name: str) -> Principal:
    role, unit = ACCOUNTS[name]
    return Principal(
        world.users[name], name, role, world.org_id, "示例市", world.units[unit] if unit else None
    )


def _agree(engine: Engine) -> tuple[list[dict[str, object]], list[dict[str, object]]]:
    with engine.connect() as conn:
        stored, fresh = ru.stored(conn), ru.recomputed(conn)
    assert stored == fresh
    return stored


def _same(a: Dashboard, b: Dashboard) -> None:
    assert a.plans == b.plans
    assert a.units == b.units
    assert a.totals == b.totals


def _readers(world: World) -> list[Principal]:
    return [SYSTEM, _person(world, "leader"), _person(world, "office")]


def _zone(sessions: SessionFactory) -> str | None:
    with sessions() as session:
        return ru.stored_zone(session.connection())


def _check_dashboards(world: World, sessions: SessionFactory, settings: Settings) -> None:
    for who in _readers(world):
        assert uses_rollups(who, settings, _zone(sessions))
        for day in DAYS:
            read = compute_dashboard(sessions, who, settings, day, rollups=True)
            _same(read, compute_dashboard(sessions, who, settings, day, rollups=False))


@pytest.mark.parametrize("seed", [1, 2])
def test_rollups_equal_the_slots_after_random_service_calls(
    world: World, sessions: SessionFactory, engine: Engine, settings: Settings, seed: int
) -> None:
    rng = random.Random(seed)
    office = _person(world, "office")
    moment = datetime(2024, 1, 20, tzinfo=UTC)
    done: set[str] = set()
    # a task handed down to a district: its child is a group of its own (same plan, another org)
    handed = loop.hand_down(sessions, office, world.items["1"], ["东城区"])
    assert handed.created
    _agree(engine)
    for step in range(90):
        slots = reporter_slots(world, sessions)
        if step % 15 == 7:  # reassign a task: a unit leaves, another comes, or words 待明确
            item_id = rng.choice(list(world.items.values()))
            item = tracking.get_item(sessions, SYSTEM, item_id)
            units = list(world.units.values())
            given = [AssignmentInput(unit_id=rng.choice(units))]
            given += [AssignmentInput(name="有关单位")] if rng.random() < 0.5 else []
            loop.set_assignments(sessions, office, item_id, given, item.version)
            done.add("assign")
            _agree(engine)
            continue
        name, item_id = rng.choice(slots)
        who = _person(world, name)
        assert who.unit_id is not None
        moment += timedelta(days=rng.randrange(1, 9), seconds=rng.randrange(86_400))
        step = random_report_step(rng, sessions, who, office, item_id, moment, TODAY, with_values=True)
        done |= {step} if step else set()
        _agree(engine)
    assert {"save", "submit", "accept", "assign"} <= done
    items, units = _agree(engine)
    assert any(r["achieved"] is not None for r in items) and any(r["pending"] for r in items)
    assert len({(u["plan_id"], u["org_id"]) for u in units}) >= 2
    with engine.begin() as conn:  # a rebuild from scratch writes the same rows
        assert ru.rebuild(conn) == len(items)
    assert _agree(engine) == (items, units)
    _check_dashboards(world, sessions, settings)


def test_the_dashboard_from_rollups_is_the_dashboard_from_slots(
    world: World, sessions: SessionFactory, settings: Settings
) -> None:
    from tests.services.test_dashboard import busy_world

    busy_world(world, sessions)
    _check_dashboards(world, sessions, settings)
    d = compute_dashboard(sessions, _person(world, "leader"), settings, TODAY)
    assert d.totals["late"] >= 1 and d.totals["filed"] >= 1 and d.units  # the rollups count them


def test_late_is_counted_in_the_zone_recorded_with_the_rollups(
    world: World, sessions: SessionFactory, engine: Engine, settings: Settings
) -> None:
    """The rollups record their zone; a dashboard asked for another reads the slots (a unit's
    reporter always does); a deployment whose zone changed has them rebuilt in it on start."""
    from tests.services.test_dashboard import busy_world

    busy_world(world, sessions)
    assert _zone(sessions) == settings.timezone == "Asia/Shanghai"
    assert not uses_rollups(_person(world, "jichu"), settings, _zone(sessions))  # a unit's own figures
    # 15:30 UTC on the 25th is after the due day in Shanghai, not in Honolulu
    who = _person(world, "guihua")
    late = datetime(2024, 1, 25, 16, 30, tzinfo=UTC)
    OwnReports(sessions, who, TODAY).file(world.items["1"], 0, ReportInput("in_progress", 10), late)
    leader = _person(world, "leader")
    here = compute_dashboard(sessions, leader, settings, date(2024, 2, 1))
    away = settings.model_copy(update={"timezone": "Pacific/Honolulu"})
    assert not uses_rollups(leader, away, _zone(sessions))
    there = compute_dashboard(sessions, leader, away, date(2024, 2, 1))  # from the slots
    assert there.totals["late"] == here.totals["late"] - 1
    with engine.begin() as conn:
        assert ru.ensure_zone(conn, "Pacific/Honolulu") and not ru.ensure_zone(conn, "Pacific/Honolulu")
    assert _zone(sessions) == "Pacific/Honolulu"
    assert uses_rollups(leader, away, _zone(sessions))
    _same(compute_dashboard(sessions, leader, away, date(2024, 2, 1)), there)
    _same(compute_dashboard(sessions, leader, away, date(2024, 2, 1), rollups=False), there)


def test_a_shortened_schedule_bounds_every_count(
    world: World, sessions: SessionFactory, engine: Engine, settings: Settings
) -> None:
    """Reports filed for cycles a shortened schedule no longer has count nowhere, whichever refresh
    wrote the rows last."""
    jichu = OwnReports(sessions, _person(world, "jichu"), TODAY)
    for cycle in range(5):
        on_time = datetime(2024, cycle + 1, 20, tzinfo=UTC)
        jichu.file(world.items["1"], cycle, ReportInput("in_progress", 10.0 * cycle), on_time)
    office = _person(world, "office")
    schedule = tracking.get_schedule(sessions, office, world.plan_id)
    loop.open_plan(
        sessions,
        office,
        world.plan_id,
        ScheduleInput("monthly", 25, schedule.starts_on, date(2024, 3, 31)),
        schedule.version,
    )
    _agree(engine)  # rebuilt by open_plan
    r = tracking.list_reports(sessions, jichu.who, world.items["1"], 1)[0]
    office_view = tracking.get_report(sessions, office, r.id)
    loop.review_report(sessions, office, r.id, "return", office_view.version, "请补充")  # a slot refresh
    items, _units = _agree(engine)
    row = next(r for r in items if r["item_id"] == world.items["1"])
    assert len(row["filed"]) == 3  # type: ignore[arg-type]
    _check_dashboards(world, sessions, settings)


def test_a_count_that_outgrows_its_digits_is_refused() -> None:
    from sqlalchemy.dialects import sqlite

    from eduplan.db.rollups import CycleCounts

    counts = CycleCounts(4)
    assert counts.process_bind_param([3, 9999], sqlite.dialect()) == "00039999"
    with pytest.raises(ValueError, match="4 digits"):
        counts.process_bind_param([10_000], sqlite.dialect())


def test_two_hand_downs_of_one_task_at_once(world: World, sessions: SessionFactory, engine: Engine) -> None:
    """Both wait for the plan's lock before writing: the second finds the first's district task
    instead of deadlocking or failing on it."""
    office = _person(world, "office")
    barrier = threading.Barrier(2)
    results: dict[str, object] = {}

    def hand(key: str, districts: list[str]) -> None:
        try:
            barrier.wait(timeout=10)
            results[key] = loop.hand_down(sessions, office, world.items["2"], districts)
        except BaseException as exc:
            results[key] = exc

    threads = [
        threading.Thread(target=hand, args=("both", ["东城区", "西城区"])),
        threading.Thread(target=hand, args=("one", ["西城区"])),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not [r for r in results.values() if isinstance(r, BaseException)], results
    made = [name for r in results.values() for name in r.created]  # type: ignore[attr-defined]
    assert sorted(made) == ["东城区", "西城区"]
    _agree(engine)


def test_two_reporters_of_one_plan_at_the_same_moment(
    world: World, sessions: SessionFactory, engine: Engine
) -> None:
    """Each save refreshes its plan's rollups; the second waits for the first (PostgreSQL: advisory
    lock; SQLite: one writer), so neither's count is lost."""
    pairs = {}
    for name, item_id in reporter_slots(world, sessions):
        if item_id in world.items.values():
            pairs.setdefault(name, item_id)
    (a, item_a), (b, item_b) = list(pairs.items())[:2]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def report(name: str, item_id: int) -> None:
        mine = OwnReports(sessions, _person(world, name), TODAY)
        try:
            barrier.wait(timeout=10)
            for cycle in range(3):
                on_time = datetime(2024, cycle + 1, 20, tzinfo=UTC)
                mine.file(item_id, cycle, ReportInput("in_progress", 40.0), on_time)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=report, args=pair) for pair in ((a, item_a), (b, item_b))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert not errors, errors
    items, _units = _agree(engine)
    filed = {r["item_id"]: r["filed"] for r in items}
    for item_id in (item_a, item_b):
        assert all(n >= 1 for n in filed[item_id][:3])  # type: ignore[index]
