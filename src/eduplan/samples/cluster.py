"""A scaled-out eduplan on one machine: several `eduplan serve` processes, each with a data directory
of its own, over one database, behind Debian's nginx as a round-robin proxy (issue 17).

The tests (`tests/web/test_scale_out.py`) run the user journeys through it and the benchmarks
(`benchmarks/bench_scale_out.py`) measure it.  nginx gets a configuration of its own in a temporary
folder (pid, logs and temporary files there; free loopback ports), so it never touches the
machine's nginx; every response carries the backend that answered in ``X-Upstream``.  The servers
are started together (the database must already be migrated and have an administrator, or two
first starts would both make one) and stopped with SIGINT, nginx with SIGQUIT.

Limits: loopback only, no TLS; `nginx_binary` is None where nginx is not installed
(``apt-get install nginx-light``).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

START_SECONDS = 60.0

NGINX_CONF = """\
worker_processes 1;
pid {work}/nginx.pid;
error_log {work}/error.log warn;
daemon off;
{user}
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {work}/body;
    proxy_temp_path {work}/proxy;
    fastcgi_temp_path {work}/fastcgi;
    uwsgi_temp_path {work}/uwsgi;
    scgi_temp_path {work}/scgi;
    client_max_body_size 64m;
    client_body_buffer_size 1m;
    upstream eduplan {{
{servers}
        keepalive 32;
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://eduplan;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_read_timeout 300s;
            add_header X-Upstream $upstream_addr always;
        }}
    }}
}}
"""


def nginx_binary() -> str | None:
    """nginx's executable (Debian installs it in /usr/sbin), or None."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def eduplan_command() -> list[str]:
    script = Path(sys.executable).with_name("eduplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]


@dataclass
class Cluster:
    """Where the proxy listens, and the backends behind it (``127.0.0.1:port``), in start order."""

    url: str
    backends: list[str]
    data_dirs: list[Path]
    pids: list[int] = field(default_factory=list)
    logs: list[Path] = field(default_factory=list)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return bool(response.status)
    except urllib.error.HTTPError:
        return True  # any answer of the application will do
    except OSError:
        return False


def _wait(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not _answers(url):
        if proc.poll() is not None:
            raise RuntimeError(f"{proc.args!r} exited with {proc.returncode}: {log.read_text()[-800:]}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not answer within {START_SECONDS:.0f} s: {log.read_text()[-800:]}")
        time.sleep(0.1)


@contextmanager
def _process(
    command: list[str], env: dict[str, str], log: Path, stop: int
) -> Iterator[subprocess.Popen[bytes]]:
    with log.open("wb") as out:
        proc = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        yield proc
    finally:
        if proc.poll() is None:
            proc.send_signal(stop)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def served(database_url: str, log: Path, env: dict[str, str] | None = None) -> Iterator[tuple[str, int]]:
    """One `eduplan serve` over `database_url` on a free loopback port, `env` added to ours, its
    output in `log`: (base URL, pid) once it answers; stopped with SIGINT on leaving."""
    port = free_port()
    command = [*eduplan_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
    server_env = {**os.environ, **(env or {}), "EDUPLAN_DATABASE_URL": database_url}
    with _process(command, server_env, log, signal.SIGINT) as proc:
        base = f"http://127.0.0.1:{port}"
        _wait(f"{base}/login", proc, log)
        yield base, proc.pid


@contextmanager
def cluster(
    database_url: str, work: Path, servers: int = 2, env: dict[str, str] | None = None, proxy: bool = True
) -> Iterator[Cluster]:
    """`servers` × `eduplan serve` over `database_url` (data directories ``work/data-N``) behind nginx
    (``proxy`` False: no nginx, `Cluster.url` is the first server); all stopped on leaving."""
    nginx = nginx_binary()
    if proxy and nginx is None:
        raise RuntimeError("nginx is not installed (apt-get install nginx-light)")
    work.mkdir(parents=True, exist_ok=True)
    ports = [free_port() for _ in range(servers)]
    base_env = {**os.environ, **(env or {}), "EDUPLAN_DATABASE_URL": database_url}
    found = Cluster("", [f"127.0.0.1:{p}" for p in ports], [work / f"data-{n}" for n in range(servers)])
    with ExitStack() as stack:
        procs = []
        for n, port in enumerate(ports):
            found.data_dirs[n].mkdir(exist_ok=True)
            log = work / f"serve-{n}.log"
            command = [*eduplan_command(), "serve", "--host", "127.0.0.1", "--port", str(port)]
            server_env = base_env | {"EDUPLAN_DATA_DIR": str(found.data_dirs[n])}
            proc = stack.enter_context(_process(command, server_env, log, signal.SIGINT))
            procs.append(proc)
            found.pids.append(proc.pid)
            found.logs.append(log)
        for proc, backend, log in zip(procs, found.backends, found.logs, strict=True):
            _wait(f"http://{backend}/login", proc, log)
        if not proxy:
            found.url = f"http://{found.backends[0]}"
            yield found
            return
        assert nginx is not None
        port = free_port()
        conf = work / "nginx.conf"
        upstreams = "\n".join(f"        server {b};" for b in found.backends)
        user = "user root root;" if os.geteuid() == 0 else ""
        conf.write_text(NGINX_CONF.format(work=work, user=user, servers=upstreams, port=port))
        log = work / "nginx.log"
        command = [nginx, "-c", str(conf), "-p", str(work), "-e", str(work / "error.log")]
        proc = stack.enter_context(_process(command, dict(os.environ), log, signal.SIGQUIT))
        found.url = f"http://127.0.0.1:{port}"
        _wait(f"{found.url}/login", proc, log)
        yield found
