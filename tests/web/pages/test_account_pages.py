"""我的账户: one's API tokens listed, made (shown once) and revoked with CSRF-checked forms; a password
change on the page revokes them (issue 13, finding 5)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.web.pages.conftest import PagesFor, csrf_of, post_form

from eduplan.samples.loop import World

SECRET = re.compile(r"ep_[A-Za-z0-9_-]{20,}")


def _works(client: TestClient, secret: str) -> bool:
    return client.get("/api/v1/plans", headers={"Authorization": f"Bearer {secret}"}).status_code == 200


def test_tokens_are_made_shown_once_and_revoked(pages_for: PagesFor, anon: TestClient, world: World) -> None:
    office = pages_for("office", world.password)
    assert "还没有 API 令牌" in office.get("/account").text
    made = post_form(office, "/account/tokens", {"name": "统计系统", "days": "30"}, page="/account")
    assert made.status_code == 201 and "统计系统" in made.text
    secret = SECRET.search(made.text).group(0)  # type: ignore[union-attr]
    assert _works(anon, secret)
    page = office.get("/account").text
    assert secret not in page and "统计系统" in page and "有效" in page  # never shown again
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', page).group(1)  # type: ignore[union-attr]
    refused = office.post(f"/account/tokens/{token_id}/revoke", data={})  # no CSRF token
    assert refused.status_code == 403 and _works(anon, secret)
    done = post_form(office, f"/account/tokens/{token_id}/revoke", {}, page="/account")
    assert done.status_code == 303 and not _works(anon, secret)
    assert "已撤销" in office.get("/account").text


def test_someone_elses_token_cannot_be_revoked(pages_for: PagesFor, anon: TestClient, world: World) -> None:
    office = pages_for("office", world.password)
    made = post_form(office, "/account/tokens", {"name": "对接"}, page="/account")
    secret = SECRET.search(made.text).group(0)  # type: ignore[union-attr]
    token_id = re.search(r'action="/account/tokens/(\d+)/revoke"', made.text).group(1)  # type: ignore[union-attr]
    leader = pages_for("leader", world.password)
    answer = post_form(leader, f"/account/tokens/{token_id}/revoke", {}, page="/account")
    assert answer.status_code == 404 and _works(anon, secret)


def test_bad_token_forms_are_said_beside_the_field(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    assert "请填写令牌名称" in post_form(office, "/account/tokens", {"name": " "}, page="/account").text
    wrong = post_form(office, "/account/tokens", {"name": "x", "days": "-3"}, page="/account")
    assert wrong.status_code == 422 and "有效天数" in wrong.text


def test_a_password_change_on_the_page_revokes_the_tokens(
    pages_for: PagesFor, anon: TestClient, world: World
) -> None:
    office = pages_for("office", world.password)
    other_browser = pages_for("office", world.password)
    made = post_form(office, "/account/tokens", {"name": "统计系统"}, page="/account")
    secret = SECRET.search(made.text).group(0)  # type: ignore[union-attr]
    new = "Changed-Yangtze-River9"
    changed = post_form(office, "/password", {"current": world.password, "new": new, "confirm": new})
    assert changed.status_code == 303
    assert not _works(anon, secret)
    assert other_browser.get("/").status_code == 303  # signed out there
    assert office.get("/account").status_code == 200  # still signed in here


def test_guessing_the_current_password_on_the_page_is_throttled(
    pages_for: PagesFor, world: World, settings
) -> None:
    viewer = pages_for("viewer", world.password)
    new = "Changed-Yangtze-River9"
    for i in range(settings.login_max_failures):
        wrong = post_form(viewer, "/password", {"current": f"Guess-{i}", "new": new, "confirm": new})
        assert wrong.status_code == 422 and "当前密码不正确" in wrong.text
    page = viewer.get("/password").text
    blocked = viewer.post(
        "/password", data={"csrf_token": csrf_of(page), "current": world.password, "new": new, "confirm": new}
    )
    assert blocked.status_code == 429 and int(blocked.headers["retry-after"]) > 0


def test_the_weak_password_is_refused_in_chinese(pages_for: PagesFor, world: World) -> None:
    viewer = pages_for("viewer", world.password)
    weak = post_form(
        viewer, "/password", {"current": world.password, "new": "Password1!", "confirm": "Password1!"}
    )
    assert weak.status_code == 422 and "太容易被猜到" in weak.text and "请改用更长" in weak.text
