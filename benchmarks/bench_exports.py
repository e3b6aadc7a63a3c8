"""Exports benchmark: the 台账 with progress and the 进展通报 of the loop benchmark's plan (40 tasks ×
5 units × 26 biweekly cycles, 5,000+ reports filed; see bench_loop.py), on SQLite.

Prints, in milliseconds (median of `--repeat` runs): the ledger rows (`progress_ledger`), the
bulletin data (`bulletin`), the xlsx bytes and the docx bytes (with its native chart).

    .venv/bin/python benchmarks/bench_exports.py --repeat 10
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _timing import timed
from bench_loop import build
from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.migrate import upgrade
from eduplan.export.bulletin import bulletin_bytes
from eduplan.export.ledger_progress import progress_ledger_bytes
from eduplan.services.accounts import Principal
from eduplan.services.tracking.bulletin import bulletin
from eduplan.services.tracking.ledger_rows import progress_ledger

DAY = date(2024, 11, 20)


def median_ms(run: Callable[[], object], repeat: int) -> float:
    return statistics.median(timed(run, repeat)[0])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        engine = make_engine(url)
        upgrade(engine)
        sessions, settings, system = (
            make_session_factory(engine),
            Settings(database_url=url),
            Principal.system(),
        )
        plan_id = build(sessions)
        ledger = progress_ledger(sessions, settings, system, plan_id, DAY)
        found = bulletin(sessions, settings, system, plan_id, DAY)
        figures = {
            "ledger rows": median_ms(
                lambda: progress_ledger(sessions, settings, system, plan_id, DAY), args.repeat
            ),
            "bulletin data": median_ms(
                lambda: bulletin(sessions, settings, system, plan_id, DAY), args.repeat
            ),
            "xlsx bytes": median_ms(lambda: progress_ledger_bytes(ledger), args.repeat),
            "docx bytes": median_ms(lambda: bulletin_bytes(found), args.repeat),
        }
        engine.dispose()
    print(f"SQLite: {len(ledger.rows)} tasks, {len(found.ranking)} units, bulletin 第{found.cycle.number}期")
    print(f"  xlsx {len(progress_ledger_bytes(ledger)):,} bytes, docx {len(bulletin_bytes(found)):,} bytes")
    for name, ms in figures.items():
        print(f"  {name}: median {ms:.1f} ms over {args.repeat} runs")


if __name__ == "__main__":
    main()
