"""统一身份认证登录 through a real OpenID provider (`oidc-provider`, started by the tests): the
browser's part is played by an httpx client that follows the provider's redirects and fills its
login and consent forms; eduplan runs in-process behind a TestClient and talks to the provider
over real HTTP (discovery, token endpoint with PKCE, JWKS, userinfo)."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import Engine, func, select

from eduplan.config import Settings
from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal, UserCreate, create_user, oidc, set_active
from eduplan.services.errors import Unauthenticated
from eduplan.web.app import create_app

from .conftest import CALLBACK, CLIENT_ID, CLIENT_SECRET, OIDC_USERS, Oidc


@pytest.fixture
def oidc_settings(settings: Settings, oidc_provider: Oidc, placed: tuple[int, int]) -> Settings:
    return settings.model_copy(
        update={
            "oidc_issuer": oidc_provider.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_scopes": "openid profile email eduplan",
            "oidc_org_claim": "org",
            "oidc_unit_claim": "unit",
            "sso_role_map": {"eduplan-office": "office", "eduplan-reporters": "reporter"},
        }
    )


@pytest.fixture
def browser(engine: Engine, oidc_settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(oidc_settings, engine=engine)) as client:
        yield client


def through_provider(start: str, login: str) -> str:
    """Sign in at the provider as `login` and consent, as a person would; the callback URL the
    provider sends the browser back to."""
    password = OIDC_USERS[login]["password"]
    with httpx.Client(follow_redirects=False, timeout=10) as person:
        response = person.get(start)
        for _ in range(12):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if target.startswith(CALLBACK):
                    return target
                response = person.get(target)
                continue
            assert response.status_code == 200, response.text
            action = re.search(r'<form method="post" action="([^"]+)"', response.text)
            prompt = re.search(r'name="prompt" value="(\w+)"', response.text)
            assert action and prompt, response.text
            form = {"prompt": prompt[1]} | (
                {"login": login, "password": password} if prompt[1] == "login" else {}
            )
            response = person.post(urljoin(str(response.url), action[1]), data=form)
    raise AssertionError("the provider never sent the browser back")


def sign_in(browser: TestClient, login: str) -> tuple[int, str]:
    """The whole journey from the login page's button: (final status, where eduplan sends the browser)."""
    start = browser.get("/login/oidc?next=/my", follow_redirects=False)
    assert start.status_code == 303
    callback = urlsplit(through_provider(start.headers["location"], login))
    back = browser.get(f"{callback.path}?{callback.query}", follow_redirects=False)
    return back.status_code, back.headers.get("location", back.text)


def _count(sessions: SessionFactory) -> int:
    with sessions() as session:
        return int(session.scalar(select(func.count()).select_from(User)) or 0)


def test_the_login_page_offers_unified_login_only_when_configured(
    browser: TestClient, engine: Engine, settings: Settings
) -> None:
    assert "统一身份认证登录" in browser.get("/login").text
    with TestClient(create_app(settings, engine=engine)) as plain:
        assert "统一身份认证登录" not in plain.get("/login").text


def test_first_sign_in_creates_the_account_from_the_claims_and_the_second_matches_it(
    browser: TestClient, sessions: SessionFactory, placed: tuple[int, int]
) -> None:
    start = browser.get("/login/oidc", follow_redirects=False).headers["location"]
    query = parse_qs(urlsplit(start).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    assert sign_in(browser, "zhaoliu") == (303, "/my")
    me = browser.get("/api/v1/auth/me").json()
    assert (me["username"], me["role"], me["org_id"]) == ("zhaoliu", "office", placed[0])
    with sessions() as session:
        user = session.scalars(select(User).where(User.username == "zhaoliu")).one()
        assert (user.display_name, user.email) == ("赵六", "zhaoliu@example.test")
        first_id = user.id
    browser.cookies.clear()
    assert sign_in(browser, "zhaoliu") == (303, "/my")
    assert browser.get("/api/v1/auth/me").json()["user_id"] == first_id
    assert _count(sessions) == 1


def test_a_reporter_is_placed_in_the_unit_of_the_claims(browser: TestClient, placed: tuple[int, int]) -> None:
    assert sign_in(browser, "sunqi")[0] == 303
    me = browser.get("/api/v1/auth/me").json()
    assert (me["role"], me["unit_id"]) == ("reporter", placed[1])
    assert browser.get("/my").status_code == 200  # the reporter's own page opens
    assert browser.get("/api/v1/auth/me").json()["username"] == "sunqi"


def test_a_wrong_state_is_refused_and_nobody_is_signed_in(
    browser: TestClient, sessions: SessionFactory
) -> None:
    start = browser.get("/login/oidc", follow_redirects=False)
    callback = urlsplit(through_provider(start.headers["location"], "zhaoliu"))
    forged = re.sub(r"state=[^&]+", "state=forged-by-someone-else", callback.query)
    refused = browser.get(f"{callback.path}?{forged}", follow_redirects=False)
    assert refused.status_code == 401 and "统一身份认证登录已过期或不是从本页面发起的" in refused.text
    assert "eduplan_session" not in browser.cookies and _count(sessions) == 0


def test_a_callback_in_another_browser_is_refused(
    browser: TestClient, engine: Engine, oidc_settings: Settings
) -> None:
    start = browser.get("/login/oidc", follow_redirects=False)
    callback = urlsplit(through_provider(start.headers["location"], "zhaoliu"))
    with TestClient(create_app(oidc_settings, engine=engine)) as other:  # no state cookie: a login CSRF
        refused = other.get(f"{callback.path}?{callback.query}", follow_redirects=False)
    assert refused.status_code == 401 and "eduplan_session" not in refused.cookies


def test_a_deactivated_local_account_cannot_sign_in_through_the_provider(
    browser: TestClient, sessions: SessionFactory, oidc_settings: Settings, placed: tuple[int, int]
) -> None:
    made = create_user(
        sessions,
        oidc_settings,
        Principal.system(),
        UserCreate("stopped", "office", "周八", org_id=placed[0], password="Quiet-Harbor-pw9"),
    )
    set_active(sessions, Principal.system(), made.user.id, False)
    status, page = sign_in(browser, "stopped")
    assert status == 401 and "该账户已停用" in page
    assert "eduplan_session" not in browser.cookies


def test_the_code_is_bound_to_the_pkce_verifier_and_the_token_to_the_nonce(
    sessions: SessionFactory, oidc_settings: Settings
) -> None:
    start = oidc.begin(oidc_settings, CALLBACK)
    params = {k: v[0] for k, v in parse_qs(urlsplit(through_provider(start.url, "zhaoliu")).query).items()}
    stolen = oidc.OidcStart("", start.state, start.nonce, "another-verifier-" + "x" * 40)
    with pytest.raises(Unauthenticated, match="拒绝了本次登录"):  # the provider refuses: PKCE
        oidc.finish(sessions, oidc_settings, CALLBACK, params, stolen)
    start = oidc.begin(oidc_settings, CALLBACK)
    params = {k: v[0] for k, v in parse_qs(urlsplit(through_provider(start.url, "zhaoliu")).query).items()}
    replayed = oidc.OidcStart("", start.state, "another-nonce", start.verifier)
    with pytest.raises(Unauthenticated, match="身份凭证无法验证"):  # eduplan refuses: nonce
        oidc.finish(sessions, oidc_settings, CALLBACK, params, replayed)
    assert params["iss"] == oidc_settings.oidc_issuer  # RFC 9207: the provider names itself
    with pytest.raises(Unauthenticated, match="已过期或不是从本页面发起的"):  # another provider's answer
        oidc.finish(sessions, oidc_settings, CALLBACK, params | {"iss": "http://evil.test"}, start)
    assert _count(sessions) == 0


def test_an_unreachable_provider_is_explained_on_the_login_page(
    engine: Engine, oidc_settings: Settings
) -> None:
    gone = oidc_settings.model_copy(
        update={"oidc_issuer": "http://127.0.0.1:9/nowhere", "oidc_timeout_seconds": 2}
    )
    with TestClient(create_app(gone, engine=engine)) as client:
        page = client.get("/login/oidc", follow_redirects=False)
    assert page.status_code == 503 and "暂时无法连接统一身份认证平台" in page.text


def test_an_id_token_not_signed_by_the_providers_keys_is_refused(oidc_settings: Settings) -> None:
    impostor = RSAKey.generate_key(
        2048, parameters={"kid": "test-key-1"}
    )  # the provider's key id, not its key
    now = int(time.time())
    claims = {
        "iss": oidc_settings.oidc_issuer,
        "aud": CLIENT_ID,
        "sub": "zhaoliu",
        "exp": now + 300,
        "iat": now,
    }
    forged = jwt.encode({"alg": "RS256", "kid": "test-key-1"}, claims | {"nonce": "n-1"}, impostor)
    with pytest.raises(Unauthenticated, match="身份凭证无法验证"):
        oidc.verified_claims(oidc_settings, forged, "n-1")
