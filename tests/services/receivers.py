"""A real HTTP receiver for the outbound tests: a tiny `http.server` in a thread on a free loopback
port that records every POST (path, query, headers, body) and answers from a script — each answer
a (status, body) pair, the last repeated — or by a `judge` that looks at the request (to check a
signature, as DingTalk or a subscriber would)."""

from __future__ import annotations

import http.server
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class Received:
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes


Answer = tuple[int, bytes]
OK = (200, b'{"errcode":0,"errmsg":"ok"}')


@dataclass
class Receiver:
    url: str = ""
    answers: list[Answer] = field(default_factory=lambda: [OK])
    judge: Callable[[Received], Answer] | None = None
    got: list[Received] = field(default_factory=list)

    def answer(self, request: Received) -> Answer:
        if self.judge is not None:
            return self.judge(request)
        index = min(len(self.got) - 1, len(self.answers) - 1)
        return self.answers[index]


@contextmanager
def http_thread(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """A threaded HTTP server on a free loopback port answering with `handler`: its base URL;
    shut down on leaving."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def receiver(
    answers: list[Answer] | None = None, judge: Callable[[Received], Answer] | None = None
) -> Iterator[Receiver]:
    """Start a receiver; its `url` ends in /hook."""
    box = Receiver(answers=answers or [OK], judge=judge)
    lock = threading.Lock()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            parts = urllib.parse.urlsplit(self.path)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            request = Received(
                parts.path,
                dict(urllib.parse.parse_qsl(parts.query)),
                {k.lower(): v for k, v in self.headers.items()},
                body,
            )
            with lock:
                box.got.append(request)
                status, answer = box.answer(request)
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(answer)))
            self.end_headers()
            self.wfile.write(answer)

        def log_message(self, *_args: object) -> None:
            pass

    with http_thread(Handler) as base:
        box.url = f"{base}/hook"
        yield box
