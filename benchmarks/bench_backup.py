"""Benchmark of `eduplan backup` and `eduplan restore` on PostgreSQL for the 1,000-plan registry.

The registry is the one `bench_registry.py` builds: `--plans` fictional plans (40 tasks and 100
targets each, `eduplan.samples.many_plans`) imported by the real import service into a throwaway
PostgreSQL database (on ``--postgres-url``, default ``$EDUPLAN_TEST_POSTGRES_URL`` or the local
server), plus `--evidence` evidence-sized blobs (`--evidence-kb` each) stored as database rows, as
reports with attachments would leave them.  Then the real commands run as a deployment would run
them (`eduplan backup -o FILE`, then `eduplan restore FILE` into a second, empty database and an empty
data directory), each timed once, wall clock; the archive's size is printed and the restored
database's plans, tasks and blobs are counted against the original's.

Run: ``.venv/bin/python benchmarks/bench_backup.py [--plans 1000]`` (~4 minutes, most of it the import).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from bench_registry import build_registry, postgres_database
from eduplan.db import make_engine
from eduplan.db.blobs import Blob
from eduplan.db.plans import Plan
from eduplan.db.tasks import Task
from eduplan.samples.cluster import eduplan_command
from eduplan.samples.many_plans import write_plans
from eduplan.services import blobs

DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"


def counts(url: str) -> tuple[int, int, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as conn:
            return tuple(  # type: ignore[return-value]
                conn.scalar(select(func.count()).select_from(t)) or 0 for t in (Plan, Task, Blob)
            )
    finally:
        engine.dispose()


def add_evidence(url: str, count: int, size: int) -> None:
    """`count` distinct blobs of `size` bytes, as evidence files stored since revision 0014."""
    from eduplan.db import make_session_factory

    engine = make_engine(url)
    try:
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            for n in range(count):
                blobs.put(session, b"%PDF-1.4\n" + n.to_bytes(8, "big") + os.urandom(size))
    finally:
        engine.dispose()


def timed_command(args: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    done = subprocess.run([*eduplan_command(), *args], env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"eduplan {args[0]} failed: {done.stdout}{done.stderr}")
    print(f"  {done.stdout.strip().splitlines()[-1]}")
    return seconds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=1000)
    ap.add_argument("--evidence", type=int, default=200, help="evidence files stored as rows")
    ap.add_argument("--evidence-kb", type=int, default=256)
    ap.add_argument("--postgres-url", default=os.environ.get("EDUPLAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES))
    args = ap.parse_args()
    if shutil.which("pg_dump") is None:
        raise SystemExit("pg_dump is not installed (apt-get install postgresql-client)")
    work = Path(tempfile.mkdtemp(prefix="eduplan-bench-backup-"))
    try:
        with postgres_database(args.postgres_url) as url, postgres_database(args.postgres_url) as empty:
            write_plans(work / "plans", args.plans)
            t0 = time.perf_counter()
            build_registry("postgresql", url, work / "plans")
            add_evidence(url, args.evidence, args.evidence_kb * 1024)
            print(
                f"registry: {args.plans} plans + {args.evidence} × {args.evidence_kb} KB evidence "
                f"built in {time.perf_counter() - t0:.0f} s"
            )
            before = counts(url)
            archive = work / "backup.tar.gz"
            env = {**os.environ, "EDUPLAN_DATABASE_URL": url, "EDUPLAN_DATA_DIR": str(work / "data")}
            backup = timed_command(["backup", "-o", str(archive)], env)
            env = {**os.environ, "EDUPLAN_DATABASE_URL": empty, "EDUPLAN_DATA_DIR": str(work / "restored")}
            restore = timed_command(["restore", str(archive)], env)
            after = counts(empty)
            size = archive.stat().st_size / 1024 / 1024
            print(f"{'':2}{'step':10}{'seconds':>9}")
            print(f"{'':2}{'backup':10}{backup:>9.1f}   archive {size:.1f} MB")
            print(f"{'':2}{'restore':10}{restore:>9.1f}   plans/tasks/blobs {after} (original {before})")
            if after != before:
                raise SystemExit("the restored registry differs from the original")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
