"""Access through the API: sign-in, cookies, CSRF, API tokens, throttling, one-time passwords, roles
on the registry's own endpoints."""

from __future__ import annotations

from fastapi.testclient import TestClient

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import create_admin

from .conftest import ClientFor, sign_in
from .test_api import assert_problem


def test_everything_needs_a_signed_in_user(anon: TestClient, world: World) -> None:
    for url in (
        "/api/v1/plans",
        "/api/v1/tasks",
        "/api/v1/items",
        f"/api/v1/plans/{world.plan_id}/status",
        "/api/v1/users",
    ):
        body = assert_problem(anon.get(url), 401, "unauthenticated")
        assert "登录" in body["detail"]
    assert anon.get("/api/v1/plans").headers["www-authenticate"] == "Bearer"
    assert_problem(anon.post("/api/v1/imports", files={"file": ("a.txt", b"x")}), 401)
    assert anon.get("/api/docs").status_code == 200  # the documentation is public
    assert_problem(anon.get("/api/v1/plans", headers={"Authorization": "Bearer ep_forged"}), 401)


def test_login_sets_a_protected_cookie_and_csrf_guards_writes(anon: TestClient, world: World) -> None:
    response = anon.post("/api/v1/auth/login", json={"username": "office", "password": world.password})
    assert response.status_code == 200
    cookie = response.headers["set-cookie"]
    assert (
        "eduplan_session=" in cookie
        and "HttpOnly" in cookie
        and "SameSite=lax" in cookie.replace("Lax", "lax")
    )
    csrf = response.json()["csrf_token"]
    assert csrf not in cookie
    assert anon.get("/api/v1/plans").status_code == 200  # reads need no CSRF token
    body = {"name": "统计系统"}
    assert_problem(anon.post("/api/v1/auth/tokens", json=body), 403, "csrf")
    assert_problem(
        anon.post("/api/v1/auth/tokens", json=body, headers={"X-CSRF-Token": "guess"}), 403, "csrf"
    )
    made = anon.post("/api/v1/auth/tokens", json=body, headers={"X-CSRF-Token": csrf})
    assert made.status_code == 201
    me = anon.get("/api/v1/auth/me").json()
    assert (me["username"], me["role_label"], me["csrf_token"]) == ("office", "办公室/督查人员", csrf)
    assert anon.post("/api/v1/auth/logout", headers={"X-CSRF-Token": csrf}).status_code == 204
    assert_problem(anon.get("/api/v1/plans"), 401)


def test_api_tokens_need_no_cookie_nor_csrf(client_for: ClientFor, anon: TestClient, world: World) -> None:
    office = client_for("office", world.password)
    made = office.post("/api/v1/auth/tokens", json={"name": "对接系统", "days": 7}).json()
    bearer = {"Authorization": f"Bearer {made['secret']}"}
    assert anon.get("/api/v1/items", headers=bearer).status_code == 200
    assert office.get("/api/v1/auth/tokens").json()[0]["name"] == "对接系统"
    assert "secret" not in office.get("/api/v1/auth/tokens").json()[0]
    assert office.delete(f"/api/v1/auth/tokens/{made['token']['id']}").status_code == 204
    assert_problem(anon.get("/api/v1/items", headers=bearer), 401)


def test_wrong_passwords_are_throttled(anon: TestClient, world: World, settings: Settings) -> None:
    for _ in range(settings.login_max_failures):
        assert_problem(sign_in(anon, "office", "wrong"), 401, "unauthenticated")
    blocked = assert_problem(sign_in(anon, "office", world.password), 429, "too-many-failures")
    assert "分钟后再试" in blocked["detail"]
    assert int(sign_in(anon, "office", world.password).headers["retry-after"]) > 0


def test_a_one_time_password_must_be_changed_first(
    anon: TestClient, sessions: SessionFactory, settings: Settings
) -> None:
    made = create_admin(sessions, settings, "first-admin")
    assert made.one_time_password
    assert sign_in(anon, "first-admin", made.one_time_password).json()["user"]["must_change_password"]
    assert_problem(anon.get("/api/v1/plans"), 403, "password-change-required")
    weak = anon.post("/api/v1/auth/password", json={"current": made.one_time_password, "new": "123"})
    assert "至少" in assert_problem(weak, 422, "invalid")["reasons"][0]
    changed = anon.post(
        "/api/v1/auth/password", json={"current": made.one_time_password, "new": "Strong-Passw0rd"}
    )
    assert changed.status_code == 204
    assert anon.get("/api/v1/plans").status_code == 200


def test_roles_on_the_registry(client_for: ClientFor, world: World, sample_bytes: bytes) -> None:
    viewer = client_for("viewer", world.password)
    assert viewer.get("/api/v1/plans").json()["total"] == 2
    refused = viewer.post("/api/v1/imports", files={"file": ("p.txt", sample_bytes, "text/plain")})
    assert_problem(refused, 403, "forbidden")
    reporter = client_for("jichu", world.password)
    assert_problem(reporter.post("/api/v1/imports", files={"file": ("p.txt", sample_bytes)}), 403)
    office = client_for("office", world.password)
    assert (
        office.post("/api/v1/imports", files={"file": ("p.txt", sample_bytes)}).json()["status"]
        == "duplicate"
    )


def test_users_are_made_by_admins_and_office_staff(
    client: TestClient, client_for: ClientFor, world: World
) -> None:
    new = {
        "username": "zhao",
        "role": "reporter",
        "org_id": world.org_id,
        "unit_id": world.units["学前教育科"],
    }
    made = client.post("/api/v1/users", json=new)
    assert made.status_code == 201
    otp = made.json()["one_time_password"]
    assert otp and made.json()["user"]["unit_name"] == "学前教育科"
    assert_problem(client.post("/api/v1/users", json=new), 409)
    office = client_for("office", world.password)
    assert_problem(office.post("/api/v1/users", json={"username": "boss", "role": "admin"}), 403)
    assert "zhao" in [u["username"] for u in office.get("/api/v1/users").json()]
    reporter = client_for("jichu", world.password)
    assert_problem(reporter.get("/api/v1/users"), 403)


def test_accounts_are_deactivated_and_reactivated(
    client: TestClient, client_for: ClientFor, anon: TestClient, world: World
) -> None:
    jichu = client_for("jichu", world.password)
    assert jichu.get("/api/v1/items").status_code == 200
    url = f"/api/v1/users/{world.users['jichu']}/active"
    office = client_for("office", world.password)
    off = office.put(url, json={"active": False})
    assert off.status_code == 200 and off.json()["active"] is False
    assert_problem(jichu.get("/api/v1/items"), 401)  # the session it had ends
    refused = assert_problem(sign_in(anon, "jichu", world.password), 401, "unauthenticated")
    assert refused["detail"] == "用户名或密码错误"  # the same answer as a wrong password
    assert [u["active"] for u in office.get("/api/v1/users").json() if u["username"] == "jichu"] == [False]
    assert office.put(url, json={"active": True}).json()["active"] is True
    assert sign_in(anon, "jichu", world.password).status_code == 200
    me = client.get("/api/v1/auth/me").json()["user_id"]
    assert (
        "自己"
        in assert_problem(client.put(f"/api/v1/users/{me}/active", json={"active": False}), 403)["detail"]
    )
    assert_problem(office.put(f"/api/v1/users/{me}/active", json={"active": False}), 403)  # an administrator
    assert_problem(client_for("leader", world.password).put(url, json={"active": False}), 403)
    assert_problem(office.put("/api/v1/users/999999/active", json={"active": False}), 404)
    assert_problem(office.put(url, json={}), 400)
