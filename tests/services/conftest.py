"""The people most service tests act as (the office, two reporters of the sample world), and the local
servers the notification tests talk to: a minimal SMTP server and a webhook receiver, each on a free
loopback port in a thread, recording what they receive."""

from __future__ import annotations

import http.server
import socketserver
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from tests.people import person
from tests.services.receivers import http_thread

from eduplan.samples.loop import World
from eduplan.services.accounts import Principal


@pytest.fixture
def office(world: World) -> Principal:
    return person(world, "office", "office")


@pytest.fixture
def jichu(world: World) -> Principal:
    return person(world, "jichu", "reporter", "基础教育科")


@pytest.fixture
def guihua(world: World) -> Principal:
    return person(world, "guihua", "reporter", "发展规划科")


@dataclass
class Mailbox:
    """What the SMTP server received: (recipients, message) in order."""

    port: int
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)

    def to(self, address: str) -> list[EmailMessage]:
        return [m for rcpts, m in self.messages if address in rcpts]


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: EHLO, MAIL, RCPT, DATA, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        box: Mailbox = self.server.mailbox  # type: ignore[attr-defined]
        self.reply("220 eduplan-test ESMTP")
        recipients: list[str] = []
        while line := self.rfile.readline():
            command = line.decode("utf-8", "replace").strip()
            verb = command.split(" ", 1)[0].upper()
            if verb == "EHLO":
                self.reply("250-eduplan-test")
                self.reply("250 8BITMIME")
            elif verb == "MAIL":
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                message = message_from_bytes(data, policy=policy.default)
                box.messages.append((recipients, message))  # type: ignore[arg-type]
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


@pytest.fixture
def smtp() -> Iterator[Mailbox]:
    server = _Server(("127.0.0.1", 0), _SMTPHandler)
    server.mailbox = Mailbox(server.server_address[1])  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.mailbox  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()


@dataclass
class Hooks:
    url: str
    posts: list[bytes] = field(default_factory=list)


@pytest.fixture
def webhook() -> Iterator[Hooks]:
    hooks = Hooks("")

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            hooks.posts.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b'{"errcode":0}')

        def log_message(self, *_args: object) -> None:
            pass

    with http_thread(Handler) as base:
        hooks.url = f"{base}/robot/send"
        yield hooks
