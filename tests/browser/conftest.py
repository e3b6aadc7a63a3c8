"""Browser tests: a real `eduplan serve` on the demo data, driven by Debian's chromium via Playwright.

- `live_server` (session): the demo world (`samples.demo_site`, every account with the password
  `SAMPLE_PASSWORD`, already changed) built in a temporary folder, served by a real ``eduplan serve``
  process on a free loopback port with cheap argon2 settings; stopped at the end.
- `browser` (session): headless ``/usr/bin/chromium`` (Playwright cannot download its own here),
  without sandbox, GPU, background networking, component updates, sync or QUIC.  Without chromium
  the tests are skipped, except on CI (``CI=true``), where that is a failure.
- `page`: a fresh browser context at each width, 1366×768 (``desktop``) and 390×844 (``phone``,
  touch), so every journey runs at both.  Any request to a host other than the live server is
  aborted and recorded, and the test fails if one was attempted: the pages must work offline.
- `shot(name)`: a full-page PNG under ``test-artifacts/<test name>/``.
- `sign_in(page, server, username)`: through the login form (用户名 / 密码 / 登录); `field(page,
  label)` finds a form field by its label.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from eduplan.samples.cluster import free_port
from eduplan.samples.loop import SAMPLE_PASSWORD

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
CHEAP_ARGON2 = {
    "EDUPLAN_ARGON2_TIME_COST": "1",
    "EDUPLAN_ARGON2_MEMORY_KIB": "64",
    "EDUPLAN_ARGON2_PARALLELISM": "1",
}
VIEWPORTS: dict[str, dict[str, Any]] = {
    "desktop": {"viewport": {"width": 1366, "height": 768}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
}


@dataclass
class LiveServer:
    """A running `eduplan serve` on the demo data, and the demo's accounts (user → password)."""

    base_url: str
    data_dir: Path
    accounts: dict[str, str] = field(default_factory=dict)

    def url(self, path: str) -> str:
        return self.base_url + path


def _wait_until_up(url: str, proc: subprocess.Popen[bytes], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"eduplan serve exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"eduplan serve did not answer {url} within {seconds} s")


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    from eduplan.samples.demo_site import run_demo

    folder = tmp_path_factory.mktemp("browser-demo")
    with pytest.MonkeyPatch.context() as mp:
        for name, value in CHEAP_ARGON2.items():
            mp.setenv(name, value)
        result = run_demo(folder, password=SAMPLE_PASSWORD)
    port = free_port()
    env = {
        **os.environ,
        **CHEAP_ARGON2,
        "PYTHONPATH": str(ROOT / "src"),
        "EDUPLAN_DATA_DIR": str(result.data_dir),
        "EDUPLAN_DATABASE_URL": "",
        "EDUPLAN_SCHEDULER_MINUTES": "0",
    }
    log = (folder / "serve.log").open("wb")
    command = [sys.executable, "-m", "eduplan.cli", "serve", "--port", str(port)]
    proc = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=folder)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base + "/login", proc)
        yield LiveServer(base, result.data_dir, {a.username: a.password or "" for a in result.accounts})
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium fonts-wqy-microhei (.ci/run does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A page in a fresh context at one width; requests leaving the live server are refused."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", **VIEWPORTS[request.param])
    context.set_default_timeout(15_000)
    allowed = urlsplit(live_server.base_url).netloc
    outside: list[str] = []

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).netloc == allowed:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route(re.compile(r"^(https?|wss?)://"), guard)
    page = context.new_page()
    yield page
    context.close()
    assert outside == [], f"the page tried to reach the network: {outside}"


@pytest.fixture
def shot(request: pytest.FixtureRequest) -> Callable[[Any, str], Path]:
    """shot(page, name): a full-page screenshot under test-artifacts/<test name>/<name>.png."""
    folder = ARTIFACTS / re.sub(r"[^\w.\-\[\]]+", "_", request.node.name)

    def take(page: Any, name: str) -> Path:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page: Any, server: LiveServer, username: str, password: str | None = None) -> None:
    """Sign in through the login form and wait for the page it leads to."""
    page.goto(server.url("/login"))
    field(page, "用户名").fill(username)
    field(page, "密码").fill(password if password is not None else server.accounts[username])
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()


def field(page: Any, label: str) -> Any:
    """The form field of that label (the required mark * after it aside)."""
    return page.get_by_label(re.compile(rf"^{re.escape(label)}\s*\*?$"))


def autofocused(page: Any) -> str:
    """The id of the field the page's ``autofocus`` put the focus on.  The browser applies autofocus
    at its next rendering step, which on a busy machine comes after the load event that navigation
    waits for; so this waits for the focus to leave the page's body (and fails if it never does)."""
    page.wait_for_function("document.activeElement !== null && document.activeElement !== document.body")
    return str(page.evaluate("document.activeElement.id"))
