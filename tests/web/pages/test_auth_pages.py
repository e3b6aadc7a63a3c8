"""登录、首次登录改密、退出：the forms a person uses, their errors and their redirects."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.web.pages.conftest import csrf_of, page_login, post_form, post_login

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal, UserCreate, create_user


def test_a_page_without_a_session_goes_to_the_login_page_and_back(browser: TestClient, admin_account) -> None:
    response = browser.get("/?unit=x")
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/%3Funit%3Dx"
    login = browser.get(response.headers["location"])
    assert login.status_code == 200
    assert 'for="f-username">用户名' in login.text and 'value="/?unit=x"' in login.text
    done = post_login(
        browser, {"username": admin_account[0], "password": admin_account[1], "next": "/?unit=x"}
    )
    assert done.status_code == 303 and done.headers["location"] == "/?unit=x"


def test_the_json_twin_of_a_page_answers_401_not_a_redirect(browser: TestClient) -> None:
    response = browser.get("/.json")
    assert response.status_code == 401
    assert response.headers["content-type"].startswith("application/problem+json")


def test_a_wrong_password_is_said_beside_the_field_and_the_name_is_kept(
    browser: TestClient, admin_account
) -> None:
    response = post_login(browser, {"username": admin_account[0], "password": "wrong", "next": "/"})
    assert response.status_code == 401
    assert "用户名或密码错误" in response.text
    assert f'value="{admin_account[0]}"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "wrong" not in response.text  # the password is never sent back


def test_an_empty_form_names_the_missing_field(browser: TestClient) -> None:
    response = post_login(browser, {"username": "", "password": ""})
    assert response.status_code == 422 and "请输入用户名" in response.text


def test_a_login_never_sends_the_browser_to_another_site(browser: TestClient, admin_account) -> None:
    response = post_login(
        browser,
        {"username": admin_account[0], "password": admin_account[1], "next": "//evil.example/x"},
    )
    assert response.headers["location"] == "/"


def test_first_run_the_one_time_password_must_be_replaced_first(
    browser: TestClient, sessions: SessionFactory, settings: Settings
) -> None:
    new = create_user(sessions, settings, Principal.system(), UserCreate("chief", "admin", "管理员"))
    response = post_login(browser, {"username": "chief", "password": new.one_time_password, "next": "/"})
    assert response.headers["location"] == "/password"
    assert browser.get("/").headers["location"] == "/password"
    page = browser.get("/password")
    assert "欢迎使用 eduplan" in page.text and "一次性密码" in page.text
    assert 'name="current"' not in page.text  # the one-time password was just typed: not asked again
    token = csrf_of(page.text)
    mismatch = browser.post(
        "/password",
        data={"csrf_token": token, "current": new.one_time_password, "new": "Abcdefgh-12345", "confirm": "x"},
    )
    assert mismatch.status_code == 422 and "两次输入的新密码不一致" in mismatch.text
    weak = browser.post(
        "/password",
        data={"csrf_token": token, "current": new.one_time_password, "new": "short", "confirm": "short"},
    )
    assert weak.status_code == 422 and 'id="e-new"' in weak.text
    ok = browser.post(
        "/password",
        data={
            "csrf_token": token,
            "current": new.one_time_password,
            "new": "Abcdefgh-12345",
            "confirm": "Abcdefgh-12345",
        },
    )
    assert ok.status_code == 303 and ok.headers["location"] == "/"
    home = browser.get("/")
    assert home.status_code == 200 and "密码已修改" in home.text
    assert "密码已修改" not in browser.get("/").text  # the message is shown once


def test_a_form_without_its_csrf_token_is_refused(admin_pages: TestClient) -> None:
    response = admin_pages.post("/logout", data={})
    assert response.status_code == 403 and "表单校验码" in response.text
    assert admin_pages.get("/").status_code == 200  # still signed in


def test_a_form_from_another_site_is_refused(admin_pages: TestClient) -> None:
    token = csrf_of(admin_pages.get("/").text)
    response = admin_pages.post(
        "/logout", data={"csrf_token": token}, headers={"Origin": "http://evil.example"}
    )
    assert response.status_code == 403


def test_logout_ends_the_session(admin_pages: TestClient) -> None:
    response = post_form(admin_pages, "/logout", {}, page="/")
    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert admin_pages.get("/").status_code == 303


def test_pages_carry_a_policy_that_allows_only_this_server(admin_pages: TestClient) -> None:
    response = admin_pages.get("/")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    css = admin_pages.get("/static/app.css")
    assert css.status_code == 200 and "font-family" in css.text


def test_an_unknown_page_is_a_chinese_404_page(admin_pages: TestClient) -> None:
    response = admin_pages.get("/no-such-page")
    assert response.status_code == 404 and "找不到这个页面" in response.text
    assert response.headers["content-type"].startswith("text/html")
    assert admin_pages.get("/api/v1/no-such").headers["content-type"].startswith("application/problem+json")


def test_a_user_name_with_markup_is_escaped(
    browser: TestClient, sessions: SessionFactory, settings: Settings
) -> None:
    create_user(
        sessions,
        settings,
        Principal.system(),
        UserCreate("<script>x</script>", "admin", password="Viewer-Passw0rd!"),
    )
    page_login(browser, "<script>x</script>", "Viewer-Passw0rd!")
    html = browser.get("/").text
    assert "<script>x</script>" not in html and "&lt;script&gt;x&lt;/script&gt;" in html
