"""Benchmark of the Excel 填报模板: a unit with 200 tasks (one or two targets each) downloads its May
template, every row filled, and uploads it.

Half the tasks have an accepted April report (so the template carries it over and the value rules
compare with it).  Prints, in milliseconds: building the template (data + xlsx bytes), reading and
previewing the filled file (median of `--repeat`), and the upload that saves all 200 rows through
`save_report` (once: it writes).  Target: the upload of a 200-row template under 5 s.  SQLite by
default; ``--postgres-url URL`` (or $EDUPLAN_TEST_POSTGRES_URL) runs it on a throwaway PostgreSQL
database too.

Run: ``.venv/bin/python benchmarks/bench_template.py [--repeat 5]``
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _timing import bench_arguments, throwaway_postgres, timed
from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.engine import SessionFactory
from eduplan.db.migrate import upgrade
from eduplan.db.orgs import Organisation
from eduplan.db.reports import ProgressReport, ReportValue
from eduplan.db.work import ItemTarget, WorkItem
from eduplan.export.cells import put
from eduplan.export.report_template_xlsx import template_bytes
from eduplan.readers import report_template_layout as lay
from eduplan.services.accounts import Principal, UserCreate, create_user
from eduplan.services.loop import ScheduleInput, open_plan
from eduplan.services.registry import import_document
from eduplan.services.report_template import find_unit, report_template
from eduplan.services.report_upload import apply_upload, preview_upload

TASKS, TARGET_S = 200, 5.0
DAY = date(2024, 5, 10)  # May: cycle 4 of the monthly schedule
PASSWORD = "示例Passw0rd2024"


def plan_text() -> str:
    lines = ["基准市教育局2024年教育工作要点", "一、全面推进教育高质量发展"]
    for n in range(1, TASKS + 1):
        extra = f"普惠性幼儿园覆盖率达到{80 + n % 15}%以上。" if n % 2 else ""
        lines.append(f"{n}.推进第{n}项重点工作。年内新建示范项目{10 * n}个。{extra}")
        lines.append("责任单位：基础教育科")
    return "\n".join(lines) + "\n"


def build(sessions: SessionFactory, settings: Settings) -> tuple[int, Principal]:
    """The plan opened monthly, April accepted for half the tasks; the unit's reporter."""
    system = Principal.system()
    imported = import_document(sessions, plan_text().encode("utf-8"), "基准.txt")
    open_plan(sessions, system, imported.plan_id, ScheduleInput("monthly", 25))
    unit_id = find_unit(sessions, imported.plan_id, "基础教育科")
    user = create_user(
        sessions,
        settings,
        system,
        UserCreate("bench", "reporter", "基准填报员", imported.org_id, unit_id, PASSWORD),
    ).user
    with sessions.begin() as session:
        items = session.scalars(select(WorkItem.id).where(WorkItem.plan_id == imported.plan_id)).all()
        targets = session.execute(
            select(ItemTarget.item_id, ItemTarget.id).where(ItemTarget.item_id.in_(items))
        ).all()
        now = datetime.now(UTC)
        rows = [
            {
                "item_id": i,
                "unit_id": unit_id,
                "cycle": 3,
                "state": "accepted",
                "progress": "in_progress",
                "percent": 30.0,
                "narrative": "四月进展",
                "review_note": None,
                "first_submitted_at": now,
                "version": 1,
                "updated_by": "bench",
                "updated_at": now,
            }
            for i in items[::2]
        ]
        ids = dict(
            zip(
                [r["item_id"] for r in rows],
                session.scalars(
                    insert(ProgressReport).returning(ProgressReport.id, sort_by_parameter_order=True), rows
                ),
                strict=True,
            )
        )
        values = [{"report_id": ids[i], "target_id": t, "actual": 5.0} for i, t in targets if i in ids]
        session.execute(insert(ReportValue), values)
    with sessions() as session:
        path = session.get(Organisation, imported.org_id).path  # type: ignore[union-attr]
    who = Principal(user.id, "bench", "reporter", imported.org_id, path, unit_id)
    return imported.plan_id, who


def filled(data: bytes) -> bytes:
    """Every task row filled: status, percent, narrative, each target's actual."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[lay.SHEET]
    for n in range(lay.FIRST_ROW, sheet.max_row + 1):
        if sheet.cell(n, lay.NUMBER).value:
            put(sheet, n, lay.STATUS, "推进中")
            put(sheet, n, lay.PERCENT, 45)
            put(sheet, n, lay.NARRATIVE, f"第{n}行：五月完成主体工程，进度正常。")
        elif sheet.cell(n, lay.ACTUAL).protection.locked is False:
            put(sheet, n, lay.ACTUAL, 8)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(url: str, folder: Path, repeat: int, label: str) -> float:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    settings = Settings(
        database_url=url, data_dir=folder, argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1
    )
    plan_id, who = build(sessions, settings)
    start = time.perf_counter()
    template = report_template(sessions, who, plan_id, None, DAY)
    data = template_bytes(template)
    made_ms = (time.perf_counter() - start) * 1000
    upload = filled(data)
    times, preview = timed(lambda: preview_upload(sessions, who, upload), repeat)
    start = time.perf_counter()
    done = apply_upload(sessions, who, upload, DAY)
    apply_s = time.perf_counter() - start
    engine.dispose()
    saved = sum(r.saved for r in done.rows)
    assert saved == TASKS, (saved, [r.messages for r in done.rows if not r.saved][:3])
    print(f"{label}: {len(template.rows)} tasks, template {len(data):,} bytes, filled {len(upload):,} bytes")
    print(f"  template (data + xlsx): {made_ms:.0f} ms")
    print(
        f"  read + preview: median {statistics.median(times):.0f} ms over {repeat} runs ({preview.to_save} rows to save)"
    )
    print(
        f"  upload (read, check, save {saved} rows): {apply_s * 1000:.0f} ms — {apply_s * 1000 / saved:.1f} ms a row"
    )
    load = os.getloadavg()[0]
    print(
        f"  target < {TARGET_S:g} s: {'OK' if apply_s < TARGET_S else 'MISSED'} (load average {load:.1f} on {os.cpu_count()} cores)"
    )
    return apply_s


def main() -> None:
    args = bench_arguments(__doc__ or "", "repeat", 5)
    with tempfile.TemporaryDirectory() as folder:
        run(f"sqlite:///{Path(folder) / 'bench.db'}", Path(folder), args.repeat, "SQLite")
        if args.postgres_url:
            with throwaway_postgres(args.postgres_url) as url:
                run(url, Path(folder), args.repeat, "PostgreSQL")


if __name__ == "__main__":
    main()
