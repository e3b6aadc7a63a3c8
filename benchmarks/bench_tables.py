"""Benchmarks of task tables (任务分工表) and bundled notices; prints one compact table of figures.

Run with `make bench` (or `.venv/bin/python benchmarks/bench_tables.py`).  Figures:
  (a) a 200-row task table (xlsx, merged categories): read (openpyxl, read-only) and parse,
      best of 5, and the same for 2,000 rows (linear?) and for the 200 rows as csv;
  (b) the whole `eduplan parse tasks.xlsx --format json` process for 200 rows, median of 5;
  (c) a notice bundling three plans, split and parsed, best of 20.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

from _table import print_table, verdict
from _timing import best_seconds

ROOT = Path(__file__).resolve().parents[1]
Row = tuple[str, str, str, str]  # figure, value, target, verdict


def bench_tables(folder: Path) -> list[Row]:
    """(a) read and parse task tables of 200 and 2,000 rows."""
    from eduplan.readers import read_path_document
    from eduplan.samples import task_table
    from eduplan.services.parse import parse_document

    rows: list[Row] = []
    per_row: dict[int, float] = {}
    for n in (200, 2000):
        path = task_table.write_xlsx(folder / f"tasks-{n}.xlsx", task_table.many_rows(n))
        read = best_seconds(partial(read_path_document, path), 5)
        document = read_path_document(path)
        parse = best_seconds(partial(parse_document, document), 5)
        plan = parse_document(document)
        tasks = len(plan.tasks())
        assert tasks == n, tasks
        per_row[n] = (read + parse) / n
        size = path.stat().st_size / 1024
        rows.append((f"(a) xlsx {n} rows ({size:.0f} KB): read", f"{read * 1000:.0f} ms", "", ""))
        target = "< 1 s" if n == 200 else "linear"
        good = read + parse < 1.0 if n == 200 else per_row[n] < 2 * per_row[200]
        rows.append(
            (f"(a) xlsx {n} rows: parse ({tasks} tasks)", f"{parse * 1000:.0f} ms", target, verdict(good))
        )
    csv_path = folder / "tasks-200.csv"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as f:
        import csv

        writer = csv.writer(f)
        writer.writerow(task_table.HEADER)
        writer.writerows(task_table.many_rows(200))
    both = best_seconds(lambda: parse_document(read_path_document(csv_path)), 5)
    rows.append(("(a) csv 200 rows: read + parse", f"{both * 1000:.0f} ms", "< 1 s", verdict(both < 1.0)))
    return rows


def bench_process(folder: Path, runs: int = 5) -> list[Row]:
    """(b) the whole `eduplan parse tasks-200.xlsx --format json` process."""
    path = folder / "tasks-200.xlsx"
    script = Path(sys.executable).with_name("eduplan")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]
    cmd += ["parse", str(path), "--format", "json"]
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    subprocess.run(cmd, capture_output=True, check=True, env=env)
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, check=True, env=env)
        times.append(time.perf_counter() - t0)
    median = statistics.median(times)
    return [
        (
            f"(b) `eduplan parse tasks-200.xlsx -f json`, median of {runs}",
            f"{median:.2f} s",
            "< 2 s",
            verdict(median < 2),
        )
    ]


def bench_bundle() -> list[Row]:
    """(c) a notice bundling three plans."""
    from eduplan.parsing.bundle import parse_plans
    from eduplan.samples.bundle_text import bundle_lines

    lines = bundle_lines()
    seconds = best_seconds(lambda: parse_plans(lines), 20)
    plans = len(parse_plans(lines))
    return [(f"(c) bundled notice ({len(lines)} lines, {plans} plans)", f"{seconds * 1000:.1f} ms", "", "")]


def main() -> None:
    sys.path.insert(0, str(ROOT / "src"))
    folder = Path(tempfile.mkdtemp(prefix="eduplan-bench-tables-"))
    rows: list[Row] = [("figure", "value", "target", "")]
    try:
        for bench in (lambda: bench_tables(folder), lambda: bench_process(folder), bench_bundle):
            try:
                rows += bench()
            except Exception as exc:  # one failing figure must not hide the others
                rows.append(("bench", f"failed: {type(exc).__name__}: {exc}"[:100], "", "FAIL"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(rows)


if __name__ == "__main__":
    main()
