"""Signing in over HTTP (issue 13, findings 4 and 9): login CSRF, Secure cookies behind HTTPS and a
trusted proxy, throttling by the client's address as the proxy tells it, 429 with Retry-After."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from eduplan.config import Settings
from eduplan.samples.loop import World
from eduplan.web.app import create_app

TOKEN = re.compile(r'name="login_csrf" value="([^"]+)"')


@pytest.fixture
def behind_proxy(engine: Engine, settings: Settings) -> Iterator[TestClient]:
    """The app behind a proxy it trusts (the test client's own address)."""
    trusting = settings.model_copy(update={"trusted_proxies": ["testclient"]})
    with TestClient(create_app(trusting, engine=engine), follow_redirects=False) as c:
        yield c


@pytest.fixture
def direct(app) -> Iterator[TestClient]:
    with TestClient(app, follow_redirects=False) as c:
        yield c


def _form_token(client: TestClient) -> str:
    match = TOKEN.search(client.get("/login").text)
    assert match
    return match.group(1)


def test_the_login_form_refuses_a_post_from_another_site(direct: TestClient, world: World) -> None:
    me = {"username": "office", "password": world.password, "next": "/"}
    forged = direct.post("/login", data=me)  # another site's form: no token of this browser
    assert forged.status_code == 403 and "登录页面已过期或来自其他网站" in forged.text
    assert "eduplan_session" not in forged.cookies and TOKEN.search(forged.text)  # a fresh form
    token = _form_token(direct)
    elsewhere = direct.post(
        "/login", data=me | {"login_csrf": token}, headers={"Origin": "https://evil.example"}
    )
    assert elsewhere.status_code == 403
    guessed = direct.post("/login", data=me | {"login_csrf": "x" * len(token)})
    assert guessed.status_code == 403
    ok = direct.post("/login", data=me | {"login_csrf": token}, headers={"Origin": "http://testserver"})
    assert ok.status_code == 303 and "eduplan_session" in ok.cookies


def test_the_login_api_refuses_another_sites_origin(direct: TestClient, world: World) -> None:
    body = {"username": "office", "password": world.password}
    refused = direct.post("/api/v1/auth/login", json=body, headers={"Origin": "https://evil.example"})
    assert refused.status_code == 403 and "eduplan_session" not in refused.cookies
    assert direct.post("/api/v1/auth/login", json=body).status_code == 200


def _set_cookies(response) -> list[str]:
    return response.headers.get_list("set-cookie")


def test_cookies_are_secure_when_a_trusted_proxy_says_https(
    behind_proxy: TestClient, direct: TestClient, world: World
) -> None:
    body = {"username": "office", "password": world.password}
    https = behind_proxy.post("/api/v1/auth/login", json=body, headers={"X-Forwarded-Proto": "https"})
    cookies = _set_cookies(https)
    assert {c.split("=", 1)[0] for c in cookies} >= {"eduplan_session", "eduplan_device"}
    assert all("secure" in c.lower() for c in cookies)
    plain = behind_proxy.post("/api/v1/auth/login", json=body)
    assert not any("secure" in c.lower() for c in _set_cookies(plain))
    # a client that is not a trusted proxy cannot claim HTTPS for itself
    claimed = direct.post("/api/v1/auth/login", json=body, headers={"X-Forwarded-Proto": "https"})
    assert not any("secure" in c.lower() for c in _set_cookies(claimed))


def test_the_address_behind_a_trusted_proxy_is_throttled(
    behind_proxy: TestClient, direct: TestClient, world: World, settings: Settings
) -> None:
    def attempt(client: TestClient, i: int, address: str):
        return client.post(
            "/api/v1/auth/login",
            json={"username": f"guess{i}", "password": "Wrong-Passw0rd"},
            headers={"X-Forwarded-For": address},
        )

    limit = settings.login_address_max_failures
    assert [attempt(behind_proxy, i, "203.0.113.1").status_code for i in range(limit)] == [401] * limit
    refused = attempt(behind_proxy, 99, "203.0.113.1")
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) > 0
    assert "登录失败次数过多" in refused.json()["detail"]
    assert attempt(behind_proxy, 100, "203.0.113.2").status_code == 401  # another client
    # without trust, the header is the client's own claim: ignored
    statuses = [attempt(direct, i, f"198.51.100.{i}").status_code for i in range(limit + 1)]
    assert statuses[:limit] == [401] * limit and statuses[limit] == 429


def test_the_login_page_says_when_to_try_again_after_a_pause(
    direct: TestClient, world: World, settings: Settings
) -> None:
    import time

    for _ in range(settings.login_max_failures):
        direct.post(
            "/login", data={"username": "leader", "password": "Wrong-1", "login_csrf": _form_token(direct)}
        )
    token = _form_token(direct)
    started = time.perf_counter()
    page = direct.post("/login", data={"username": "leader", "password": world.password, "login_csrf": token})
    assert page.status_code == 429 and "登录失败次数过多" in page.text
    assert int(page.headers["retry-after"]) > 0
    # a refused attempt is answered after a pause, so a flooding script slows down to match
    assert time.perf_counter() - started >= settings.login_refusal_delay_ms / 1000
