"""Smoke journeys in real chromium, at desktop and phone width: signing in to the living demo, and
the first sign-in with a one-time password, which must go through the password-change page."""

from __future__ import annotations

import re
from typing import Any

from eduplan.db import make_engine, make_session_factory
from eduplan.samples.demo_site import demo_settings
from eduplan.services.accounts import Principal
from eduplan.services.accounts.reset import reset_password
from eduplan.services.clock import today

from .conftest import LiveServer, field, sign_in


def test_admin_signs_in_to_the_living_demo(page: Any, live_server: LiveServer, shot: Any) -> None:
    page.goto(live_server.url("/login"))
    assert page.get_by_role("heading", name="登录 eduplan").is_visible()
    shot(page, "01-login")
    sign_in(page, live_server, "admin")
    assert urlpath(page.url) == "/"
    assert page.locator(".who").inner_text().startswith("admin")
    assert f"示例市教育局{today('Asia/Shanghai').year}年教育工作要点" in page.content()
    shot(page, "02-home")


def test_first_sign_in_with_a_one_time_password_sets_a_new_one(
    page: Any, live_server: LiveServer, shot: Any
) -> None:
    username = "viewer" if page.viewport_size["width"] > 800 else "leader"
    one_time = reset_one_time(live_server, username)
    sign_in(page, live_server, username, one_time)
    assert urlpath(page.url) == "/password"
    assert page.get_by_role("heading", name="欢迎使用 eduplan").is_visible()
    shot(page, "01-first-run")
    assert page.get_by_label("一次性密码").count() == 0  # typed to sign in a moment ago: not asked again
    field(page, "新密码").fill("示例新密码Abc2026")
    field(page, "再次输入新密码").fill("示例新密码Abc2026")
    with page.expect_navigation():
        page.get_by_role("button", name="保存新密码").click()
    assert urlpath(page.url) == "/"
    assert "密码已修改" in page.locator(".flash").inner_text()
    shot(page, "02-home")
    live_server.accounts[username] = "示例新密码Abc2026"


def urlpath(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url).split("?")[0]


def reset_one_time(server: LiveServer, username: str) -> str:
    """Give a demo account a one-time password, as an administrator would."""
    settings = demo_settings(server.data_dir.parent)
    engine = make_engine(settings.database_url)
    try:
        return reset_password(make_session_factory(engine), settings, Principal.system(), username)
    finally:
        engine.dispose()


def test_the_api_docs_run_under_their_content_security_policy(page: Any, live_server: LiveServer) -> None:
    """The Swagger page's inline start-up script is allowed by its hash (and nothing else)."""
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda e: problems.append(str(e)))
    sign_in(page, live_server, "admin")
    page.goto(live_server.url("/api/docs"))
    page.locator(".swagger-ui .info .title").wait_for()
    assert "eduplan registry" in page.locator(".swagger-ui .info .title").inner_text()
    assert page.locator(".opblock").count() > 10
    assert not [p for p in problems if "Content Security Policy" in p or "Refused" in p], problems
