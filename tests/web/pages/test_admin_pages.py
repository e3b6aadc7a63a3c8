"""单位与用户: office staff and administrators add units and aliases and create accounts whose
one-time password is shown once; other roles cannot open the page; typed text comes back escaped."""

from __future__ import annotations

import re

from tests.web.pages.conftest import PagesFor, page_login, post_form, post_login

from eduplan.samples.loop import World

XSS = "<script>alert(1)</script>"


def test_only_admin_and_office_open_the_page(pages_for: PagesFor, world: World) -> None:
    for name in ("jichu", "viewer", "leader"):
        client = pages_for(name, world.password)
        assert client.get("/admin").status_code == 403
        assert client.get("/admin.json").status_code == 403
        assert 'href="/admin"' not in client.get("/supervision").text  # not in their navigation
    office = pages_for("office", world.password).get("/admin")
    assert office.status_code == 200 and "学前教育科" in office.text and "jichu" in office.text


def test_office_adds_a_unit_with_aliases_and_then_another_alias(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    empty = post_form(
        office, "/admin/units", {"org_id": world.org_id, "name": "", "aliases": "考试院"}, page="/admin"
    )
    assert empty.status_code == 422 and "请填写单位名称" in empty.text and 'value="考试院"' in empty.text
    made = post_form(
        office,
        "/admin/units",
        {"org_id": world.org_id, "name": "市教育考试院", "aliases": "考试院、招考中心"},
        page="/admin",
    )
    assert made.status_code == 303
    page = office.get(made.headers["location"]).text
    assert "已添加单位市教育考试院" in page
    units = office.get("/admin.json").json()["orgs"][0]["units"]
    found = next(u for u in units if u["name"] == "市教育考试院")
    assert {"考试院", "招考中心"} <= set(found["aliases"])
    taken = post_form(office, f"/admin/units/{found['id']}/aliases", {"alias": "学前教育科"}, page="/admin")
    assert (
        taken.status_code == 422 and "已是另一单位的名称" in taken.text and 'value="学前教育科"' in taken.text
    )
    # on a long directory each unit's alias form is folded; the rejected one comes back unfolded
    folds = re.findall(r'<details class="alias-add"( open)?>', taken.text)
    assert len(folds) >= 2 and folds.count(" open") == 1
    form = taken.text.index(f'action="/admin/units/{found["id"]}/aliases"')
    assert taken.text.rfind('<details class="alias-add" open>', 0, form) > taken.text.rfind("<tr", 0, form)
    added = post_form(office, f"/admin/units/{found['id']}/aliases", {"alias": "考试中心"}, page="/admin")
    assert added.status_code == 303
    assert "考试中心" in office.get("/admin").text
    xss = post_form(office, "/admin/units", {"org_id": world.org_id, "name": XSS}, page="/admin")
    assert xss.status_code == 303
    assert (
        XSS not in office.get("/admin").text
        and "&lt;script&gt;alert(1)&lt;/script&gt;" in office.get("/admin").text
    )


def test_a_new_account_shows_its_one_time_password_once(pages_for: PagesFor, world: World, app) -> None:
    office = pages_for("office", world.password)
    no_unit = post_form(
        office,
        "/admin/users",
        {"username": "new-rep", "display_name": XSS, "role": "reporter", "org_id": world.org_id},
        page="/admin",
    )
    assert no_unit.status_code == 422 and "单位填报员须指定本机构的一个单位" in no_unit.text
    assert 'value="new-rep"' in no_unit.text and "&lt;script&gt;" in no_unit.text and XSS not in no_unit.text
    made = post_form(
        office,
        "/admin/users",
        {
            "username": "new-rep",
            "display_name": "新填报员",
            "role": "reporter",
            "org_id": world.org_id,
            "unit_id": world.units["学前教育科"],
        },
        page="/admin",
    )
    assert made.status_code == 201 and made.headers["cache-control"] == "no-store"
    password = re.search(r'<code class="otp">([^<]+)</code>', made.text)
    assert password and "只显示这一次" in made.text
    listing = office.get("/admin").text
    assert "new-rep" in listing and "待首次登录改密" in listing and password.group(1) not in listing
    from fastapi.testclient import TestClient

    with TestClient(app, follow_redirects=False) as fresh:
        page_login(fresh, "new-rep", password.group(1))
        assert fresh.get("/supervision").headers["location"] == "/password"
    again = post_form(
        office,
        "/admin/users",
        {"username": "new-rep", "role": "viewer", "org_id": world.org_id},
        page="/admin",
    )
    assert again.status_code == 422 and "已存在" in again.text
    assert 'value="admin"' not in office.get("/admin").text.split('id="f-role"')[1].split("</select>")[0]


def test_an_administrator_resets_a_password(admin_pages, world: World, pages_for: PagesFor) -> None:
    page = admin_pages.get("/admin")
    assert "重置为一次性密码" in page.text
    user_id = world.users["jichu"]
    done = post_form(admin_pages, f"/admin/users/{user_id}/reset", {}, page="/admin")
    assert done.status_code == 200 and "密码已重置" in done.text and '<code class="otp">' in done.text
    office = pages_for("office", world.password)
    assert "重置为一次性密码" not in office.get("/admin").text
    assert post_form(office, f"/admin/users/{user_id}/reset", {}, page="/admin").status_code == 403


def test_deactivating_an_account_asks_first_ends_its_session_and_stops_its_logins(
    admin_pages, world: World, pages_for: PagesFor, browser
) -> None:  # type: ignore[no-untyped-def]
    jichu = pages_for("jichu", world.password)
    assert jichu.get("/my").status_code == 200
    office = pages_for("office", world.password)
    user_id = world.users["jichu"]
    row = office.get("/admin").text.split(f'id="user-{user_id}"')[1].split("</tr>")[0]
    assert f'action="/admin/users/{user_id}/active"' in row and 'data-confirm="确认停用账户 jichu？' in row
    own = office.get("/admin").text.split(f'id="user-{world.users["office"]}"')[1].split("</tr>")[0]
    assert "停用" not in own  # nobody deactivates themselves
    done = post_form(office, f"/admin/users/{user_id}/active", {"active": "0"}, page="/admin")
    assert done.status_code == 303 and done.headers["location"] == f"/admin#user-{user_id}"
    listing = office.get(done.headers["location"]).text
    assert "已停用账户 jichu" in listing
    row = listing.split(f'id="user-{user_id}"')[1].split("</tr>")[0]
    assert "已停用" in row and ">启用</button>" in row
    gone = jichu.get("/my")  # the session it had no longer works
    assert gone.status_code == 303 and gone.headers["location"].startswith("/login")
    refused = post_login(browser, {"username": "jichu", "password": world.password, "next": "/"})
    assert refused.status_code != 303 and "用户名或密码错误" in refused.text
    wrong = post_login(browser, {"username": "jichu", "password": "wrong-Passw0rd", "next": "/"})
    assert "用户名或密码错误" in wrong.text  # the same words: nothing tells it is deactivated
    back = post_form(office, f"/admin/users/{user_id}/active", {"active": "1"}, page="/admin")
    assert back.status_code == 303 and "已启用账户 jichu" in office.get(back.headers["location"]).text
    page_login(browser, "jichu", world.password)
    assert browser.get("/my").status_code == 200
    admin_row = admin_pages.get("/admin").text
    assert 'data-confirm="确认停用账户 office？' in admin_row  # an administrator may deactivate office staff
    boss = next(u for u in admin_pages.get("/admin.json").json()["users"] if u["role"] == "admin")
    assert (
        post_form(office, f"/admin/users/{boss['id']}/active", {"active": "0"}, page="/admin").status_code
        == 403
    )
    viewer = pages_for("viewer", world.password)
    refused_page = post_form(viewer, f"/admin/users/{user_id}/active", {"active": "0"}, page="/my")
    assert refused_page.status_code == 403 and "只有办公室" in refused_page.text
