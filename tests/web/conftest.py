"""TestClients over an app on the test's own migrated database (see tests/conftest.py).

`client` is signed in as an administrator through the session cookie, with the session's CSRF
token sent on every request, as a browser page would; `anon` is signed in as nobody;
`client_for(name, password)` signs in anyone else (each client keeps its own cookies).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal, UserCreate, create_user
from eduplan.web.app import create_app

UPLOAD_LIMIT = 200_000
ADMIN = ("root", "Admin-Passw0rd!")

ClientFor = Callable[[str, str], TestClient]


@pytest.fixture
def app(engine: Engine, settings: Settings) -> FastAPI:
    return create_app(settings, engine=engine)


def sign_in(client: TestClient, username: str, password: str) -> httpx.Response:
    """Log in through the API; the cookie stays in the client and its CSRF token in its headers."""
    response = client.post("/api/v1/auth/login", json={"username": username, "password": password})
    if response.status_code == 200:
        client.headers["X-CSRF-Token"] = response.json()["csrf_token"]
    return response


@contextmanager
def signed_in_clients(
    app: FastAPI, log_in: Callable[[TestClient, str, str], object], **options: bool
) -> Iterator[ClientFor]:
    """Make clients of `app` (TestClient `options`) signed in by `log_in`; all closed on leaving."""
    with ExitStack() as stack:

        def make(username: str, password: str) -> TestClient:
            client = stack.enter_context(TestClient(app, **options))  # type: ignore[arg-type]
            log_in(client, username, password)
            return client

        yield make


def _api_sign_in(client: TestClient, username: str, password: str) -> None:
    response = sign_in(client, username, password)
    assert response.status_code == 200, response.text


@pytest.fixture
def client_for(app: FastAPI) -> Iterator[ClientFor]:
    with signed_in_clients(app, _api_sign_in) as make:
        yield make


@pytest.fixture
def admin_account(sessions: SessionFactory, settings: Settings) -> tuple[str, str]:
    create_user(
        sessions, settings, Principal.system(), UserCreate(ADMIN[0], "admin", "管理员", password=ADMIN[1])
    )
    return ADMIN


@pytest.fixture
def client(client_for: ClientFor, admin_account: tuple[str, str]) -> TestClient:
    return client_for(*admin_account)


@pytest.fixture
def anon(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


Upload = Callable[..., httpx.Response]


@pytest.fixture
def upload(client: TestClient) -> Upload:
    """POST a file to the import endpoint: ``upload(data, name="plan.txt", org=None)``."""

    def post(data: bytes, name: str = "plan.txt", org: str | None = None) -> httpx.Response:
        form = {"org": org} if org else {}
        return client.post("/api/v1/imports", files={"file": (name, data, "text/plain")}, data=form)

    return post
