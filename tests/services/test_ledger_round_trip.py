"""The 台账 eduplan exports (`eduplan ledger 1 -o 台账.xlsx`) imports back into a fresh registry to the
same state: tasks, units, targets, actual values and each unit's latest report."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url
from tests.conftest import Server
from tests.export.progress_scenario import office, reporter

from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.engine import SessionFactory
from eduplan.db.migrate import upgrade
from eduplan.db.work import ItemTarget
from eduplan.export.ledger_progress import progress_ledger_bytes
from eduplan.samples.loop import build_world
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.ledger_import import LedgerOptions, import_ledger
from eduplan.services.loop import ReportInput
from eduplan.services.tracking.ledger_rows import ProgressLedger, progress_ledger

TODAY = date(2024, 5, 10)
SYSTEM = Principal.system()


@pytest.fixture
def fresh_sessions(server: Server, migrated_url: str, tmp_path: Path) -> Iterator[SessionFactory]:
    """A second, empty registry on the same server (the one a bureau starts with)."""
    if server.name == "sqlite":
        target = tmp_path / "fresh.db"
        shutil.copyfile(make_url(migrated_url).database or "", target)
        engine = make_engine(f"sqlite:///{target}")
    else:
        engine = make_engine(server.make_empty())
        upgrade(engine)
    yield make_session_factory(engine)
    engine.dispose()


def _file(
    sessions: SessionFactory,
    who: Principal,
    item: int,
    cycle: int,
    data: ReportInput,
    reviewer: Principal | None,
) -> None:
    """File a unit's report for a cycle on time; the reviewer (if any) accepts it."""
    assert who.unit_id is not None
    made = loop.save_report(sessions, who, item, who.unit_id, cycle, data, None, TODAY)
    sent = loop.submit_report(
        sessions, who, made.id, made.version, now=datetime(2024, cycle + 1, 20, 2, tzinfo=UTC)
    )
    if reviewer is not None:
        loop.review_report(sessions, reviewer, sent.id, "accept", sent.version)


def _state(ledger: ProgressLedger) -> list[dict[str, Any]]:
    """What a person reads in the ledger, row by row (ids left out)."""
    return [
        {
            "number": r.number,
            "chapter": r.chapter,
            "title": r.title,
            "text": r.text,
            "units": r.units,
            "deadline": r.deadline,
            "targets": [(t.text, t.actual) for t in r.targets],
            "reports": [
                (u.unit_name, u.cycle, u.state, u.progress, u.percent, u.narrative) for u in r.reports
            ],
        }
        for r in ledger.rows
    ]


def test_the_exported_ledger_imports_back_to_the_same_state(
    sessions: SessionFactory, fresh_sessions: SessionFactory, sample_bytes: bytes, tmp_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    world = build_world(sessions, settings, sample_bytes)
    staff = office(world)
    jichu, guihua = reporter(world, "jichu", "基础教育科"), reporter(world, "guihua", "发展规划科")
    caiwu = reporter(world, "caiwu", "计划财务科")
    with sessions() as session:  # task 1's target, 新增学位3200个
        places = session.scalars(
            select(ItemTarget.id).where(ItemTarget.item_id == world.items["1"]).order_by(ItemTarget.position)
        ).first()
    assert places is not None
    _file(
        sessions,
        jichu,
        world.items["1"],
        2,
        ReportInput("in_progress", 50, "完成选址。", {places: 1800}),
        staff,
    )
    _file(
        sessions,
        jichu,
        world.items["1"],
        3,
        ReportInput("in_progress", 70, "新增学位3000个。", {places: 3000}),
        staff,
    )
    _file(sessions, guihua, world.items["1"], 3, ReportInput("in_progress", 65, "完成项目开工审批。"), None)
    _file(sessions, caiwu, world.items["9"], 3, ReportInput("done", 100, "已完成上年度项目绩效评价。"), staff)
    _file(sessions, caiwu, world.items["7"], 3, ReportInput("blocked", 5, "资金尚未下达。"), None)
    before = progress_ledger(sessions, settings, SYSTEM, world.plan_id, TODAY)
    data = progress_ledger_bytes(before)
    filed = [u for r in before.rows for u in r.reports if u.cycle is not None]
    assert len(filed) == 4 and before.rows[0].targets[0].actual == 3000

    result = import_ledger(fresh_sessions, SYSTEM, data, "台账.xlsx", LedgerOptions(org="示例市"), TODAY)
    assert result.problems == [] and result.status == "created"
    after = progress_ledger(fresh_sessions, settings, SYSTEM, result.plan_id, TODAY)
    assert after.title == before.title
    assert _state(after) == _state(before)
    assert [(r.colour, r.progress) for r in after.rows] == [(r.colour, r.progress) for r in before.rows]

    again = import_ledger(fresh_sessions, SYSTEM, data, "台账.xlsx", LedgerOptions(org="示例市"), TODAY)
    assert (again.plan_id, again.reports.created, again.reports.updated) == (result.plan_id, 0, 0)


def test_the_demos_ledger_imports_back_to_the_same_state(
    sessions: SessionFactory, fresh_sessions: SessionFactory, tmp_path: Path
) -> None:
    """The demo (`make demo`): eleven months of reports — accepted, waiting for review, returned, missing
    — and a task handed down to two districts, whose extra rows are named and not imported twice."""
    from eduplan.db.work import WorkItem
    from eduplan.samples.demo_world import build_demo_world
    from eduplan.samples.loop import SAMPLE_PASSWORD

    day = date(2026, 12, 1)
    settings = Settings(data_dir=tmp_path / "data")
    demo = build_demo_world(sessions, settings, day, SAMPLE_PASSWORD)
    before = progress_ledger(sessions, settings, SYSTEM, demo.plan_id, day)
    with sessions() as session:
        children = set(session.scalars(select(WorkItem.id).where(WorkItem.parent_id.is_not(None))))
    handed_down = [k for k, r in enumerate(before.rows, start=3) if r.item_id in children]  # sheet rows
    assert len(handed_down) == 2

    result = import_ledger(
        fresh_sessions, SYSTEM, progress_ledger_bytes(before), "台账.xlsx", LedgerOptions(org="示例市"), day
    )
    assert [p.row for p in result.problems] == handed_down
    assert all("同一任务" in p.reason for p in result.problems)
    after = progress_ledger(fresh_sessions, settings, SYSTEM, result.plan_id, day)
    before.rows = [r for r in before.rows if r.item_id not in children]
    assert _state(after) == _state(before)
    assert sum(len([u for u in r.reports if u.cycle is not None]) for r in after.rows) >= 10
