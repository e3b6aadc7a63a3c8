"""A TestClient over an app on the test's own migrated database (see tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from eduplan.config import Settings
from eduplan.web.app import create_app

UPLOAD_LIMIT = 200_000


@pytest.fixture
def client(engine: Engine) -> Iterator[TestClient]:
    settings = Settings(
        database_url=engine.url.render_as_string(hide_password=False), max_upload_bytes=UPLOAD_LIMIT
    )
    with TestClient(create_app(settings, engine=engine)) as c:
        yield c


Upload = Callable[..., httpx.Response]


@pytest.fixture
def upload(client: TestClient) -> Upload:
    """POST a file to the import endpoint: ``upload(data, name="plan.txt", org=None)``."""

    def post(data: bytes, name: str = "plan.txt", org: str | None = None) -> httpx.Response:
        form = {"org": org} if org else {}
        return client.post("/api/v1/imports", files={"file": (name, data, "text/plain")}, data=form)

    return post
