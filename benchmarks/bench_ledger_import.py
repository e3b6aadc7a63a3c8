"""Benchmark of bringing an existing 台账 in (`services.ledger_import`); prints one table of figures.

Run with `.venv/bin/python benchmarks/bench_ledger_import.py [--tasks 200] [--postgres-url URL]`.
A fictional ledger (written here with openpyxl: 20 categories as merged rows, 200 tasks with a
牵头 and a 配合 unit, a target each, 12 monthly progress columns naming each unit, a 完成进度 and a
目标完成情况 column: 4,800 reports) is imported into a fresh registry on SQLite and, when a server
answers, PostgreSQL.  Figures (wall time, and this process's CPU time: the database server's is in the wall time only):
  preview   read + column understanding + the reports planned and checked (nothing written);
  import    the first import in one transaction: plan, items, assignments, 4,800 reports, audit;
  again     the same file again (nothing changes: every report compared, none written);
  update    the ledger with December's lead-unit lines rewritten (200 reports updated).
Target: the first import of 200 tasks × 12 months under 5 s.
"""

from __future__ import annotations

import io
import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

from _timing import bench_arguments, throwaway_postgres

sys.path.insert(0, str(Path(__file__).resolve().parent))

TODAY = date(2024, 12, 31)
UNITS = [
    "基础教育处",
    "职业教育处",
    "高等教育处",
    "教师工作处",
    "计划财务处",
    "发展规划处",
    "体卫艺处",
    "安全处",
    "督导室",
    "电教馆",
    "教研室",
    "招生考试处",
]


def ledger(tasks: int, december: str = "完成全年任务") -> bytes:
    """The benchmark's ledger as xlsx bytes."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    months = [f"{m}月进展" for m in range(1, 13)]
    ws.append(["2024年某市教育工作要点工作台账"])
    ws.append(
        [
            "序号",
            "重点任务",
            "牵头单位",
            "配合单位",
            "完成时限",
            "量化目标",
            *months,
            "完成进度",
            "目标完成情况",
        ]
    )
    for k in range(tasks):
        if k % 10 == 0:
            ws.append([f"{'一二三四五六七八九十'[(k // 10) % 10]}、第{k // 10 + 1}类工作"])
            ws.merge_cells(start_row=ws.max_row, start_column=1, end_row=ws.max_row, end_column=20)
        lead, support = UNITS[k % len(UNITS)], UNITS[(k + 5) % len(UNITS)]
        count = 10 + k
        cells = []
        for m in range(1, 13):
            said = december if m == 12 else f"按计划推进第{m}月工作，完成进度{round(100 * m / 12)}%"
            cells.append(f"{lead}：{said}。\n{support}：配合开展第{m}月工作。")
        ws.append(
            [
                str(k % 10 + 1),
                f"推进第{k + 1}项重点工作。年内新建项目{count}个。",
                lead,
                support,
                "2024年12月31日",
                f"新建项目{count}个",
                *cells,
                1.0,
                f"新建项目{count}个：已完成 {count}",
            ]
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _run(url: str, tasks: int) -> list[tuple[str, str]]:
    from eduplan.db import make_engine, make_session_factory
    from eduplan.db.migrate import upgrade
    from eduplan.services.accounts import Principal
    from eduplan.services.ledger_import import LedgerOptions, import_ledger, preview_ledger

    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    system, options = Principal.system(), LedgerOptions(org="某市")
    data, changed = ledger(tasks), ledger(tasks, "全年任务已完成并通过验收")
    rows: list[tuple[str, str]] = []

    def timed(label: str, call: Any) -> Any:
        start, cpu = time.perf_counter(), time.process_time()
        result = call()
        wall, used = time.perf_counter() - start, time.process_time() - cpu
        rows.append((label, f"{wall:.2f} s (CPU {used:.2f} s)"))
        return result

    preview = timed("preview", lambda: preview_ledger(sessions, system, data, "台账.xlsx", options, TODAY))
    first = timed("import", lambda: import_ledger(sessions, system, data, "台账.xlsx", options, TODAY))
    again = timed("again", lambda: import_ledger(sessions, system, data, "台账.xlsx", options, TODAY))
    update = timed(
        "update", lambda: import_ledger(sessions, system, changed, "台账-12月.xlsx", options, TODAY)
    )
    engine.dispose()
    assert len(preview.reports) == first.reports.created == tasks * 24, (len(preview.reports), first.reports)
    assert again.reports.unchanged == tasks * 24 and update.reports.updated == tasks, update.reports
    rows.append(("reports", f"{first.reports.created} created, {update.reports.updated} updated"))
    return rows


def main() -> None:
    args = bench_arguments(__doc__ or "", "tasks", 200)
    size = len(ledger(args.tasks)) / 1024
    print(f"ledger: {args.tasks} tasks × 12 monthly columns × 2 units ({size:.0f} KB xlsx)")
    with tempfile.TemporaryDirectory() as folder:
        results = {"sqlite": _run(f"sqlite:///{Path(folder) / 'bench.db'}", args.tasks)}
    if args.postgres_url:
        try:
            with throwaway_postgres(args.postgres_url) as url:
                results["postgresql"] = _run(url, args.tasks)
        except Exception as exc:  # no server: the SQLite figures stand alone
            print(f"postgresql skipped: {type(exc).__name__}: {exc}")
    print(f"{'figure':<10}" + "".join(f"{name:>34}" for name in results))
    for k, (label, _) in enumerate(results["sqlite"]):
        print(f"{label:<10}" + "".join(f"{rows[k][1]:>34}" for rows in results.values()))
    for name, rows in results.items():
        seconds = float(rows[1][1].split()[0])
        print(
            f"{name}: first import {seconds:.2f} s (target < 5 s): {'ok' if seconds < 5 else 'SLOW'}"
            f"; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
        )


if __name__ == "__main__":
    main()
