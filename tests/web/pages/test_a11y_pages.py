"""Pages usable by everyone (issue 15, "Accessible to everyone" and "Small"): no page repeats an id
and every label names a field that exists (for each role); why a light is red or amber is written on
the plan page, not only in a hover title; a wrong password puts the focus on the password field with
its error; two periods of one task in 集中填报 are told apart by their group names; pages and styles
come back gzip-compressed when the browser asks; the favicon is our own and linked from every page.

The browser side of the same promises (axe-core, phone widths, no JavaScript) is in
tests/browser/test_accessibility.py.
"""

from __future__ import annotations

import html as markup
import re
from collections import Counter

from fastapi.testclient import TestClient
from tests.main_pages import MENU_PAGES
from tests.web.conftest import ClientFor

from eduplan.samples.loop import World
from eduplan.web.csrf_mask import unmask

from .conftest import PagesFor, csrf_of, post_login

ON = "2024-05-20"  # cycle index 4 (May 2024) of the sample plans' monthly reports
_ID = re.compile(r'\sid="([^"]*)"')
_FOR = re.compile(r'<label[^>]*\sfor="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")
_TOKEN = re.compile(r'name="csrf_token" value="[^"]*"')


def text_of(fragment: str) -> str:
    """What a person reads of an HTML fragment: tags and title attributes gone, spaces squeezed."""
    return re.sub(r"\s+", " ", markup.unescape(_TAG.sub(" ", fragment))).strip()


def report(client: TestClient, world: World, unit: str, item: int, cycle: int, submit: bool) -> None:
    url = f"/api/v1/items/{item}/reports/{world.units[unit]}/{cycle}"
    saved = client.put(url, json={"progress": "in_progress", "percent": 40, "narrative": "按计划推进"})
    assert saved.status_code == 200, saved.text
    if submit:
        body = saved.json()
        sent = client.post(f"/api/v1/reports/{body['id']}/submit", json={"version": body["version"]})
        assert sent.status_code == 200, sent.text


def busy_world(client_for: ClientFor, world: World) -> int:
    """Task 1 with two reports waiting for review, an older draft beside this month's slot, and two
    open urges to 基础教育科 — the repeated blocks where ids used to collide.  Returns the item id."""
    item = world.items["1"]
    guihua, jichu = client_for("guihua", world.password), client_for("jichu", world.password)
    report(guihua, world, "发展规划科", item, 3, submit=True)
    report(jichu, world, "基础教育科", item, 3, submit=True)
    report(jichu, world, "基础教育科", item, 2, submit=False)
    office = client_for("office", world.password)
    for note in ("请报送建设进度", "请说明开工情况"):
        urged = office.post(
            f"/api/v1/items/{item}/urges",
            json={"note": note, "due_on": "12月31日前", "unit_id": world.units["基础教育科"]},
        )
        assert urged.status_code == 201, urged.text
    return item


def main_pages(world: World, item: int) -> list[str]:
    plan = world.plan_id
    return [
        "/",
        "/plans",
        f"/plans/{plan}",
        f"/plans/{world.district_plan_id}",
        f"/items/{item}",
        f"/items/{world.district_items['1']}",
        f"/my?on={ON}",
        f"/my/report?on={ON}",
        *MENU_PAGES,
        "/password",
        f"/plans/{plan}/exports",
        f"/plans/{plan}/assignments",
        f"/plans/{plan}/schedule",
        "/plans/import",
    ]


def test_no_main_page_repeats_an_id_and_every_label_names_a_field(
    pages_for: PagesFor, client_for: ClientFor, world: World, admin_account: tuple[str, str]
) -> None:
    item = busy_world(client_for, world)
    people = [
        ("office", world.password),
        ("leader", world.password),
        ("viewer", world.password),
        ("jichu", world.password),
        admin_account,
    ]
    seen = 0
    for username, password in people:
        client = pages_for(username, password)
        for url in main_pages(world, item):
            response = client.get(url)
            assert response.status_code in (200, 403, 404), (username, url, response.status_code)
            seen += response.status_code == 200
            html = response.text
            ids = Counter(_ID.findall(html))
            assert {i: n for i, n in ids.items() if n > 1} == {}, f"{username} {url}: repeated ids"
            assert set(_FOR.findall(html)) <= set(ids), f"{username} {url}: a label for no field"
    assert seen >= 60


def test_the_urge_note_has_its_own_field_and_name(
    pages_for: PagesFor, client_for: ClientFor, world: World
) -> None:
    item = busy_world(client_for, world)
    html = pages_for("office", world.password).get(f"/items/{item}").text
    urge_form = html.split(f'action="/items/{item}/urges"', 1)[1].split("</form>", 1)[0]
    label = re.search(r'<label for="([^"]+)">督办事项', urge_form)
    assert label, "督办事项 has a label"
    field = re.search(rf'<textarea id="{label.group(1)}" name="(\w+)"', urge_form)
    assert field and field.group(1) == "note"
    assert html.count(f'id="{label.group(1)}"') == 1  # its label focuses it, not a review box


def test_why_a_light_is_red_or_amber_is_written_beside_it(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    html = office.get(f"/plans/{world.plan_id}").text
    data = office.get(f"/plans/{world.plan_id}.json").json()
    tasks = [t for ch in data["outline"]["chapters"] for t in ch["tasks"]]
    lit = [t for t in tasks if t.get("light") in ("red", "amber") and t.get("light_reasons")]
    assert lit, "the sample plan has lights that are not green"
    for t in lit:
        card = html.split(f'id="task-{t["index"]}"', 1)[1].split("</article>", 1)[0]
        for reason in t["light_reasons"]:
            assert reason in text_of(card), (t["number"], reason)
    assert 'title="已超过' not in html and 'title="落后' not in html  # no longer hidden in a tooltip


def test_a_wrong_password_puts_the_focus_on_the_password_and_its_error(
    browser: TestClient, world: World
) -> None:
    page = post_login(browser, {"username": "office", "password": "not-the-password", "next": "/"}).text
    password = re.search(r"<input id=\"f-password\"[^>]*>", page)
    username = re.search(r"<input id=\"f-username\"[^>]*>", page)
    assert password and username
    assert "autofocus" in password.group(0) and "autofocus" not in username.group(0)
    assert 'aria-invalid="true"' in password.group(0) and 'aria-describedby="e-password"' in password.group(0)
    assert re.search(r'<p class="error" id="e-password" role="alert">[^<]+</p>', page)
    fresh = browser.get("/login").text  # nothing wrong yet: the user name first
    assert "autofocus" in re.search(r"<input id=\"f-username\"[^>]*>", fresh).group(0)  # type: ignore[union-attr]


def test_two_periods_of_one_task_are_named_by_their_period(
    pages_for: PagesFor, client_for: ClientFor, world: World
) -> None:
    item = busy_world(client_for, world)
    html = pages_for("jichu", world.password).get(f"/my/report?on={ON}").text
    legends = [text_of(m) for m in re.findall(r"<legend>(.*?)</legend>", html, re.S)]
    of_item = [g for g in legends if g.startswith("1. ")]
    assert len(of_item) == 2, legends
    assert len(set(legends)) == len(legends), legends
    assert "第 3 期" in of_item[0] + of_item[1] and "第 5 期" in of_item[0] + of_item[1]
    assert f'href="/items/{item}"' in html


def test_pages_and_styles_are_gzipped_when_asked(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    for url in (f"/plans/{world.plan_id}", "/static/app.css"):
        asked = office.get(url, headers={"Accept-Encoding": "gzip"})
        assert asked.status_code == 200 and asked.headers.get("content-encoding") == "gzip", url
        assert "Accept-Encoding" in asked.headers.get("vary", "")
        plain = office.get(url, headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert _TOKEN.sub("", plain.text) == _TOKEN.sub("", asked.text)  # the same page (masks differ)


def test_the_favicon_is_ours_and_linked_from_every_page(
    browser: TestClient, pages_for: PagesFor, world: World
) -> None:
    icon = browser.get("/static/favicon.svg")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in icon.text and "http://" not in icon.text.replace("http://www.w3.org/2000/svg", "")
    legacy = browser.get("/favicon.ico")  # asked for by browsers and tools that read no <link>
    assert legacy.status_code in (301, 308) and legacy.headers["location"] == "/static/favicon.svg"
    for page in (browser.get("/login").text, pages_for("office", world.password).get("/").text):
        assert '<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">' in page


def test_the_csrf_token_of_a_compressed_page_differs_in_every_response(
    pages_for: PagesFor, world: World
) -> None:
    """gzip and a secret beside text the requester chose (BREACH): pages write the token masked."""
    office = pages_for("office", world.password)
    url = f"/search?q={'csrf_token' * 3}"
    first, second = office.get(url).text, office.get(url).text
    assert csrf_of(first) != csrf_of(second)
    assert unmask(csrf_of(first)) == unmask(csrf_of(second))  # one session token under two masks
    wrong = office.post("/logout", data={"csrf_token": "00" * 40})
    assert wrong.status_code == 403
    posted = office.post("/logout", data={"csrf_token": csrf_of(second)})
    assert posted.status_code == 303 and office.get("/").status_code == 303  # signed out: to the login
