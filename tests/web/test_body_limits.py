"""Request bodies (issue 13, finding 2): without a session a body is refused before a byte is
read, and every body is capped by route — by its Content-Length, or while a chunked body streams
in — and reading stops at the cap.  The ASGI calls below count what the application pulled."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import anyio
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from eduplan.config import Settings
from eduplan.web.body_limits import FORM_CAP, LOGIN_CAP, MULTIPART_OVERHEAD

CHUNK = 64 * 1024


@dataclass
class Sent:
    status: int = 0
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    pulled: int = 0
    """Bytes of the request body the application asked for."""


def call(app: FastAPI, path: str, size: int, headers: dict[str, str], declare: bool = True) -> Sent:
    """POST `size` bytes to `path` in 64 KB chunks, with a Content-Length or chunked."""
    sent = Sent()
    raw = {k.lower(): v for k, v in headers.items()}
    raw["content-type"] = raw.get("content-type", "application/x-www-form-urlencoded")
    if declare:
        raw["content-length"] = str(size)
    else:
        raw["transfer-encoding"] = "chunked"
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(k.encode(), v.encode()) for k, v in raw.items()],
        "client": ("127.0.0.1", 1),
        "server": ("testserver", 80),
        "app": app,
        "state": {},
    }
    left = size

    async def receive() -> dict[str, object]:
        nonlocal left
        if left <= 0:
            return {"type": "http.disconnect"}
        part = min(CHUNK, left)
        left -= part
        sent.pulled += part
        return {"type": "http.request", "body": b"a" * part, "more_body": left > 0}

    async def send(message: dict[str, object]) -> None:
        if message["type"] == "http.response.start":
            sent.status = int(message["status"])  # type: ignore[call-overload]
            sent.headers = {k.decode(): v.decode() for k, v in message["headers"]}  # type: ignore[attr-defined]
        elif message["type"] == "http.response.body":
            sent.body += message.get("body", b"")  # type: ignore[operator]

    # on a thread of its own: the browser tests (Playwright's sync API) keep a loop running in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(anyio.run, app, scope, receive, send).result()
    return sent


BIG = 300 * 1024 * 1024


@pytest.mark.parametrize(
    "path", ["/my/report", "/rectifications/1/measures", "/plans/import", "/items/1/comments"]
)
def test_no_session_no_body_for_pages(app: FastAPI, path: str) -> None:
    for declare in (True, False):
        sent = call(app, path, BIG, {}, declare)
        assert (sent.status, sent.pulled) == (303, 0), (path, declare)
        assert sent.headers["location"].startswith("/login")


@pytest.mark.parametrize(
    "path", ["/api/v1/imports", "/api/v1/reports/1/evidence", "/api/v1/items/1/comments"]
)
def test_no_session_no_body_for_the_api(app: FastAPI, path: str) -> None:
    sent = call(app, path, BIG, {"content-type": "multipart/form-data; boundary=x"}, declare=False)
    assert (sent.status, sent.pulled) == (401, 0)
    assert sent.headers["content-type"] == "application/problem+json"


def test_the_login_form_takes_a_few_kilobytes(app: FastAPI) -> None:
    declared = call(app, "/login", BIG, {})
    assert (declared.status, declared.pulled) == (413, 0)
    assert "过大" in declared.body.decode()
    streamed = call(app, "/api/v1/auth/login", BIG, {"content-type": "application/json"}, declare=False)
    assert streamed.status == 413 and streamed.pulled <= LOGIN_CAP + CHUNK
    assert streamed.headers["content-type"] == "application/problem+json"


def test_a_signed_in_chunked_body_stops_at_its_routes_cap(
    app: FastAPI, client: TestClient, settings: Settings
) -> None:
    cookie = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    auth = {"cookie": cookie, "x-csrf-token": client.headers["x-csrf-token"]}
    form = call(
        app, "/api/v1/items/1/comments", 50 * 1024 * 1024, auth | {"content-type": "application/json"}, False
    )
    assert form.status == 413 and form.pulled <= FORM_CAP + CHUNK
    multipart = auth | {"content-type": "multipart/form-data; boundary=x"}
    upload = call(app, "/api/v1/imports", 50 * 1024 * 1024, multipart, declare=False)
    assert upload.status == 413 and upload.pulled <= settings.max_upload_bytes + MULTIPART_OVERHEAD + CHUNK
    assert b"too-large" in upload.body and "上限".encode() in upload.body


def test_bodies_under_their_caps_go_through(client: TestClient, sample_bytes: bytes) -> None:
    chunks = (sample_bytes[i : i + 1000] for i in range(0, len(sample_bytes), 1000))
    boundary = "b0undary"
    head = f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="p.txt"\r\n\r\n'.encode()

    def body():  # a chunked multipart upload (no Content-Length)
        yield head
        yield from chunks
        yield f"\r\n--{boundary}--\r\n".encode()

    sent = client.post(
        "/api/v1/imports",
        content=body(),
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert sent.status_code == 201, sent.text
