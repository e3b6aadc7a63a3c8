"""Benchmark of scaling out (issue 17): requests/s and p95 of the dashboard, the task list and a report
save with one `eduplan serve` process and with two behind nginx, on PostgreSQL; prints one table and
the two-to-one ratio.

The registry is `bench_dashboard.py`'s (`--plans` plans of 基准市 and its districts, opened for 2024,
`--reports` progress reports written in bulk); its accounts are made here: the city's leader (the
dashboard, ``GET /`` — kept between views while nothing changes, as a leader rereads it), its office
(the task list of a plan, ``GET /api/v1/items?plan_id=…``, spread over the plans), and one reporter per
unit of `--clients` tasks (each client saves its own draft over and over, ``PUT
/api/v1/items/{item}/reports/{unit}/11`` with the version it read: a real write, audited).  Every
client is a thread with a keep-alive httpx client signed in with its own session cookie; `--clients`
of them send back to back for `--seconds` after a warm-up (saturated: the capacity, latency is
queueing).  Three set-ups on the same database: one process reached directly, one process behind
nginx, two processes (separate data directories) behind nginx round-robin (`samples.cluster`), in
`--rounds` rounds of alternating order, the best round of each set-up shown (other jobs on the
machine only ever slow a round down).

Limits: one machine — PostgreSQL, nginx, the servers and this load generator share its cores, so the
ratio says what a second process gains here, not on two machines; the load generator is Python
(a few thousand requests/s at most).  Run: ``.venv/bin/python benchmarks/bench_scale_out.py``
(~3 minutes to build 100 plans, then ~2 minutes of load).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx2 as httpx
from sqlalchemy import delete, select

from _timing import cpu_seconds, throwaway_postgres
from bench_dashboard import CITY, PASSWORD, build
from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.work import Assignment, ReportingSchedule, WorkItem
from eduplan.samples.cluster import cluster, nginx_binary
from eduplan.services.accounts import Principal, UserCreate, create_user
from eduplan.services.loop import report_slots
from eduplan.services.tracking import rollups

CHEAP = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}
CYCLE = 11  # December 2024 of the monthly plans: the slots the reporters save


@dataclass
class World:
    plan_ids: list[int]
    slots: list[tuple[int, int, str]] = field(default_factory=list)  # item, unit, reporter


def prepare(url: str, plans: int, reports: int, clients: int) -> World:
    """The registry, and the accounts and report slots of the load."""
    engine = make_engine(url)
    try:
        build(engine, plans, reports)
        sessions = make_session_factory(engine)
        settings = Settings(database_url=url, **CHEAP)  # type: ignore[arg-type]
        system = Principal.system()
        with sessions() as s:
            city = s.scalars(select(Organisation.id).where(Organisation.path == CITY)).one()
            plan_ids = list(s.scalars(select(Plan.id).where(Plan.org_id == city).order_by(Plan.id)))
            monthly = select(ReportingSchedule.plan_id).where(ReportingSchedule.cycle == "monthly")
            rows = s.execute(
                select(Assignment.item_id, Assignment.unit_id, Unit.name)
                .join(WorkItem, Assignment.item_id == WorkItem.id)
                .join(Unit, Assignment.unit_id == Unit.id)
                .where(WorkItem.org_id == city, WorkItem.plan_id.in_(monthly), Unit.org_id == city)
                .order_by(WorkItem.id, Assignment.unit_id)
            ).all()
        for role in ("leader", "office"):
            create_user(
                sessions, settings, system, UserCreate(f"bench-{role}", role, role, city, None, PASSWORD)
            )
        world = World(plan_ids)
        seen_items: set[int] = set()
        reporters: dict[int, str] = {}
        for item_id, unit_id, _name in rows:
            if unit_id is None or item_id in seen_items or len(world.slots) >= clients:
                continue
            seen_items.add(item_id)
            if unit_id not in reporters:
                reporters[unit_id] = f"bench-r{unit_id}"
                new = UserCreate(reporters[unit_id], "reporter", reporters[unit_id], city, unit_id, PASSWORD)
                create_user(sessions, settings, system, new)
            world.slots.append((item_id, unit_id, reporters[unit_id]))
        with engine.begin() as conn:  # the saved slots start empty (a fixture write, then the summaries)
            items = [item for item, _u, _r in world.slots]
            conn.execute(
                delete(ProgressReport).where(ProgressReport.item_id.in_(items), ProgressReport.cycle == CYCLE)
            )
            report_slots.rebuild(conn, items)
            rollups.rebuild(conn)
        return world
    finally:
        engine.dispose()


def sign_in(base: str, username: str) -> httpx.Client:
    client = httpx.Client(base_url=base, timeout=60)
    answer = client.post("/api/v1/auth/login", json={"username": username, "password": PASSWORD})
    answer.raise_for_status()
    client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
    return client


@dataclass
class Load:
    latencies: list[float]
    errors: int
    seconds: float
    cpu: float = 0.0  # cores the server processes used meanwhile

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def pct(self, p: float) -> float:
        ordered = sorted(self.latencies) or [float("nan")]
        return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))] * 1000


Request = Callable[[httpx.Client, int], httpx.Response]


def run_load(clients: list[httpx.Client], request: Request, seconds: float, pids: list[int]) -> Load:
    """Every client sends `request` back to back for `seconds` after two warm-up requests."""
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    window: dict[str, float] = {}

    def opened() -> None:
        window["cpu0"] = cpu_seconds(*pids)
        window["t0"] = time.perf_counter()
        window["stop"] = window["t0"] + seconds

    start = threading.Barrier(len(clients), action=opened)

    def work(n: int, http: httpx.Client) -> None:
        nonlocal errors
        mine: list[float] = []
        failed = 0
        for _ in range(2):
            request(http, n)
        start.wait()
        while time.perf_counter() < window["stop"]:
            t0 = time.perf_counter()
            try:
                ok = request(http, n).status_code == 200
            except httpx.HTTPError:
                ok = False
            mine.append(time.perf_counter() - t0)
            failed += not ok
        with lock:
            latencies.extend(mine)
            errors += failed

    threads = [threading.Thread(target=work, args=(n, c)) for n, c in enumerate(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - window["t0"]
    return Load(latencies, errors, wall, (cpu_seconds(*pids) - window["cpu0"]) / wall)


def measure(base: str, pids: list[int], world: World, clients: int, seconds: float) -> dict[str, Load]:
    out: dict[str, Load] = {}
    leaders = [sign_in(base, "bench-leader") for _ in range(clients)]
    out["dashboard"] = run_load(leaders, lambda h, _n: h.get("/"), seconds, pids)
    offices = [sign_in(base, "bench-office") for _ in range(clients)]
    plans = world.plan_ids
    count = iter(range(10**9))
    out["task list"] = run_load(
        offices,
        lambda h, _n: h.get(f"/api/v1/items?plan_id={plans[next(count) % len(plans)]}"),
        seconds,
        pids,
    )
    slots = world.slots[:clients]
    reporters = [sign_in(base, reporter) for _i, _u, reporter in slots]
    versions: dict[int, int | None] = {}

    def save(http: httpx.Client, n: int) -> httpx.Response:
        item, unit, _r = slots[n]
        if n not in versions:  # the draft an earlier set-up saved, if any
            found = http.get(f"/api/v1/items/{item}/reports").json()
            mine = [r["version"] for r in found if r["unit_id"] == unit and r["cycle"] == CYCLE]
            versions[n] = mine[0] if mine else None
        body = {"version": versions[n], "percent": float(time.monotonic_ns() % 90), "narrative": "按计划推进"}
        answer = http.put(f"/api/v1/items/{item}/reports/{unit}/{CYCLE}", json=body)
        if answer.status_code == 200:
            versions[n] = answer.json()["version"]
        return answer

    out["report save"] = run_load(reporters, save, seconds, pids)
    for c in [*leaders, *offices, *reporters]:
        c.close()
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--plans", type=int, default=100)
    ap.add_argument("--reports", type=int, default=100_000)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--seconds", type=float, default=10.0)
    ap.add_argument("--rounds", type=int, default=2, help="rounds over the set-ups (best of each is shown)")
    ap.add_argument(
        "--postgres-url",
        default=os.environ.get("EDUPLAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
    )
    args = ap.parse_args()
    if nginx_binary() is None:
        raise SystemExit("nginx is not installed (apt-get install nginx-light)")
    with throwaway_postgres(args.postgres_url) as url, tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        world = prepare(url, args.plans, args.reports, args.clients)
        print(
            f"registry: {args.plans} plans, {args.reports} reports, built in {time.perf_counter() - t0:.0f} s; "
            f"{args.clients} clients × {args.seconds:.0f} s per endpoint, saturated, best of {args.rounds} rounds"
        )
        env = {"EDUPLAN_SCHEDULER_MINUTES": "0", **{f"EDUPLAN_{k.upper()}": str(v) for k, v in CHEAP.items()}}
        setups = (
            ("1 process, direct", 1, False),
            ("1 process + nginx", 1, True),
            ("2 processes + nginx", 2, True),
        )
        results: dict[str, dict[str, Load]] = {}
        for round_ in range(args.rounds):  # alternate the order; keep each set-up's best round
            for name, servers, proxy in setups if round_ % 2 == 0 else reversed(setups):
                folder = Path(tmp) / f"{round_}-{name.replace(' ', '-').replace(',', '')}"
                with cluster(url, folder, servers, env, proxy) as running:
                    got = measure(running.url, running.pids, world, args.clients, args.seconds)
                best = results.setdefault(name, got)
                for endpoint, load in got.items():
                    if load.rate > best[endpoint].rate:
                        best[endpoint] = load
        print(f"{'set-up':22}{'endpoint':13}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'errors':>8}{'CPU':>6}")
        for name, loads in results.items():
            for endpoint, load in loads.items():
                print(
                    f"{name:22}{endpoint:13}{load.rate:>8.1f}{load.pct(50):>9.0f}{load.pct(95):>9.0f}{load.errors:>8}{load.cpu:>6.2f}"
                )
        one, two = results["1 process + nginx"], results["2 processes + nginx"]
        ratios = ", ".join(f"{e} ×{two[e].rate / one[e].rate:.2f}" for e in one)
        print(f"two processes / one (both behind nginx): {ratios}")


if __name__ == "__main__":
    main()
