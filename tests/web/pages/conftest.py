"""Page clients: a browser-like TestClient that signs in through the login form and posts forms
with the page's CSRF token, as a person's browser would (tests/web/conftest.py gives the app,
the database and the administrator account).

`pages_for(username, password)` signs anyone in; `admin_pages` is the administrator;
`csrf_of(html)` reads the hidden token of a rendered form.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterator

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from tests.web.conftest import signed_in_clients

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_LOGIN_CSRF = re.compile(r'name="login_csrf" value="([^"]+)"')

PagesFor = Callable[[str, str], TestClient]


def wait_parsed(client: TestClient, draft_url: str, seconds: float = 120) -> None:
    """Wait, as the self-refreshing progress page does, until an uploaded draft's background parse is
    done: the upload form waits only two seconds, which a loaded machine can miss."""
    deadline = time.monotonic() + seconds
    while client.get(draft_url + "/progress.json").json()["state"] == "parsing":
        assert time.monotonic() < deadline, f"the background parse did not finish in {seconds:.0f} s"
        time.sleep(0.1)


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on a page."""
    match = _CSRF.search(html)
    assert match, "the page has no form with a CSRF token"
    return match.group(1)


def post_login(client: TestClient, data: dict[str, str], **kw: object):
    """POST the login form as a browser does: with the pre-session token of the form just shown."""
    form = client.get("/login")
    match = _LOGIN_CSRF.search(form.text)  # a signed-in browser is sent on: its cookie has the token
    token = match.group(1) if match else client.cookies.get("eduplan_login_csrf")
    assert token, "the login page has no login_csrf field"
    return client.post("/login", data={"login_csrf": token, **data}, **kw)  # type: ignore[arg-type]


def page_login(client: TestClient, username: str, password: str) -> None:
    """Sign in through the login form; the session cookie stays in `client`."""
    response = post_login(client, {"username": username, "password": password, "next": "/"})
    assert response.status_code == 303, response.text
    client.cookies.update(response.cookies)


def post_form(client: TestClient, url: str, data: dict[str, object], page: str | None = None, **kw: object):
    """POST a form with the CSRF token of `page` (default: the page at `url`)."""
    html = client.get(page or url).text
    return client.post(url, data={"csrf_token": csrf_of(html), **data}, **kw)  # type: ignore[arg-type]


def follow(client: TestClient, response: httpx.Response) -> str:
    """The page a form's 303 redirect leads to (the form must have been accepted)."""
    assert response.status_code == 303, response.text[:2000]
    return client.get(response.headers["location"]).text


@pytest.fixture
def pages_for(app: FastAPI) -> Iterator[PagesFor]:
    with signed_in_clients(app, page_login, follow_redirects=False) as make:
        yield make


@pytest.fixture
def admin_pages(pages_for: PagesFor, admin_account: tuple[str, str]) -> TestClient:
    return pages_for(*admin_account)


@pytest.fixture
def browser(app: FastAPI) -> Iterator[TestClient]:
    """Nobody signed in; redirects are not followed, so tests see them."""
    with TestClient(app, follow_redirects=False) as c:
        yield c
