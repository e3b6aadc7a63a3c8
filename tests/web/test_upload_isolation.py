"""A PDF bomb uploaded to a real server (uvicorn in a thread) fails with one clear line within the
configured time, while the server goes on answering the other users (services/sandbox.py)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import closing

import httpx2 as httpx
import pytest
import uvicorn
from sqlalchemy import Engine
from tests.readers.pdf_bombs import form_bomb

from eduplan.config import Settings
from eduplan.samples.cluster import free_port
from eduplan.web.app import create_app

PARSE_SECONDS = 4


@pytest.fixture
def base_url(engine: Engine, settings: Settings, admin_account: tuple[str, str]) -> Iterator[str]:
    if engine.dialect.name != "sqlite":
        pytest.skip("the database plays no part in reading an upload")
    app = create_app(settings.model_copy(update={"parse_seconds": PARSE_SECONDS}), engine=engine)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


def _signed_in(base_url: str, account: tuple[str, str]) -> httpx.Client:
    client = httpx.Client(base_url=base_url, timeout=30)
    response = client.post("/api/v1/auth/login", json={"username": account[0], "password": account[1]})
    assert response.status_code == 200, response.text
    client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return client


def test_bomb_fails_in_bounded_time_while_others_are_served(
    base_url: str, admin_account: tuple[str, str]
) -> None:
    answer: list[httpx.Response] = []
    took: list[float] = []

    def upload() -> None:
        with closing(_signed_in(base_url, admin_account)) as client:
            started = time.monotonic()
            files = {"file": ("bomb.pdf", form_bomb(), "application/pdf")}
            answer.append(client.post("/api/v1/imports", files=files))
            took.append(time.monotonic() - started)

    bomber = threading.Thread(target=upload)
    with closing(_signed_in(base_url, admin_account)) as other:
        bomber.start()
        time.sleep(0.5)
        latencies = []
        while bomber.is_alive():
            started = time.monotonic()
            assert other.get("/api/v1/plans").status_code == 200
            latencies.append(time.monotonic() - started)
            time.sleep(0.05)
        bomber.join()
    assert len(latencies) >= 10 and max(latencies) < 1.0, latencies
    response = answer[0]
    assert response.status_code == 413 and response.headers["content-type"].startswith("application/problem")
    assert response.json()["detail"].startswith(f"文件超出处理上限（读取超过 {PARSE_SECONDS} 秒）")
    assert took[0] < PARSE_SECONDS + 3
