"""Scaling out (issue 17): two real `eduplan serve` processes, each with a data directory of its own,
over one PostgreSQL database, behind Debian's nginx round-robin (`eduplan.samples.cluster`).  Every
request goes through the proxy and the backend that answered is read from ``X-Upstream``: a draft
uploaded on one server is confirmed on the other, evidence uploaded on one is downloaded from the
other, failed logins are counted across both, and the reminders both schedulers run at start are
sent once.  Neither data directory holds a stored file afterwards.

Skipped without nginx (``apt-get install nginx-light``; `.ci/run` installs it) or without
PostgreSQL (``EDUPLAN_TEST_POSTGRES_URL``).
"""

from __future__ import annotations

import json
import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx2 as httpx
import pytest
from sqlalchemy import func, select, text
from tests.conftest import POSTGRES_ENV, TEST_ARGON2, as_bytes, postgres_admin
from tests.web.pages.conftest import csrf_of

from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.migrate import upgrade
from eduplan.db.notifications import JobRun, Notification
from eduplan.db.plans import Plan
from eduplan.samples.cluster import Cluster, cluster, nginx_binary
from eduplan.samples.loop import World, build_world
from eduplan.samples.plan_text import sample_lines
from eduplan.services.accounts import Principal, UserCreate, create_user

PDF = b"%PDF-1.4\n% evidence uploaded through one server, read through the other\n%%EOF\n"
DRAFT = """示例市教育局2025年教育工作要点
一、扩大优质教育资源供给
1.推进学校建设。新增义务教育学位3000个。年内完成改扩建学校5所。
责任单位：基础教育科
2.推进集团化办学。新组建教育集团8个。
责任单位：基础教育科
"""
MAX_FAILURES = 3


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A new PostgreSQL database (UTF-8 aware collation), dropped at the end."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(f"{POSTGRES_ENV} is not set: two servers need one PostgreSQL database")
    if nginx_binary() is None:
        pytest.skip("nginx is not installed (apt-get install nginx-light): it is the tests' load balancer")
    found = postgres_admin()
    if isinstance(found, str):
        pytest.skip(found)
    admin = found[0]
    name = f"eduplan_scale_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(
            text(
                f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
            )
        )
    try:
        yield admin.url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        admin.dispose()


class Hooks(ThreadingHTTPServer):
    """A group robot standing in for DingTalk: keeps every message posted to it."""

    def __init__(self) -> None:
        self.received: list[str] = []
        hooks = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                hooks.received.append(json.loads(body)["text"]["content"])
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b'{"errcode":0}')

            def log_message(self, *_args: object) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)


@pytest.fixture(scope="module")
def deployment(
    database: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Cluster, World, Hooks]]:
    """The sample world in the database, an administrator, a robot; then two servers behind nginx."""
    engine = make_engine(database)
    try:
        upgrade(engine)
        sessions = make_session_factory(engine)
        settings = Settings(database_url=database, **TEST_ARGON2)  # type: ignore[arg-type]
        world = build_world(sessions, settings, as_bytes(sample_lines()))
        create_user(
            sessions,
            settings,
            Principal.system(),
            UserCreate("root", "admin", "管理员", password="Admin-Passw0rd!"),
        )
    finally:
        engine.dispose()
    hooks = Hooks()
    threading.Thread(target=hooks.serve_forever, daemon=True).start()
    env = {
        **{f"EDUPLAN_{k.upper()}": str(v) for k, v in TEST_ARGON2.items()},
        "EDUPLAN_LOGIN_MAX_FAILURES": str(MAX_FAILURES),
        "EDUPLAN_LOGIN_REFUSAL_DELAY_MS": "0",
        "EDUPLAN_WEBHOOK_URLS": json.dumps([f"http://127.0.0.1:{hooks.server_address[1]}/robot"]),
    }
    try:
        with cluster(database, tmp_path_factory.mktemp("cluster"), 2, env) as running:
            yield running, world, hooks
    finally:
        hooks.shutdown()


def upstream(response: httpx.Response) -> str:
    return response.headers["x-upstream"]


def next_goes_to(client: httpx.Client, backend: str) -> None:
    """Make the proxy's next request go to `backend` (round robin: after one served by the other)."""
    for _ in range(4):
        if upstream(client.get("/login")) != backend:
            return
    raise AssertionError("the proxy does not alternate between the servers")


@contextmanager
def signed_in(url: str, username: str, password: str) -> Iterator[httpx.Client]:
    """A browser through the proxy: its session cookie is good on either server."""
    with httpx.Client(base_url=url, follow_redirects=False, timeout=30) as client:
        response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
        assert response.status_code == 200, response.text
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
        yield client


def stored_files(running: Cluster) -> list[Path]:
    return [p for d in running.data_dirs for p in d.rglob("*") if p.is_file()]


def test_a_draft_uploaded_on_one_server_is_confirmed_on_the_other(
    deployment: tuple[Cluster, World, Hooks], database: str
) -> None:
    running, world, _hooks = deployment
    one, other = running.backends
    with signed_in(running.url, "office", world.password) as office:
        token = csrf_of(office.get("/plans/import").text)
        next_goes_to(office, one)
        sent = office.post(
            "/plans/import",
            data={"csrf_token": token, "org": ""},
            files={"file": ("示例市2025年教育工作要点.txt", DRAFT.encode(), "text/plain")},
        )
        assert sent.status_code == 303 and upstream(sent) == one, sent.text
        draft = sent.headers["location"]
        deadline = time.monotonic() + 30
        seen = set()
        while (progress := office.get(f"{draft}/progress.json")).json()["state"] == "parsing":
            seen.add(upstream(progress))
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert progress.json()["state"] == "ready"
        page = office.get(draft)  # the preview, from whichever server
        assert page.status_code == 200 and "推进集团化办学" in page.text
        next_goes_to(office, other)
        done = office.post(f"{draft}/confirm", data={"csrf_token": csrf_of(page.text)})
        assert done.status_code == 303 and upstream(done) == other, done.text
        plan = office.get(done.headers["location"])
        assert plan.status_code == 200 and "2025年教育工作要点" in plan.text
        assert office.get(draft).status_code == 404  # gone once imported, on both servers
        assert office.get(draft).status_code == 404
    engine = make_engine(database)
    try:
        with engine.connect() as conn:
            assert conn.scalar(select(func.count()).select_from(Plan).where(Plan.year == 2025)) == 1
    finally:
        engine.dispose()
    assert stored_files(running) == []  # nothing on either server's disk


def test_evidence_uploaded_on_one_server_is_downloaded_from_the_other(
    deployment: tuple[Cluster, World, Hooks],
) -> None:
    running, world, _hooks = deployment
    one, other = running.backends
    with signed_in(running.url, "jichu", world.password) as jichu:
        slot = f"/api/v1/items/{world.items['1']}/reports/{world.units['基础教育科']}/4"
        report = jichu.put(slot, json={"percent": 30, "narrative": "开工"})
        assert report.status_code == 200, report.text
        next_goes_to(jichu, one)
        added = jichu.post(
            f"/api/v1/reports/{report.json()['id']}/evidence",
            files={"file": ("开工证明.pdf", PDF, "application/pdf")},
        )
        assert added.status_code == 201 and upstream(added) == one, added.text
        next_goes_to(jichu, other)
        got = jichu.get(f"/api/v1/evidence/{added.json()['id']}")
        assert got.status_code == 200 and upstream(got) == other
        assert got.content == PDF and "attachment" in got.headers["content-disposition"]
    assert stored_files(running) == []


def test_failed_logins_are_counted_across_both_servers(deployment: tuple[Cluster, World, Hooks]) -> None:
    running, world, _hooks = deployment
    with httpx.Client(base_url=running.url, timeout=30) as stranger:
        served = []
        for _ in range(MAX_FAILURES):
            wrong = stranger.post(
                "/api/v1/auth/login", json={"username": "viewer", "password": "不对的密码-123"}
            )
            assert wrong.status_code == 401, wrong.text
            served.append(upstream(wrong))
        assert set(served) == set(running.backends)  # each server saw only part of the failures
        for _ in range(2):  # …and yet both refuse now, the right password too
            refused = stranger.post(
                "/api/v1/auth/login", json={"username": "viewer", "password": world.password}
            )
            assert refused.status_code == 429 and "Retry-After" in refused.headers
            served.append(upstream(refused))
        assert set(served[-2:]) == set(running.backends)


def test_each_reminder_is_sent_once(deployment: tuple[Cluster, World, Hooks], database: str) -> None:
    running, _world, hooks = deployment
    engine = make_engine(database)
    try:
        deadline = time.monotonic() + 30
        while True:  # both servers ran the reminder job as they started
            with engine.connect() as conn:
                runs = conn.execute(
                    select(JobRun.claimed_by, JobRun.finished_at).where(JobRun.job == "remind")
                ).all()
                digests = conn.scalars(
                    select(func.count(func.distinct(Notification.key))).where(Notification.kind == "digest")
                ).one()
            if runs and runs[0].finished_at is not None:
                break
            assert time.monotonic() < deadline, runs
            time.sleep(0.2)
    finally:
        engine.dispose()
    assert len(runs) == 1 and str(runs[0].claimed_by).endswith(tuple(f":{pid}" for pid in running.pids))
    # the sample plans of 2024 are overdue: a digest per plan, each posted to the robot once
    assert digests >= 1 and len(hooks.received) == digests
    assert len(set(hooks.received)) == len(hooks.received)
