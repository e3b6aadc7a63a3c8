"""Benchmark of a task handed down three levels (issue 14): the task page of a city's task whose
children and grandchildren roll up.

A plan of 20 tasks, each handed down to 6 districts and by each district to 8 schools (20 × 55 =
1,100 work items), every school naming a unit that reports monthly (Jan–Apr: 3,840 reports).  The
task page of a city task (`pages.task.item_page`: its status computed with the plan's, rolled up
from 6 districts and 48 schools, and the roll-up section) is timed as office staff see it, and so
is the city office's dashboard (`dashboard.compute_dashboard`, uncached: the lights and 办结 of the
city's tasks rolled up from their districts and schools by the database).
Target: p95 < 200 ms each.  SQLite by default; ``--postgres-url URL`` (or $EDUPLAN_TEST_POSTGRES_URL)
runs it on a throwaway PostgreSQL database too.

Run: ``.venv/bin/python benchmarks/bench_levels.py [--repeat 30]``.
"""

from __future__ import annotations

import argparse
import gc
import os
import statistics
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

from sqlalchemy import insert, select, text

from _timing import migrated_and_built, p95, throwaway_postgres, timed
from eduplan.db import make_engine
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.reports import ProgressReport
from eduplan.db.work import Assignment, WorkItem
from eduplan.services.accounts import Principal
from eduplan.services.loop import ScheduleInput, add_unit, hand_down, open_plan
from eduplan.services.loop.report_slots import rebuild as rebuild_slots
from eduplan.services.pages.task import item_page
from eduplan.services.registry import import_document
from eduplan.services.tracking import list_items
from eduplan.services.tracking.dashboard import compute_dashboard
from eduplan.services.tracking.rollups import rebuild

TASKS, DISTRICTS, SCHOOLS, CYCLES = 20, 6, 8, 4
TARGET_MS = 200.0
TODAY = date(2024, 5, 10)


def plan_text() -> str:
    lines = ["示例市教育局2024年教育重点项目安排", "一、重点任务"]
    for n in range(1, TASKS + 1):
        lines.append(
            f"{n}.推进第{n}项重点工作。全年完成项目{DISTRICTS * 10}个。责任单位：发展规划科、各县区教育局"
        )
    return "\n".join(lines) + "\n"


def build(sessions: SessionFactory) -> int:
    """The plan handed down to districts and schools, every school's unit reporting (reports are
    inserted directly, then the report slots and the rollups rebuilt)."""
    system = Principal.system()
    plan = import_document(sessions, plan_text().encode("utf-8"), "示例市2024年教育重点项目.txt")
    open_plan(sessions, system, plan.plan_id, ScheduleInput("monthly", 25))
    districts = [f"第{d}区" for d in range(1, DISTRICTS + 1)]
    schools = [f"第{s}小学" for s in range(1, SCHOOLS + 1)]
    units: dict[int, int] = {}
    for item in list_items(sessions, system, plan.plan_id):
        for district_item in hand_down(
            sessions, system, item.id, districts, today=date(2024, 1, 1)
        ).created.values():
            made = hand_down(sessions, system, district_item, schools, today=date(2024, 2, 1)).created
            for school_item in made.values():
                with sessions() as session:
                    org_id = session.scalar(select(WorkItem.org_id).where(WorkItem.id == school_item))
                assert org_id is not None
                if org_id not in units:
                    units[org_id] = add_unit(sessions, system, org_id, "教务处").unit.id
                with sessions.begin() as session:
                    child = session.get(WorkItem, school_item)
                    assert child is not None
                    child.assignments = [
                        Assignment(
                            unit_id=units[org_id], role="lead", state="assigned", name="教务处", position=0
                        )
                    ]
    with sessions.begin() as session:
        rows = session.execute(
            select(Assignment.item_id, Assignment.unit_id).where(Assignment.state == "assigned")
        ).all()
        reports = [
            {
                "item_id": i,
                "unit_id": u,
                "cycle": c,
                "state": "accepted",
                "progress": "in_progress",
                "percent": 20.0 * (c + 1) - (i % 3) * 10,
                "narrative": "按计划推进",
                "version": 1,
                "updated_by": "bench",
                "updated_at": datetime(2024, c + 1, 20, tzinfo=UTC),
                "first_submitted_at": datetime(2024, c + 1, 20, tzinfo=UTC),
            }
            for i, u in rows
            if u is not None
            for c in range(1, CYCLES)
        ]
        session.execute(insert(ProgressReport), reports)
        rebuild_slots(session.connection())  # the per-slot summary the rollups are summed from
        rebuild(session.connection(), plan.plan_id)
    return plan.plan_id


def run(name: str, url: str, repeat: int) -> bool:
    engine = make_engine(url)
    try:
        sessions, settings, plan_id, built = migrated_and_built(engine, url, build)
        with sessions() as session:
            top = session.scalar(
                select(WorkItem.id).where(WorkItem.plan_id == plan_id, WorkItem.parent_id.is_(None)).limit(1)
            )
            items = session.scalar(select(text("count(*)")).select_from(WorkItem))
            assert top is not None
            org_id, path = session.execute(
                select(Organisation.id, Organisation.path)
                .join(WorkItem, WorkItem.org_id == Organisation.id)
                .where(WorkItem.id == top)
            ).one()
        office = Principal.system()
        city = Principal(None, "office", "office", org_id, path, None)
        gc.freeze()
        times, page = timed(lambda: item_page(sessions, settings, office, top, TODAY), repeat)
        board_times, board = timed(lambda: compute_dashboard(sessions, city, settings, TODAY), repeat)
    finally:
        engine.dispose()
    slowest, board_slowest = p95(times), p95(board_times)
    ok = slowest < TARGET_MS and board_slowest < TARGET_MS
    lights = board.totals
    status = page.status
    print(
        f"\n{name}: {items} work items ({TASKS} tasks × {DISTRICTS} districts × {SCHOOLS} schools), built in {built:.1f} s"
    )
    print(
        f"  city task: {status.colour if status else '-'} {status.progress if status else '-'}%, "
        f"{len(page.rollup.children)} districts in its roll-up"
    )
    print(f"  item_page: median {statistics.median(times):.1f} ms, p95 {slowest:.1f} ms over {repeat} runs")
    print(
        f"  city dashboard: {lights['tasks']} tasks, red {lights['red']} amber {lights['amber']} "
        f"green {lights['green']}: median {statistics.median(board_times):.1f} ms, "
        f"p95 {board_slowest:.1f} ms over {repeat} runs"
    )
    print(f"  target p95 < {TARGET_MS:.0f} ms: {'ok' if ok else 'MISSED'}")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--postgres-url", default=os.environ.get("EDUPLAN_TEST_POSTGRES_URL"))
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        ok &= run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}", args.repeat)
    if args.postgres_url:
        with throwaway_postgres(args.postgres_url) as url:
            ok &= run("PostgreSQL", url, args.repeat)
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
