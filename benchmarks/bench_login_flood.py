"""Benchmark of a login flood (issue 13): do signed-in users notice 16 clients hammering ``POST /login``?

Run with `.venv/bin/python benchmarks/bench_login_flood.py [--seconds 30] [--think 0.5]`.

A real `eduplan serve` (uvicorn on 127.0.0.1, a free port, default settings: argon2id at its
production cost, `login_concurrent_checks` 1) over a temporary SQLite registry holding the sample
world of 示例市 (`eduplan.samples.loop.build_world`: two plans opened for monthly reports, one
account per role).  32 user clients (threads, one keep-alive httpx client each, signed in through
``/api/v1/auth/login`` with their own session cookie) loop over the dashboard ``/``, their task list
``/my`` and a report save (``PUT /api/v1/items/{item}/reports/{unit}/{cycle}``, each client on a slot
of its own, CSRF header sent), pausing a random time (exponential, mean `--think` s) before each
request as a person working would.  Three phases of `--seconds` each:

  quiet      the users alone;
  flood-1    and 16 flooding clients posting the login form back to back (after fetching it for
             its CSRF token, as a script would), 3 in 4 with unknown names, 1 in 4 with real names
             and wrong passwords, all from one loopback address (127.0.0.2);
  flood-16   the same from 16 loopback addresses (127.0.0.10–25), each with its own allowance;
  quiet-2    the users alone again (the quiet figure is the mean of both quiet phases, so that the
             load of the rest of the machine, drifting during the run, weighs on both sides).

Printed: per phase the users' requests, p50/p95 latency and errors (anything but 200), the flood's
requests and its answers by status, the server's CPU use; and whether the users' p95 under flood
stays within 2× of the quiet figure.  Loopback addresses only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from _timing import cpu_seconds
from eduplan.samples.cluster import served as cluster_served

ROOT = Path(__file__).resolve().parents[1]
USERS = 32
FLOODERS = 16
RATIO = 2.0
REPORTERS = ("jichu", "xueqian", "guihua", "caiwu")


@dataclass
class Phase:
    name: str
    latencies: list[float] = field(default_factory=list)
    by_step: dict[str, list[float]] = field(default_factory=dict)
    errors: int = 0
    flood: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    cpu: float = 0.0

    def p(self, q: float, step: str | None = None) -> float:
        values = self.latencies if step is None else self.by_step.get(step, [])
        if not values:
            return float("nan")
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))] * 1000


def build(folder: Path) -> tuple[str, list[tuple[str, int, int]], str]:
    """The registry: its URL, the report slots (reporter, item, unit) and the users' password."""
    from sqlalchemy import select

    from eduplan.config import Settings
    from eduplan.db import make_engine, make_session_factory
    from eduplan.db.migrate import upgrade
    from eduplan.db.work import Assignment
    from eduplan.samples.loop import ACCOUNTS, build_world
    from eduplan.samples.plan_text import sample_lines

    url = f"sqlite:///{folder / 'flood.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    world = build_world(sessions, Settings(database_url=url), ("\n".join(sample_lines()) + "\n").encode())
    reporter_of = {world.units[unit]: name for name, (_, unit) in ACCOUNTS.items() if unit}
    with sessions() as session:
        pairs = session.execute(
            select(Assignment.item_id, Assignment.unit_id)
            .where(Assignment.unit_id.is_not(None))
            .order_by(Assignment.id)
        ).all()
    engine.dispose()
    slots = [(reporter_of[u], i, u) for i, u in pairs if u is not None and reporter_of.get(u) in REPORTERS]
    return url, slots, world.password


@contextmanager
def served(url: str, log: Path) -> Iterator[tuple[str, int]]:
    """`eduplan serve` on a free loopback port, no scheduler: (base URL, pid); stopped afterwards."""
    with cluster_served(url, log, {"EDUPLAN_SCHEDULER_MINUTES": "0"}) as running:
        yield running


def sign_in(base: str, name: str, password: str):
    """A client with a session of `name` (retrying while the server says 429)."""
    import httpx2 as httpx

    client = httpx.Client(base_url=base, timeout=30)
    for _ in range(50):
        answer = client.post("/api/v1/auth/login", json={"username": name, "password": password})
        if answer.status_code == 200:
            client.headers["X-CSRF-Token"] = answer.json()["csrf_token"]
            return client
        time.sleep(float(answer.headers.get("retry-after", "1")))
    raise RuntimeError(f"could not sign in {name}: {answer.status_code} {answer.text[:200]}")


class User:
    """One signed-in reporter working on its own report slot."""

    def __init__(self, base: str, name: str, password: str, item: int, unit: int, cycle: int) -> None:
        self.http = sign_in(base, name, password)
        self.slot = f"/api/v1/items/{item}/reports/{unit}/{cycle}"
        self.version: int | None = None
        self.steps = itertools.cycle(("dashboard", "tasks", "save"))
        self.n = 0
        for _ in range(3):  # warm-up, not measured: connection, caches, the report's first version
            self.step()

    def step(self) -> tuple[str, int]:
        what = next(self.steps)
        return what, self._do(what)

    def _do(self, what: str) -> int:
        if what == "dashboard":
            return self.http.get("/").status_code
        if what == "tasks":
            return self.http.get("/my").status_code
        self.n += 1
        body = {
            "version": self.version,
            "progress": "in_progress",
            "percent": self.n % 100,
            "narrative": f"第{self.n}次保存",
        }
        answer = self.http.put(self.slot, json=body)
        if answer.status_code == 200:
            self.version = answer.json()["version"]
        return answer.status_code


def flooder(
    base: str, address: str, names: list[str], stop: threading.Event, seen: dict[int, int], lock
) -> None:
    import re

    import httpx2 as httpx

    transport = httpx.HTTPTransport(local_address=address)
    rng = random.Random(address)
    with httpx.Client(base_url=base, transport=transport, timeout=30) as http:
        token = re.search(r'name="login_csrf" value="([^"]+)"', http.get("/login").text)
        form_token = token.group(1) if token else ""
        mine: dict[int, int] = {}
        while not stop.is_set():
            name = rng.choice(names) if rng.random() < 0.25 else f"nobody{rng.randrange(10**9)}"
            data = {
                "username": name,
                "password": f"Guess-{rng.randrange(10**9)}",
                "login_csrf": form_token,
                "next": "/",
            }
            try:
                status = http.post("/login", data=data).status_code
            except httpx.HTTPError:
                status = 0
            mine[status] = mine.get(status, 0) + 1
    with lock:
        for status, n in mine.items():
            seen[status] = seen.get(status, 0) + n


def flood_process(base: str, addresses: list[str], names: list[str], seconds: float, out) -> None:
    """The flood, in a process of its own (its threads must not take the users' clients' GIL)."""
    seen: dict[int, int] = {}
    lock = threading.Lock()
    stop = threading.Event()
    threads = [
        threading.Thread(target=flooder, args=(base, a, names, stop, seen, lock), daemon=True)
        for a in addresses
    ]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    out.put(seen)


def run_phase(
    name: str,
    base: str,
    pid: int,
    users: list[User],
    seconds: float,
    think: float,
    flood: list[str],
    names: list[str],
) -> Phase:
    import multiprocessing

    phase = Phase(name)
    lock = threading.Lock()
    context = multiprocessing.get_context("spawn")
    results = context.Queue()
    flooding = (
        context.Process(target=flood_process, args=(base, flood, names, seconds, results)) if flood else None
    )
    if flooding is not None:
        flooding.start()
        time.sleep(1.0)  # the process starts and fetches its forms before the users' window opens
    t0 = time.perf_counter()
    cpu0 = cpu_seconds(pid)
    end = t0 + seconds - (1.0 if flooding is not None else 0.0)

    def work(user: User) -> None:
        pause = random.Random(id(user))
        mine: list[tuple[str, float]] = []
        failed = 0
        while True:
            time.sleep(pause.expovariate(1 / think) if think else 0)
            if time.perf_counter() >= end:
                break
            start = time.perf_counter()
            try:
                what, status = user.step()
            except Exception:
                what, status = "error", 0
            mine.append((what, time.perf_counter() - start))
            failed += status != 200
        with lock:
            for what, took in mine:
                phase.latencies.append(took)
                phase.by_step.setdefault(what, []).append(took)
            phase.errors += failed

    workers = [threading.Thread(target=work, args=(u,), daemon=True) for u in users]
    for t in workers:
        t.start()
    for t in workers:
        t.join()
    phase.seconds = time.perf_counter() - t0
    phase.cpu = (cpu_seconds(pid) - cpu0) / phase.seconds
    if flooding is not None:
        phase.flood = results.get(timeout=120)
        flooding.join()
    return phase


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    parser.add_argument("--think", type=float, default=0.5, help="mean pause of a user before a request (s)")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "src"))
    with tempfile.TemporaryDirectory(prefix="eduplan-flood-") as tmp:
        folder = Path(tmp)
        t0 = time.perf_counter()
        url, slots, password = build(folder)
        print(
            f"registry: sample world, {len(slots)} report slots of {len(REPORTERS)} reporters ({time.perf_counter() - t0:.1f} s)"
        )
        with served(url, folder / "serve.log") as (base, pid):
            users = [
                User(base, reporter, password, item, unit, cycle=k // len(slots))
                for k, (reporter, item, unit) in ((k, slots[k % len(slots)]) for k in range(USERS))
            ]
            names = ["office", "admin2", "leader", "viewer", *REPORTERS]
            phases = [
                run_phase("quiet", base, pid, users, args.seconds, args.think, [], names),
                run_phase(
                    "flood-1", base, pid, users, args.seconds, args.think, ["127.0.0.2"] * FLOODERS, names
                ),
                run_phase(
                    "flood-16",
                    base,
                    pid,
                    users,
                    args.seconds,
                    args.think,
                    [f"127.0.0.{10 + i}" for i in range(FLOODERS)],
                    names,
                ),
                run_phase("quiet-2", base, pid, users, args.seconds, args.think, [], names),
            ]
            for u in users:
                u.http.close()
    quiet = (phases[0].p(95) + phases[-1].p(95)) / 2  # before and after: the machine's drift evens out
    print(
        f"{USERS} users (think {args.think} s), {FLOODERS} flooding clients, {args.seconds:.0f} s per phase"
    )
    print(
        f"{'phase':<9} {'user req':>8} {'p50 ms':>7} {'p95 ms':>7} {'errors':>6}  {'p95 dash/tasks/save':<20}"
        f"  {'flood req':>9}  flood answers        cpu"
    )
    for ph in phases:
        answers = " ".join(f"{s}:{n}" for s, n in sorted(ph.flood.items())) or "-"
        steps = "/".join(f"{ph.p(95, step):.0f}" for step in ("dashboard", "tasks", "save"))
        print(
            f"{ph.name:<9} {len(ph.latencies):>8} {ph.p(50):>7.1f} {ph.p(95):>7.1f} {ph.errors:>6}  {steps:<20}"
            f"  {sum(ph.flood.values()):>9}  {answers:<20} {ph.cpu:.2f}"
        )
    print(f"quiet p95 (mean of the phases before and after the floods): {quiet:.1f} ms")
    for ph in phases[1:-1]:
        ratio = ph.p(95) / quiet if quiet else float("nan")
        verdict = "ok" if ratio <= RATIO and ph.errors == 0 else "MISS"
        print(
            f"{ph.name}: users' p95 {ratio:.2f}× the quiet figure (bar ≤ {RATIO:.0f}×, no errors): {verdict}"
        )


if __name__ == "__main__":
    main()
