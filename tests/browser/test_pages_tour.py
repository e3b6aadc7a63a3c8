"""A tour of every main page in real chromium, at desktop and phone width, each opened through the
menu by a role that uses it: 首页, 规划 (list, the five-year plan with its indicator table), 任务详情,
我的任务, 督办, 整改, 考核, 对标, 检索 (学前), 单位与用户.  On each page: its heading is shown, the
browser logged no console error, no request failed or answered 4xx/5xx, and a screenshot is saved.

Also the keyboard on the login page: Tab goes 用户名 → 密码 → 登录 in that order, and the focused
field has a visible outline (screenshot with the focus on a field).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from eduplan.samples.five_year_text import five_year_title
from eduplan.services.clock import today

from .conftest import LiveServer, autofocused, field, sign_in
from .test_journey import nav_to

YEAR = today("Asia/Shanghai").year


class Watch:
    """Console errors, uncaught exceptions and failed or refused requests of a page."""

    def __init__(self, page: Any) -> None:
        self.problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and self.problems.append(f"console: {m.text}"))
        page.on("pageerror", lambda e: self.problems.append(f"script error: {e}"))
        page.on("requestfailed", lambda r: self.problems.append(f"failed: {r.url} {r.failure}"))
        page.on("response", lambda r: r.status >= 400 and self.problems.append(f"{r.status}: {r.url}"))

    def check(self, where: str) -> None:
        assert self.problems == [], f"{where}: {self.problems}"


OVERFLOW = """(() => {
  const w = document.documentElement.clientWidth, out = [];
  for (const e of document.querySelectorAll("body *")) {
    const r = e.getBoundingClientRect();
    if (r.right > w + 1 && !e.closest(".table-wrap") && getComputedStyle(e).position !== "fixed")
      out.push(e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "") + " " + Math.round(r.right));
  }
  return [document.documentElement.scrollWidth, out.slice(0, 8)];
})()"""


def arrive(
    page: Any, watch: Watch, shot: Callable[[Any, str], Any], name: str, heading: str | re.Pattern[str]
) -> None:
    """The page shows `heading` as its h1, had no problem, nothing sticks out sideways (tables may
    scroll inside their .table-wrap), and it is photographed."""
    assert page.get_by_role("heading", level=1, name=heading).is_visible(), name
    watch.check(name)
    width, wide = page.evaluate(OVERFLOW)
    assert width <= page.viewport_size["width"] and wide == [], f"{name}: wider than the screen: {wide}"
    shot(page, name)


def test_office_home_supervision_and_rectifications(page: Any, live_server: LiveServer, shot: Any) -> None:
    watch = Watch(page)
    sign_in(page, live_server, "office")
    arrive(page, watch, shot, "01-home", "示例市 · 驾驶舱")
    nav_to(page, "督办")
    arrive(page, watch, shot, "02-supervision", "督办台账")
    assert page.locator("table.urges tbody tr").count() >= 1
    nav_to(page, "整改")
    arrive(page, watch, shot, "03-rectifications", "整改事项")


def test_admin_plans_five_year_plan_task_and_units(page: Any, live_server: LiveServer, shot: Any) -> None:
    watch = Watch(page)
    sign_in(page, live_server, "admin")
    nav_to(page, "规划")
    arrive(page, watch, shot, "01-plans", "规划")
    five = five_year_title(YEAR)
    with page.expect_navigation():
        page.get_by_role("link", name=five).first.click()
    arrive(page, watch, shot, "02-five-year-plan", five)
    indicators = page.locator("table.indicators")
    indicators.scroll_into_view_if_needed()
    assert page.get_by_role("heading", name="主要指标", exact=True).is_visible()
    assert indicators.locator("tbody tr").count() >= 3
    nav_to(page, "规划")
    with page.expect_navigation():
        page.get_by_role("link", name=f"示例市教育局{YEAR}年教育工作要点").first.click()
    with page.expect_navigation():
        page.locator("article.task h3 a").first.click()
    assert re.search(r"/items/\d+$", page.url)
    arrive(page, watch, shot, "03-task", re.compile(r"^\d+\. "))
    for section in ("任务内容", "进度", "报送情况", "督办"):
        assert page.get_by_role("heading", level=2, name=section).is_visible(), section
    nav_to(page, "单位与用户")
    arrive(page, watch, shot, "04-admin", "单位与用户")
    assert page.get_by_role("heading", name="单位目录").is_visible()


def test_reporter_my_tasks(page: Any, live_server: LiveServer, shot: Any) -> None:
    watch = Watch(page)
    sign_in(page, live_server, "jichu")
    nav_to(page, "我的任务")
    arrive(page, watch, shot, "01-my", re.compile("^我的任务"))
    assert "基础教育科" in page.locator("h1").inner_text()


def test_leader_evaluation_and_compare(page: Any, live_server: LiveServer, shot: Any) -> None:
    watch = Watch(page)
    sign_in(page, live_server, "leader")
    nav_to(page, "考核")
    arrive(page, watch, shot, "01-evaluation", "年终考核")
    assert page.get_by_role("heading", name="考核排名").is_visible()
    nav_to(page, "对标")
    arrive(page, watch, shot, "02-compare", "对标分析")
    assert page.get_by_role("heading", name="规划 × 主题矩阵").is_visible()
    if page.viewport_size["width"] >= 1366:  # every topic column in view on a laptop, none cut off
        hidden = page.evaluate(
            "(() => { const w = document.querySelector('#matrix .table-wrap');"
            " return w.scrollWidth - w.clientWidth; })()"
        )
        assert hidden <= 1, f"the matrix hides {hidden} px at 1366 px"


def test_viewer_searches_for_preschool(page: Any, live_server: LiveServer, shot: Any) -> None:
    watch = Watch(page)
    sign_in(page, live_server, "viewer")
    nav_to(page, "检索")
    field(page, "关键词").fill("学前")
    with page.expect_navigation():
        field(page, "关键词").press("Enter")
    arrive(page, watch, shot, "01-search", "检索任务")
    hits = page.locator("li.hit")
    assert hits.count() >= 1
    assert "学前" in hits.first.locator("mark").first.inner_text()


def focused(page: Any) -> str:
    """The focused element: its id, else its text."""
    return str(
        page.evaluate("(() => { const e = document.activeElement; return e.id || e.textContent.trim(); })()")
    )


def test_login_keyboard_order_and_visible_focus(page: Any, live_server: LiveServer, shot: Any) -> None:
    watch = Watch(page)
    page.goto(live_server.url("/login"))
    assert autofocused(page) == "f-username"  # autofocus: type at once
    forward = []
    for _ in range(2):
        page.keyboard.press("Tab")
        forward.append(focused(page))
    assert forward == ["f-password", "登录"]
    back = []
    for _ in range(4):
        page.keyboard.press("Shift+Tab")
        back.append(focused(page))
    assert back == ["f-password", "f-username", "eduplan 教育规划落实", "跳到正文"]
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")  # by keyboard, so :focus-visible applies
    style = page.evaluate(
        "(() => { const e = document.activeElement, s = getComputedStyle(e);"
        " return [e.id, s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style[0] == "f-username" and style[1] != "none" and float(style[2].rstrip("px")) >= 2, style
    page.keyboard.type("jichu")
    watch.check("login")
    shot(page, "01-focus-on-username")
