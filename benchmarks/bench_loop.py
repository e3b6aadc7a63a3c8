"""Benchmark of the implementation loop: status of every task and the unit completeness table.

A plan of 40 tasks, each assigned to the same 5 units, reported on every two weeks for a year (26
cycles): 5,200 progress reports (a few returned, a few late, a few missing), each with an actual
value for its task's target.  `plan_status` (every task's colour with its reasons, and the units ×
cycles completeness table) is computed as of the day after the last cycle is due, so that every
slot counts.  Target: < 100 ms.  SQLite by default; ``--postgres-url URL`` (or
$EDUPLAN_TEST_POSTGRES_URL) runs it on a throwaway PostgreSQL database too.

Run: ``.venv/bin/python benchmarks/bench_loop.py [--repeat 30]`` (part of ``make bench``).
"""

from __future__ import annotations

import gc
import statistics
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from typing import Any

from sqlalchemy import insert, select

from _timing import bench_arguments, migrated_and_built, on_both_backends, p95, timed
from eduplan.config import Settings
from eduplan.db import make_engine
from eduplan.db.engine import SessionFactory
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import Assignment, ItemTarget, WorkItem
from eduplan.services.accounts import Principal
from eduplan.services.loop import ScheduleInput, open_plan
from eduplan.services.registry import import_document
from eduplan.services.tracking import plan_status
from eduplan.services.tracking.views import PlanStatus

TASKS, UNITS, CYCLES = 40, 5, 26
UNIT_NAMES = ("基础教育科", "学前教育科", "人事科", "计划财务科", "安全稳定科")
TARGET_MS = 100.0


def plan_text() -> str:
    lines = ["基准市教育局2024年教育工作要点", "一、全面推进教育高质量发展"]
    for n in range(1, TASKS + 1):
        lines.append(f"{n}.推进第{n}项重点工作。年内新建示范项目{10 * n}个，确保按期完成。")
        lines.append("责任单位：" + "、".join(UNIT_NAMES))
    return "\n".join(lines) + "\n"


def build(sessions: SessionFactory) -> int:
    """The plan, opened biweekly for 2024, with every report filed; returns the plan id."""
    system = Principal.system()
    plan_id = import_document(sessions, plan_text().encode("utf-8"), "基准.txt").plan_id
    schedule = open_plan(
        sessions, system, plan_id, ScheduleInput("biweekly", 5, date(2024, 1, 1), date(2024, 12, 29))
    )
    assert len(schedule.cycles) == CYCLES, len(schedule.cycles)
    with sessions.begin() as session:
        items = session.execute(select(WorkItem.id).where(WorkItem.plan_id == plan_id)).scalars().all()
        slots = session.execute(
            select(Assignment.item_id, Assignment.unit_id).where(Assignment.item_id.in_(items))
        ).all()
        targets = dict(
            session.execute(
                select(ItemTarget.item_id, ItemTarget.id).where(ItemTarget.item_id.in_(items))
            ).all()
        )
        assert len(items) == TASKS and len(slots) == TASKS * UNITS, (len(items), len(slots))
        rows: list[dict[str, Any]] = []
        now = datetime.now(UTC)
        for c in schedule.cycles:
            due = datetime.combine(c.due, dtime(8), UTC)
            for k, (item_id, unit_id) in enumerate(slots):
                if (k + c.index) % 97 == 0:
                    continue  # missing
                late = (k + c.index) % 13 == 0
                state = "returned" if (k + c.index) % 31 == 0 else "accepted"
                percent = min(100.0, 100.0 * (c.index + 1) / CYCLES + (k % 7))
                rows.append(
                    {
                        "item_id": item_id,
                        "unit_id": unit_id,
                        "cycle": c.index,
                        "state": state,
                        "progress": "done" if percent >= 100 else "in_progress",
                        "percent": max(0.0, percent),
                        "narrative": "按计划推进",
                        "review_note": None,
                        "first_submitted_at": due + timedelta(days=3 if late else -1),
                        "version": 1,
                        "updated_by": "bench",
                        "updated_at": now,
                    }
                )
        ids = (
            session.execute(
                insert(ProgressReport).returning(ProgressReport.id, sort_by_parameter_order=True), rows
            )
            .scalars()
            .all()
        )
        values = [
            {"report_id": rid, "target_id": targets[row["item_id"]], "actual": row["percent"] * 4}
            for rid, row in zip(ids, rows, strict=True)
        ]
        session.execute(insert(ReportValue), values)
    return plan_id


def measure(
    sessions: SessionFactory, settings: Settings, plan_id: int, repeat: int
) -> tuple[list[float], PlanStatus]:
    system = Principal.system()
    day = date(2025, 1, 6)
    return timed(lambda: plan_status(sessions, settings, system, plan_id, day), repeat)


def run(name: str, url: str, repeat: int) -> bool:
    engine = make_engine(url)
    try:
        sessions, settings, plan_id, built = migrated_and_built(engine, url, build)
        gc.freeze()  # as the app does once started (eduplan.web.app): full collections skip the heap
        times, result = measure(sessions, settings, plan_id, repeat)
        page_times, statements = measure_task_page(engine, sessions, settings, plan_id, repeat)
    finally:
        engine.dispose()
    status = result
    reports = sum(c.on_time + c.late for u in status.units for c in u.cycles)
    median, slowest = statistics.median(times), p95(times)
    ok = slowest < TARGET_MS
    print(
        f"\n{name}: {TASKS} tasks × {CYCLES} cycles × {UNITS} units, {reports} reports filed (built in {built:.1f} s)"
    )
    print(f"  counts {status.counts}, units {len(status.units)}, due cycles {status.due_cycles}")
    print(
        f"  plan_status: min {min(times):.1f} ms, median {median:.1f} ms, p95 {slowest:.1f} ms over {repeat} runs"
    )
    print(f"  target < {TARGET_MS:.0f} ms: {'ok' if ok else 'MISSED'}")
    print(
        f"  task page (item_page, one task of {UNITS} units × {CYCLES} cycles of reports): {statements} SQL "
        f"statements, min {min(page_times):.1f} ms, median {statistics.median(page_times):.1f} ms, "
        f"p95 {p95(page_times):.1f} ms"
    )
    return ok


def measure_task_page(
    engine: Any, sessions: SessionFactory, settings: Settings, plan_id: int, repeat: int
) -> tuple[list[float], int]:
    """The task page's data (`services.pages.task.item_page`) of the plan's first task, and the number of
    SQL statements it issues (issue 18: a page reads once)."""
    from sqlalchemy import event

    from eduplan.db.work import WorkItem
    from eduplan.services.pages.task import item_page

    system, day = Principal.system(), date(2025, 1, 6)
    with sessions() as session:
        item_id = session.scalars(
            select(WorkItem.id).where(WorkItem.plan_id == plan_id).order_by(WorkItem.id)
        ).first()
    assert item_id is not None
    seen: list[str] = []
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    item_page(sessions, settings, system, item_id, day)
    event.remove(engine, "before_cursor_execute", listener)
    times, _ = timed(lambda: item_page(sessions, settings, system, item_id, day), repeat)
    return times, len(seen)


def main() -> None:
    args = bench_arguments(__doc__ or "", "repeat", 30)
    ok = on_both_backends(lambda name, url: run(name, url, args.repeat), args.postgres_url)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
