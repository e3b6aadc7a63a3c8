"""Benchmark of the comparison API (对标) over a registry of N plans; prints one table.

Run with `.venv/bin/python benchmarks/bench_compare_api.py [--plans N] [--postgres]`.
A throwaway SQLite database (or, with ``--postgres``, a throwaway database on the server of
``$EDUPLAN_TEST_POSTGRES_URL``) gets N fictional plans (`eduplan.samples.many_plans`, 40 tasks
each) and the four plans of `eduplan.samples.compare_plans`; the import time per plan is printed
(it includes storing the topics).  Then each endpoint is called in-process (FastAPI TestClient,
Bearer token) over every plan: the first call ("cold") loads the plans and, for similar tasks and
distinctive, builds the similarity index; later calls ("warm", median of 5) find the corpus in the
cache.  A correction of a task's topics is timed too, and the cold call after it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sqlalchemy import text  # noqa: E402

from eduplan.config import Settings  # noqa: E402
from eduplan.db import make_engine, make_session_factory  # noqa: E402
from eduplan.db.migrate import upgrade  # noqa: E402
from eduplan.samples.compare_plans import import_compare_plans  # noqa: E402
from eduplan.samples.many_plans import plan_bytes, plan_title  # noqa: E402
from eduplan.services import accounts  # noqa: E402
from eduplan.services.accounts.users import UserCreate  # noqa: E402
from eduplan.services.registry import TaskFilter, import_document, list_tasks  # noqa: E402


def timed(call: Callable[[], object]) -> float:
    t0 = time.perf_counter()
    call()
    return (time.perf_counter() - t0) * 1000


def run(url: str, data_dir: Path, plans: int) -> list[tuple[str, str, str]]:
    from fastapi.testclient import TestClient

    from eduplan.web.app import create_app

    engine = make_engine(url)
    upgrade(engine)
    sessions = make_session_factory(engine)
    t0 = time.perf_counter()
    for i in range(plans):
        import_document(sessions, plan_bytes(i), f"{plan_title(i)}.txt")
    per_plan = (time.perf_counter() - t0) / max(plans, 1) * 1000
    ids = import_compare_plans(sessions)
    settings = Settings(
        database_url=url, data_dir=data_dir, argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1
    )
    new = accounts.create_user(
        sessions,
        settings,
        accounts.Principal.system(),
        UserCreate("bench", "admin", "基准", password="Xq7-Passw0rd!Long"),
    )
    user = accounts.Principal(new.user.id, "bench", "admin", None, None, None)
    token = accounts.create_token(sessions, user, "bench").secret
    task = next(t.id for t in list_tasks(sessions, TaskFilter(plan_id=ids["city2024"])).items)
    rows = [("import one plan (40 tasks, topics stored)", f"{per_plan:.0f} ms", "")]
    with TestClient(create_app(settings, engine=engine)) as client:
        client.headers["Authorization"] = f"Bearer {token}"

        def get(path: str, **params: object) -> Callable[[], object]:
            def call() -> object:
                response = client.get(path, params=params)  # type: ignore[arg-type]
                assert response.status_code == 200, response.text
                return response

            return call

        calls = {
            "GET /compare/matrix": get("/api/v1/compare/matrix"),
            "GET /compare/matrix/labor": get("/api/v1/compare/matrix/labor"),
            "GET /compare/tasks/{id}/similar": get(f"/api/v1/compare/tasks/{task}/similar"),
            "GET /compare/targets?min_plans=2": get("/api/v1/compare/targets", min_plans=2),
            "GET /compare/plans/{id}/distinctive": get(f"/api/v1/compare/plans/{ids['county']}/distinctive"),
            "GET /compare/plans/{id}/changes": get(f"/api/v1/compare/plans/{ids['city2024']}/changes"),
            "GET /compare/plans/{id}/consistency": get(
                f"/api/v1/compare/plans/{ids['five_year']}/consistency"
            ),
            "GET /tasks?topic=labor": get("/api/v1/tasks", topic="labor"),
        }
        for name, call in calls.items():
            cold = timed(call)
            warm = statistics.median(timed(call) for _ in range(5))
            rows.append((name, f"{cold:.0f} ms", f"{warm:.0f} ms"))
        export = get("/api/v1/compare/export.xlsx")
        rows.append(("GET /compare/export.xlsx (every plan)", f"{timed(export):.0f} ms", ""))
        put = timed(
            lambda: client.put(
                f"/api/v1/compare/tasks/{task}/topics", json={"topics": ["digital", "teaching"]}
            )
        )
        rows.append(("PUT /compare/tasks/{id}/topics", f"{put:.0f} ms", ""))
        rows.append(
            ("GET /compare/matrix after the correction", f"{timed(calls['GET /compare/matrix']):.0f} ms", "")
        )
    engine.dispose()
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--plans", type=int, default=100)
    parser.add_argument("--postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        if args.postgres:
            admin_url = os.environ.get(
                "EDUPLAN_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
            )
            admin = make_engine(admin_url, isolation_level="AUTOCOMMIT")
            name = f"eduplan_bench_{uuid.uuid4().hex[:8]}"
            with admin.connect() as conn:
                conn.execute(
                    text(
                        f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
                    )
                )
            try:
                rows = run(
                    admin.url.set(database=name).render_as_string(hide_password=False),
                    Path(folder),
                    args.plans,
                )
            finally:
                with admin.connect() as conn:
                    conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                admin.dispose()
        else:
            rows = run(f"sqlite:///{folder}/bench.db", Path(folder), args.plans)
    backend = "PostgreSQL" if args.postgres else "SQLite"
    print(f"comparison API over {args.plans + 4} plans ({backend})")
    print(f"{'figure':44} {'cold':>10} {'warm':>10}")
    for name, cold, warm in rows:
        print(f"{name:44} {cold:>10} {warm:>10}")


if __name__ == "__main__":
    main()
