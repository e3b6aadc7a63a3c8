"""Accessibility in real chromium (issue 15), at desktop and phone width:

- axe-core (npm, pinned in tests/browser/package.json, installed by .ci/run with ``npm ci``; injected
  by Playwright into the page under test only — never served to users, never from a CDN) runs on
  every main page of every role (administrator, office, leader, viewer, unit reporter) and on the
  login page; any serious or critical finding fails, listed with the page and the elements;
- after a wrong password the focus is on the password field, which names its error;
- a long unbroken URL in a comment does not make a phone page wider than the phone;
- with JavaScript off the phone menu is folded under 菜单 and opens by a tap (desktop: in a line);
- the unit ranking on a phone is a compact table, one line per unit.
Screenshots of the pages changed for this go to test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.main_pages import MENU_PAGES

from .conftest import VIEWPORTS, LiveServer, autofocused, field, sign_in
from .test_pages_tour import OVERFLOW

AXE = Path(__file__).resolve().parent / "node_modules" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.filter(v => ["serious", "critical"].includes(v.impact)).map(v =>
    `${v.impact} ${v.id} (${v.help}): ` + v.nodes.slice(0, 4).map(n => n.target.join(" ")).join(" | "));
}"""
ROLES = ("admin", "office", "leader", "viewer", "jichu")


@pytest.fixture
def axe_page(page: Any) -> Any:
    """The `page` fixture with axe-core loaded into every document it opens."""
    if not AXE.exists():
        reason = f"{AXE} is missing: npm ci --prefix tests/browser (.ci/run does it)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    page.context.add_init_script(path=str(AXE))  # by the browser's debugger: the pages' CSP is untouched
    return page


def serious_findings(page: Any) -> list[str]:
    return list(page.evaluate(RUN_AXE))


def main_pages(page: Any, server: LiveServer) -> list[str]:
    """The main pages this person can open: the menu's, each plan, a task, its exports and forms."""
    page.goto(server.url("/plans"))
    plans = sorted(set(re.findall(r'href="(/plans/\d+)"', page.content())))[:3]
    urls = [
        "/",
        "/plans",
        *plans,
        "/my",
        "/my/report",
        *MENU_PAGES,
        "/plans/import",
    ]
    if plans:
        page.goto(server.url(plans[0]))
        task = re.search(r'href="(/items/\d+)"', page.content())
        urls += [task.group(1)] if task else []
        urls += [f"{plans[0]}/exports", f"{plans[0]}/assignments", f"{plans[0]}/schedule"]
    page.goto(server.url("/rectifications"))
    one = re.search(r'href="(/rectifications/\d+)"', page.content())
    return urls + ([one.group(1)] if one else [])


PHOTOGRAPHED = ("/", "/my/report", "/compare", "/supervision")
"""Pages changed for this issue photographed here (the plan and task pages below, the rest in the tour)."""


@pytest.mark.parametrize("who", ROLES)
def test_axe_finds_nothing_serious_on_any_main_page(
    axe_page: Any, live_server: LiveServer, who: str, shot: Any
) -> None:
    page = axe_page
    sign_in(page, live_server, who)
    found: list[str] = []
    checked = 0
    for url in main_pages(page, live_server):
        response = page.goto(live_server.url(url))
        if response is None or response.status != 200:
            continue  # not this role's page (403) — the tour and page tests cover who may open what
        checked += 1
        found += [f"{url}: {f}" for f in serious_findings(page)]
        if url in PHOTOGRAPHED or re.fullmatch(r"/(plans|items)/\d+", url):
            shot(page, f"{checked:02d}-" + (re.sub(r"\W+", "-", url).strip("-") or "home"))
    assert checked >= 8, checked
    assert found == [], "\n".join(found)


def test_login_page_and_a_wrong_password(axe_page: Any, live_server: LiveServer, shot: Any) -> None:
    page = axe_page
    page.goto(live_server.url("/login"))
    assert serious_findings(page) == []
    field(page, "用户名").fill("office")
    field(page, "密码").fill("wrong-password")
    with page.expect_navigation():
        page.get_by_role("button", name="登录").click()
    assert autofocused(page) == "f-password"
    focus = page.evaluate(
        "(() => { const e = document.activeElement; return [e.id, e.getAttribute('aria-invalid'),"
        " (document.getElementById(e.getAttribute('aria-describedby') || '') || {}).textContent || ''];})()"
    )
    assert focus[0] == "f-password" and focus[1] == "true" and focus[2].strip(), focus
    assert serious_findings(page) == []
    shot(page, "01-wrong-password")


@pytest.fixture(params=list(VIEWPORTS))
def no_script(request: pytest.FixtureRequest, browser: Any, live_server: LiveServer) -> Iterator[Any]:
    """A page at one width with JavaScript switched off."""
    context = browser.new_context(
        locale="zh-CN", timezone_id="Asia/Shanghai", java_script_enabled=False, **VIEWPORTS[request.param]
    )
    context.set_default_timeout(15_000)
    yield context.new_page()
    context.close()


def test_menu_without_javascript_is_folded_on_a_phone(
    no_script: Any, live_server: LiveServer, shot: Any
) -> None:
    page = no_script
    sign_in(page, live_server, "office")
    menu = page.get_by_role("navigation", name="主导航")
    supervision = menu.get_by_role("link", name="督办", exact=True)
    if page.viewport_size["width"] > 720:
        assert supervision.is_visible() and not page.get_by_text("菜单", exact=True).is_visible()
        shot(page, "01-desktop-menu")
        return
    assert not supervision.is_visible()  # folded: the page starts with its content, not ten links
    shot(page, "01-folded")
    page.get_by_text("菜单", exact=True).click()
    assert supervision.is_visible()
    shot(page, "02-opened")
    with page.expect_navigation():
        supervision.click()
    assert page.get_by_role("heading", level=1, name="督办台账").is_visible()


def test_phone_pages_stay_within_the_phone(page: Any, live_server: LiveServer, shot: Any) -> None:
    """A long URL in a comment wraps; the unit ranking is one line per unit; reasons of lights show."""
    sign_in(page, live_server, "office")
    page.goto(live_server.url("/plans"))
    plan = page.get_by_role("link", name=re.compile(r"教育工作要点$")).first
    plan.click()
    page.wait_for_load_state()
    why = page.locator(".light-why").first
    assert why.is_visible() and why.inner_text().strip()  # not a hover title: touch and keys get it
    shot(page, "01-plan-light-reasons")
    page.locator("article.task h3 a").first.click()
    page.wait_for_load_state()
    long_url = "https://www.example.edu.cn/" + "a1b2c3d4e5" * 20 + "?report=" + "x" * 60
    field(page, "发表评论").fill(f"参考资料见 {long_url}")
    with page.expect_navigation():
        page.get_by_role("button", name="发表评论").click()
    assert page.get_by_text(long_url[:40], exact=False).first.is_visible()
    width, wide = page.evaluate(OVERFLOW)
    assert width <= page.viewport_size["width"] and wide == [], f"wider than the screen: {width} {wide}"
    shot(page, "02-task-long-url")
    page.goto(live_server.url("/"))
    rows = page.locator("table.units-table tbody tr:not(.gap)")
    assert rows.count() >= 5
    heights = [rows.nth(i).bounding_box()["height"] for i in range(rows.count())]
    assert max(heights) < 64, heights  # one line each, not a card of nine lines
    width, wide = page.evaluate(OVERFLOW)
    assert width <= page.viewport_size["width"] and wide == [], f"wider than the screen: {width} {wide}"
    shot(page, "03-home-units")
