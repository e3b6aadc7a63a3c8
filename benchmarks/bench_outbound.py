"""Benchmark of outbound notices: what `emit` costs a use case, that a slow receiver costs it
nothing (the event is queued, not sent, in the use case), and how fast the sender empties the queue.

On the sample world (示例市, two plans open for monthly reports): 催办 issued (`issue_urge`, one
transaction with its inbox notices, audit entry and `emit`) with no subscription, with 10
subscriptions to ``urge.issued`` whose receiver answers at once, and with those 10 behind a receiver
that takes 200 ms per request; then `send_due` posting the queued deliveries to a local receiver
(signed, one at a time), in deliveries per second.  SQLite by default; ``--postgres-url URL`` (or
$EDUPLAN_TEST_POSTGRES_URL) on a throwaway PostgreSQL database.

Run: ``.venv/bin/python benchmarks/bench_outbound.py [--repeat 30]``.
"""

from __future__ import annotations

import http.server
import statistics
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path

from _timing import bench_arguments, p95, throwaway_postgres, timed
from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.engine import SessionFactory
from eduplan.db.migrate import upgrade
from eduplan.samples.loop import World, build_world
from eduplan.samples.plan_text import sample_lines
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.notify import subscriptions
from eduplan.services.notify.sender import send_due

SUBSCRIBERS = 10
SLOW_SECONDS = 0.2


@contextmanager
def receiver(delay: float) -> Iterator[str]:
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            time.sleep(delay)
            self.send_response(204)
            self.end_headers()

        def log_message(self, *_args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook"
    finally:
        server.shutdown()
        server.server_close()


def subscribe(sessions: SessionFactory, url: str) -> None:
    for n in range(SUBSCRIBERS):
        given = subscriptions.SubscriptionInput(f"系统{n}", url, ["urge.issued"])
        subscriptions.save_subscription(sessions, Principal.system(), given)


def urge_ms(sessions: SessionFactory, world: World, repeat: int) -> list[float]:
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    item = world.items["1"]
    times, _ = timed(lambda: loop.issue_urge(sessions, office, item, "请加快进度", "2024-06-10"), repeat)
    return times


def run(url: str, folder: Path, repeat: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    settings = Settings(
        database_url=url, data_dir=folder, argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1
    )
    world = build_world(sessions, settings, ("\n".join(sample_lines()) + "\n").encode("utf-8"))
    rows = [("no subscription", urge_ms(sessions, world, repeat))]
    with receiver(0.0) as fast, receiver(SLOW_SECONDS) as slow:
        subscribe(sessions, fast)
        rows.append((f"{SUBSCRIBERS} subscriptions", urge_ms(sessions, world, repeat)))
        send_due(sessions, settings)  # empty the queue before the slow receiver's turn
        with sessions.begin() as s:
            from sqlalchemy import update

            from eduplan.db.outbound import WebhookSubscription

            s.execute(update(WebhookSubscription).values(url=slow))
        rows.append(
            (
                f"{SUBSCRIBERS} subscriptions, receiver {SLOW_SECONDS * 1000:.0f} ms",
                urge_ms(sessions, world, repeat),
            )
        )
        with sessions.begin() as s:
            s.execute(update(WebhookSubscription).values(url=fast))
        for _ in range(repeat):
            loop.issue_urge(
                sessions,
                Principal(world.users["office"], "office", "office", world.org_id, "示例市", None),
                world.items["2"],
                "请答复",
                "2024-06-10",
            )
        start = time.perf_counter()
        sent = 0
        while True:
            report = send_due(sessions, settings)
            if not report.sent and not report.errors:
                break
            sent += report.count("webhook")
        seconds = time.perf_counter() - start
    print(f"issue_urge ({engine.dialect.name}, {repeat} runs):")
    for label, times in rows:
        print(f"  {label:<45} median {statistics.median(times):6.1f} ms   p95 {p95(times):6.1f} ms")
    print(f"send_due: {sent} signed deliveries in {seconds:.2f} s = {sent / seconds:.0f} per second")
    engine.dispose()


def main() -> None:
    args = bench_arguments(__doc__ or "", "repeat", 30)
    with tempfile.TemporaryDirectory() as tmp:
        run(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp), args.repeat)
        pg = throwaway_postgres(args.postgres_url) if args.postgres_url else nullcontext(None)
        with pg as url:
            if url:
                run(url, Path(tmp), args.repeat)


if __name__ == "__main__":
    main()
