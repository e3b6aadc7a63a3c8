"""The interactive API docs at /api/docs work offline: every asset comes from this server."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from eduplan.config import Settings
from eduplan.web.app import create_app

ASSET = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']""")


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """The docs read no database: an app over an untouched SQLite file is enough."""
    with TestClient(create_app(Settings(database_url=f"sqlite:///{tmp_path / 'unused.db'}"))) as c:
        yield c


def test_docs_reference_no_external_host(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert "http://" not in page.text and "https://" not in page.text
    assets = ASSET.findall(page.text)
    assert {a.rsplit("/", 1)[-1] for a in assets} >= {"swagger-ui.css", "swagger-ui-bundle.js"}
    for asset in assets:
        assert not urlparse(asset).netloc, asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        assert len(response.content) > 1000, asset
    assert "url: '/api/openapi.json'" in page.text
    assert '"validatorUrl": null' in page.text  # the badge would fetch validator.swagger.io


def test_swagger_ui_bundle_reads_openapi_31(client: TestClient) -> None:
    # FastAPI writes OpenAPI 3.1; Swagger UI renders 3.1 from version 5 on (4.x shows an error).
    assert client.get("/api/openapi.json").json()["openapi"].startswith("3.1")
    bundle = client.get("/api/static/swagger-ui-bundle.js").text
    assert "isOAS31" in bundle
    assert client.get("/api/docs/oauth2-redirect").status_code == 200


def test_docs_cannot_be_framed_and_run_only_their_own_script(client: TestClient) -> None:
    import base64
    import hashlib

    for path in ("/api/docs", "/api/docs/oauth2-redirect"):
        page = client.get(path)
        policy = page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY" and "frame-ancestors 'none'" in policy
        script_src = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "unsafe-inline" not in script_src
        inline = re.findall(r"<script>(.*?)</script>", page.text, re.S)
        assert inline, path
        for body in inline:  # the page's own start-up script, and nothing else, may run
            digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in script_src
