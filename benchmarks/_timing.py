"""What the benchmarks share: a call timed `repeat` times after one warm-up (milliseconds) or its best time, the p95
of such times, a throwaway PostgreSQL database, dropped afterwards unless kept, a database migrated and filled
by a benchmark's own builder, and a benchmark run on SQLite and (given a server) PostgreSQL.

Limits: wall-clock time in this process (`time.perf_counter`), so the figures include whatever
else the machine runs; the p95 is a nearest-rank value, coarse over a few runs.  The throwaway
database is made from template0 with a C.UTF-8 collation, whatever the server's default.
"""

from __future__ import annotations

import argparse
import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from eduplan.config import Settings
    from eduplan.db.engine import SessionFactory

T = TypeVar("T")


def timed(call: Callable[[], T], repeat: int) -> tuple[list[float], T]:
    """Milliseconds of each of `repeat` calls after a warm-up call, and the last call's result."""
    result = call()  # warm-up (caches, query plans)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = call()
        times.append((time.perf_counter() - start) * 1000)
    return times, result


def best_seconds(call: Callable[[], object], repeat: int) -> float:
    """The best wall time (seconds) of `repeat` calls after a warm-up call."""
    times, _ = timed(call, repeat)
    return min(times) / 1000


def p95(times: list[float]) -> float:
    """The 95th percentile (nearest rank) of `times`."""
    return sorted(times)[int(0.95 * (len(times) - 1))]


@contextmanager
def throwaway_postgres(url: str, keep: bool = False) -> Iterator[str]:
    """The URL of a new, empty database on the server at `url`; dropped on leaving unless `keep`."""
    from sqlalchemy import text  # here, so that the benchmarks without a database load no SQLAlchemy

    from eduplan.db import make_engine

    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"eduplan_bench_{uuid.uuid4().hex[:8]}"
    try:
        with admin.connect() as conn:
            conn.execute(
                text(
                    f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
                )
            )
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        if not keep:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


def migrated_and_built(
    engine: Engine, url: str, build: Callable[[SessionFactory], T]
) -> tuple[SessionFactory, Settings, T, float]:
    """Migrate the empty database of `engine` (at `url`) and fill it with `build(sessions)`, PostgreSQL's planner
    statistics refreshed after it: the session factory, the settings, what `build` returned, and the seconds the
    filling took."""
    from sqlalchemy import text

    from eduplan.config import Settings
    from eduplan.db import make_session_factory
    from eduplan.db.migrate import upgrade

    upgrade(engine)
    sessions = make_session_factory(engine)
    settings = Settings(database_url=url)
    t0 = time.perf_counter()
    built = build(sessions)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    return sessions, settings, built, time.perf_counter() - t0


def on_both_backends(run: Callable[[str, str], bool], postgres_url: str | None) -> bool:
    """`run(name, url)` on a new SQLite file and, given the server at `postgres_url`, on a throwaway PostgreSQL
    database; whether every run met its target."""
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        ok = run("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}")
    if postgres_url:
        with throwaway_postgres(postgres_url) as url:
            ok = run("PostgreSQL", url) and ok
    return ok


def cpu_seconds(*pids: int) -> float:
    """User + system CPU time of processes so far, together (Linux /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


def bench_arguments(doc: str, option: str, default: int) -> argparse.Namespace:
    """The command line of a database benchmark (described by the first line of `doc`): a count
    ``--<option>`` (`default`) and ``--postgres-url``, by default $EDUPLAN_TEST_POSTGRES_URL (none: the
    SQLite figures only)."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument(f"--{option}", type=int, default=default)
    parser.add_argument("--postgres-url", default=os.environ.get("EDUPLAN_TEST_POSTGRES_URL"))
    return parser.parse_args()
