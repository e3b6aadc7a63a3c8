"""Benchmark of the plan registry at 1,000 plans / 40,000 tasks / 100,000 targets; prints one table.

Run with `make bench-registry` (or `.venv/bin/python benchmarks/bench_registry.py [--plans N]`).
  (a) import throughput: N fictional plans (`eduplan.samples.many_plans`, 40 tasks and 100 targets
      each) written as text files and imported by the real import service (`import_paths`, one
      transaction per file), on SQLite and on PostgreSQL;
  (b) a real `eduplan serve` process (uvicorn on 127.0.0.1, a free port) over that registry, loaded
      by 32 concurrent clients (threads, one keep-alive httpx client each) for a bounded time and
      number of requests per endpoint: tasks with two filters, search (a 2-character and a
      4-character query), the full Plan JSON of a plan; and, for scale, the smallest endpoint (one
      organisation: what the framework, the server and this client cost by themselves).  Each
      first paced (every client pauses 0.5 s on average before a request, as a busy reader), then
      saturated (no pause: the server's capacity, where latency is queueing, ≈ clients ÷ rate).
      p50/p95 latency, requests/s, error responses (anything but 200), the server's CPU use.
      Every request carries the API token of an account made after the import (``Authorization:
      Bearer``), as an integration reading the registry would.
PostgreSQL: a throwaway database (LC_CTYPE C.UTF-8, from template0) on the server of
``--postgres-url`` (default ``$EDUPLAN_TEST_POSTGRES_URL`` or the local one), dropped afterwards;
skipped when the server does not answer.
"""

from __future__ import annotations

import argparse
import itertools
import os
import shutil
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from _table import print_table, verdict
from _timing import cpu_seconds
from eduplan.samples.cluster import served as cluster_served

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres"
CLIENTS = 32
THINK = 0.5
P95_TARGET_MS = 50.0
IMPORT_TARGET = 50.0
Row = tuple[str, ...]


@dataclass
class Registry:
    """A database filled by the generator, and what the load needs to know about it."""

    backend: str
    url: str
    plans: int
    seconds: float
    plan_ids: list[int] = field(default_factory=list)
    org_ids: list[int] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    token: str = ""  # an API token (Bearer): every API route needs a signed-in user

    @property
    def rate(self) -> float:
        return self.plans / self.seconds if self.seconds else 0.0


@dataclass
class Load:
    """What one endpoint answered under load."""

    latencies: list[float]
    errors: int
    seconds: float
    server_cpu: float  # CPU seconds of the server process per wall second (1.0 = one core)
    statuses: dict[int, int] = field(default_factory=dict)

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


# -- building the registry -------------------------------------------------------------------------
def build_registry(backend: str, url: str, folder: Path) -> Registry:
    """Migrate the database at `url` and import every plan file of `folder` (timed)."""
    from sqlalchemy import func, select, text

    from eduplan.db import Base, make_engine, make_session_factory
    from eduplan.db.migrate import upgrade
    from eduplan.services.registry import import_paths

    engine = make_engine(url)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        t0 = time.perf_counter()
        outcomes = import_paths(sessions, [folder])
        seconds = time.perf_counter() - t0
        failed = [o for o in outcomes if not o.ok or o.result is None or not o.result.created]
        if failed:
            raise RuntimeError(f"{len(failed)} plans did not import: {failed[0].path}: {failed[0].error}")
        if engine.dialect.name == "postgresql":
            with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                # What autovacuum does soon after a bulk load (PostgreSQL 13+ vacuums insert-only
                # tables too): statistics for the planner, the visibility map for index-only scans;
                # done here so that it does not run during the load instead.
                conn.execute(text("VACUUM ANALYZE"))
        with sessions() as s:
            counts = {
                t.name: s.scalar(select(func.count()).select_from(t)) or 0
                for t in Base.metadata.sorted_tables
                if t.name in ("plans", "tasks", "targets")
            }
        token = reader_token(sessions)
    finally:
        engine.dispose()
    results = [o.result for o in outcomes if o.result is not None]
    return Registry(
        backend,
        url,
        len(outcomes),
        seconds,
        plan_ids=[r.plan_id for r in results],
        org_ids=sorted({r.org_id for r in results}),
        counts=counts,
        token=token,
    )


def reader_token(sessions: object) -> str:
    """The secret of an API token of a new account, as an integration reading the registry would use
    (an administrator: a reader of every organisation; the registry is read the same by any role)."""
    import secrets

    from eduplan.config import Settings
    from eduplan.services import accounts
    from eduplan.services.accounts.users import UserCreate

    password = secrets.token_urlsafe(24)
    new = accounts.create_user(
        sessions,  # type: ignore[arg-type]
        Settings(),
        accounts.Principal.system(),
        UserCreate("bench-reader", "admin", "基准测试读取账户", password=password),
    )
    user = accounts.Principal(new.user.id, new.user.username, "admin", None, None, None)
    return accounts.create_token(sessions, user, "bench").secret  # type: ignore[arg-type]


@contextmanager
def postgres_database(admin_url: str) -> Iterator[str]:
    """A throwaway database with a UTF-8 aware LC_CTYPE (pg_trgm needs it for Chinese), dropped after."""
    from sqlalchemy import text

    from eduplan.db import make_engine

    admin = make_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    name = f"eduplan_bench_{uuid.uuid4().hex[:12]}"
    try:
        with admin.connect() as conn:
            conn.execute(
                text(
                    f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
                )
            )
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        try:
            with admin.connect() as conn:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        finally:
            admin.dispose()


# -- the server ------------------------------------------------------------------------------------
@contextmanager
def served(url: str, log: Path) -> Iterator[tuple[str, int]]:
    """A real `eduplan serve` on a free loopback port over `url`: (base URL, pid); stopped after."""
    with cluster_served(url, log, {"PYTHONPATH": str(ROOT / "src")}) as running:
        yield running


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def run_load(
    base: str,
    pid: int,
    paths: list[str],
    seconds: float,
    max_requests: int,
    token: str,
    clients: int = CLIENTS,
    think: float = 0.0,
) -> Load:
    """`clients` threads, each with its own keep-alive client, request `paths` round-robin until
    `seconds` have passed or `max_requests` were sent, after a warm-up that is not counted.  With
    `think` > 0 each client pauses a random time (exponential, mean `think` s) before each request,
    as a person reading would; with 0 they send back to back (the server's capacity)."""
    import random

    import httpx2 as httpx

    counter = itertools.count()
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    errors = 0
    lock = threading.Lock()
    window = {"stop": 0.0, "t0": 0.0, "cpu0": 0.0}

    def open_window() -> None:  # runs once, when every client is warm
        window["cpu0"] = cpu_seconds(pid)
        window["t0"] = time.perf_counter()
        window["stop"] = window["t0"] + seconds

    start = threading.Barrier(clients, action=open_window)

    def client() -> None:
        nonlocal errors
        mine: list[float] = []
        seen: dict[int, int] = {}
        failed = 0
        pause = random.Random(threading.get_ident())
        with httpx.Client(base_url=base, headers=auth(token), timeout=30) as http:
            for path in paths[:4]:  # warm-up: connection, caches
                http.get(path)
            start.wait()
            stop_at = window["stop"]
            while time.perf_counter() < stop_at:
                if think:
                    time.sleep(min(pause.expovariate(1 / think), max(0.0, stop_at - time.perf_counter())))
                    if time.perf_counter() >= stop_at:
                        break
                k = next(counter)
                if k >= max_requests:
                    break
                t0 = time.perf_counter()
                try:
                    response = http.get(paths[k % len(paths)])
                    response.read()
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                mine.append(time.perf_counter() - t0)
                seen[status] = seen.get(status, 0) + 1
                failed += status != 200
        with lock:
            latencies.extend(mine)
            errors += failed
            for status, n in seen.items():
                statuses[status] = statuses.get(status, 0) + n

    threads = [threading.Thread(target=client, daemon=True) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - window["t0"]
    return Load(latencies, errors, wall, (cpu_seconds(pid) - window["cpu0"]) / wall, statuses)


# -- the requests ----------------------------------------------------------------------------------
UNITS = ("基础教育科", "教师工作科", "体卫艺科", "教育技术装备中心", "德育科", "计划财务科")


def endpoints(reg: Registry) -> dict[str, list[str]]:
    """The requests of each measured endpoint, spread over the registry's plans and organisations."""
    from urllib.parse import quote

    orgs, plans = reg.org_ids, reg.plan_ids
    step = max(1, len(plans) // 97)  # spread over the registry rather than walking it in order
    return {
        "baseline: one organisation": [f"/api/v1/orgs/{orgs[k % len(orgs)]}" for k in range(len(orgs))],
        "tasks ?org_id&unit": [
            f"/api/v1/tasks?org_id={orgs[k % len(orgs)]}&unit={quote(UNITS[k % len(UNITS)])}"
            for k in range(len(orgs) * len(UNITS))
        ],
        "tasks ?unit&has_target": [
            f"/api/v1/tasks?unit={quote(u)}&has_target=true&offset={50 * k}" for k in range(4) for u in UNITS
        ],
        "search 学前 (2 chars)": [f"/api/v1/search?q={quote('学前')}&offset={20 * k}" for k in range(8)],
        "search 智慧校园": [f"/api/v1/search?q={quote('智慧校园')}&offset={20 * k}" for k in range(8)],
        "plan document": [
            f"/api/v1/plans/{plans[(k * step) % len(plans)]}/document" for k in range(len(plans))
        ],
    }


def bench_backend(
    backend: str, url: str, folder: Path, work: Path, args: argparse.Namespace
) -> tuple[list[Row], list[Row]]:
    """Import rows and load rows of one database."""
    reg = build_registry(backend, url, folder)
    counts = f"{reg.counts['plans']} plans, {reg.counts['tasks']} tasks, {reg.counts['targets']} targets"
    target = IMPORT_TARGET if backend == "sqlite" else 0
    mark = verdict(reg.rate >= target, "MISS") if target else ""
    imports: list[Row] = [(backend, f"{reg.rate:.1f} plans/s", f"{reg.seconds:.1f} s", counts, mark)]
    loads: list[Row] = []
    with served(url, work / f"serve-{backend}.log") as (base, pid):
        for name, paths in endpoints(reg).items():
            load = (base, pid, paths, args.seconds, args.requests, reg.token, args.clients)
            paced = run_load(*load, args.think)
            full = run_load(*load)
            p95 = paced.percentile(95)
            errors = paced.errors + full.errors
            target_met = p95 < P95_TARGET_MS and errors == 0
            loads.append(
                (
                    backend,
                    name,
                    f"{paced.percentile(50):.1f}",
                    f"{p95:.1f}",
                    f"{paced.rate:.0f}",
                    f"{full.rate:.0f}",
                    f"{full.percentile(50):.0f}",
                    f"{full.percentile(95):.0f}",
                    str(errors),
                    f"{full.server_cpu:.2f}",
                    "" if name.startswith("baseline") else verdict(target_met, "MISS"),
                )
            )
    return imports, loads


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--plans", type=int, default=1000, help="plans in the registry (40 tasks each)")
    ap.add_argument("--clients", type=int, default=CLIENTS, help="concurrent clients")
    ap.add_argument("--seconds", type=float, default=6.0, help="load time per endpoint and mode")
    ap.add_argument("--think", type=float, default=THINK, help="mean pause of a paced client (s)")
    ap.add_argument("--requests", type=int, default=4000, help="most requests per endpoint")
    ap.add_argument(
        "--postgres-url",
        default=os.environ.get("EDUPLAN_TEST_POSTGRES_URL", DEFAULT_POSTGRES),
        help="server where a throwaway database is made ('' skips PostgreSQL)",
    )
    ap.add_argument("--only", choices=("sqlite", "postgresql"), help="one database only")
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    from eduplan.samples.many_plans import write_plans

    work = Path(tempfile.mkdtemp(prefix="eduplan-bench-registry-"))
    imports: list[Row] = [("database", "import", "time", "registry", "")]
    loads: list[Row] = [
        ("", "", "paced", "", "", "saturated", "", "", "", "", ""),
        (
            "database",
            "endpoint",
            "p50 ms",
            "p95 ms",
            "req/s",
            "req/s",
            "p50 ms",
            "p95 ms",
            "errors",
            "CPU",
            "",
        ),
    ]
    try:
        folder = work / "plans"
        write_plans(folder, args.plans)
        backends: list[tuple[str, Callable[[], object]]] = []
        if args.only in (None, "sqlite"):
            backends.append(("sqlite", lambda: _sqlite(work)))
        if args.only in (None, "postgresql") and args.postgres_url:
            backends.append(("postgresql", lambda: postgres_database(args.postgres_url)))
        for backend, make in backends:
            try:
                with make() as url:  # type: ignore[attr-defined]
                    i, ld = bench_backend(backend, url, folder, work, args)
                imports += i
                loads += ld
            except Exception as exc:  # one failing database must not hide the other's figures
                imports.append((backend, f"failed: {type(exc).__name__}: {exc}"[:120], "", "", "FAIL"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"import (target ≥ {IMPORT_TARGET:.0f} plans/s on SQLite)")
    print_table(imports)
    print(
        f"\n{args.clients} concurrent clients, each ≤ {args.seconds:.0f} s / {args.requests} requests: "
        f"paced (a pause of {args.think} s on average before each request), then saturated (no pause);\n"
        f"target: paced p95 < {P95_TARGET_MS:.0f} ms, 0 errors; CPU = server process, cores busy when saturated"
    )
    if len(loads) > 2:
        print_table(loads)


@contextmanager
def _sqlite(work: Path) -> Iterator[str]:
    yield f"sqlite:///{work / 'registry.db'}"


if __name__ == "__main__":
    main()
