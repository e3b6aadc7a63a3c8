"""The task's life in real chromium, at desktop and phone width (issue 14): a unit's reporter finds a
task to sign in 我的待办, signs it and asks for an extension; office staff find the request in their
我的待办 and approve it; the unit asks to close its part and the office accepts (办结)."""

from __future__ import annotations

import re
from typing import Any

from .conftest import LiveServer, field, sign_in

REPORTER = {"desktop": "anquan", "phone": "renshi"}
"""One reporter per width: the demo server is shared by both runs (and other journeys)."""


def test_sign_extend_and_close_a_task(page: Any, live_server: LiveServer, shot: Any, browser: Any) -> None:
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    sign_in(page, live_server, REPORTER[width])
    page.goto(live_server.url("/todo"))
    assert page.get_by_role("heading", name="我的待办").is_visible()
    shot(page, "01-unit-todo")
    row = page.locator("tr.todo-sign").first
    with page.expect_navigation():
        row.get_by_role("link", name="去办理").click()
    item_url = page.url.split("#")[0]
    with page.expect_navigation():
        page.get_by_role("button", name="签收", exact=True).click()
    assert "已签收" in page.locator(".flash").inner_text()
    page.locator("#life summary", has_text="申请延期").click()
    field(page, "延期至").fill("下月底")
    field(page, "延期理由").fill(f"设备采购流程延长（{width}）")
    shot(page, "02-extension-form")
    with page.expect_navigation():
        page.get_by_role("button", name="提交延期申请").click()
    assert "延期申请已提交" in page.locator(".flash").inner_text()

    office = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=page.viewport_size)
    try:
        desk = office.new_page()
        sign_in(desk, live_server, "office")
        desk.goto(live_server.url("/todo"))
        asked = desk.locator("tr.todo-decide_extend", has_text=f"设备采购流程延长（{width}）")
        shot(desk, "03-office-todo")
        with desk.expect_navigation():
            asked.get_by_role("link", name="去办理").click()
        request = desk.locator("li[id^=request-]", has_text=f"设备采购流程延长（{width}）")
        with desk.expect_navigation():
            request.get_by_role("button", name="同意延期").click()
        assert "已同意延期" in desk.locator(".flash").inner_text()
        assert (
            "已同意" in desk.locator("li[id^=request-]", has_text=f"设备采购流程延长（{width}）").inner_text()
        )

        page.goto(item_url)
        page.locator("#life summary", has_text="申请办结").click()
        field(page, "办结说明").fill(f"任务已全部完成（{width}）")
        with page.expect_navigation():
            page.get_by_role("button", name="提交办结申请").click()
        assert "办结申请已提交" in page.locator(".flash").inner_text()

        desk.goto(item_url)
        closing = desk.locator("li[id^=request-]", has_text=f"任务已全部完成（{width}）")
        with desk.expect_navigation():
            closing.get_by_role("button", name="办结", exact=True).click()
        assert "已办结" in desk.locator(".flash").inner_text()
        life = desk.locator("#life")
        assert re.search(r"已办结", life.inner_text())
        life.scroll_into_view_if_needed()
        shot(desk, "04-closed")
    finally:
        office.close()
