"""`eduplan demo`: builds a living registry once per directory, prints the logins, and serves it
(the served test runs the real command as its own process on a port that is taken, so it must
fall back to a free one)."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.db import make_engine, make_session_factory
from eduplan.samples.demo_site import demo_settings
from eduplan.services.accounts import login
from eduplan.services.clock import today
from eduplan.services.errors import Unauthenticated
from eduplan.services.registry import list_plans

from .conftest import SRC

CHEAP = {
    "EDUPLAN_ARGON2_TIME_COST": "1",
    "EDUPLAN_ARGON2_MEMORY_KIB": "64",
    "EDUPLAN_ARGON2_PARALLELISM": "1",
}
runner = CliRunner()


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in CHEAP.items():
        monkeypatch.setenv(name, value)


def admin_password(output: str) -> str:
    found = re.search(r"管理员 administrator: admin  密码 password: (\S+)", output)
    assert found, output
    return found.group(1)


def plan_titles(folder: Path) -> list[str]:
    engine = make_engine(demo_settings(folder).database_url)
    try:
        return sorted(p.title for p in list_plans(make_session_factory(engine)).items)
    finally:
        engine.dispose()


def signs_in(folder: Path, username: str, password: str) -> bool:
    settings = demo_settings(folder)
    engine = make_engine(settings.database_url)
    try:
        return login(make_session_factory(engine), settings, username, password).user.must_change_password
    finally:
        engine.dispose()


def test_no_serve_builds_this_years_demo_and_prints_the_logins(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = runner.invoke(app, ["demo", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    year = today("Asia/Shanghai").year
    assert f"示例市教育局{year}年教育工作要点" in plan_titles(folder)
    assert (folder / "示例市教育工作要点.docx").is_file() and (folder / "台账.xlsx").is_file()
    assert "http://127.0.0.1:8000/login" in result.stdout
    for account in ("leader", "office", "viewer", "jichu", "jiaqu"):
        assert re.search(rf"^  {account} +\S{{16}} ", result.stdout, re.M), account
    assert signs_in(folder, "admin", admin_password(result.stdout))  # one-time: must change it


def test_second_run_reuses_the_data_with_fresh_one_time_passwords(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    first = runner.invoke(app, ["demo", str(folder), "--no-serve"])
    titles = plan_titles(folder)
    second = runner.invoke(app, ["demo", str(folder), "--no-serve"])
    assert second.exit_code == 0, second.output
    assert "沿用已有示例数据" in second.stdout
    assert plan_titles(folder) == titles  # nothing duplicated
    old, new = admin_password(first.stdout), admin_password(second.stdout)
    assert old != new and signs_in(folder, "admin", new)
    with pytest.raises(Unauthenticated):
        signs_in(folder, "admin", old)


def test_host_every_interface_tells_where_colleagues_open_it(tmp_path: Path) -> None:
    assert "--host" in runner.invoke(app, ["demo", "--help"], terminal_width=200).stdout
    result = runner.invoke(app, ["demo", str(tmp_path / "demo"), "--no-serve", "--host", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    assert "打开 open:  http://127.0.0.1:8000/login" in result.stdout  # this machine
    assert f"局域网 LAN:  http://{socket.gethostname()}:8000/login" in result.stdout  # the colleagues
    plain = runner.invoke(app, ["demo", str(tmp_path / "demo"), "--no-serve"])
    assert "局域网" not in plain.stdout  # loopback only by default: say nothing about the network


def test_serves_on_a_free_port_when_the_asked_one_is_taken(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, **CHEAP, "PYTHONPATH": str(SRC), "EDUPLAN_SCHEDULER_MINUTES": "0"}
        command = [sys.executable, "-m", "eduplan.cli", "demo", str(tmp_path / "demo"), "--port", str(port)]
        proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env, text=True)
        try:
            lines: list[str] = []
            assert proc.stdout is not None
            while not any(line.startswith("打开 open:") for line in lines):
                line = proc.stdout.readline()
                assert line, "".join(lines)
                lines.append(line)
            url = lines[-1].split()[-1]
            assert f":{port}/" not in url
            page = wait_for(url)
            assert "登录" in page and "用户名" in page
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def wait_for(url: str, seconds: float = 60) -> str:
    """The page at `url` once the server answers."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return str(response.read().decode("utf-8"))
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)
