"""领导批示 in real chromium, at desktop and phone width (issue 14): the leader writes a 批示 with a
办理期限 on a unit's task and it stands at the top of the task; the unit's reporter finds it in 我的待办,
follows the link and marks it 已阅/办理, and it leaves the list."""

from __future__ import annotations

from typing import Any

from .conftest import LiveServer, field, sign_in

REPORTER = {"desktop": "jiaoshi", "phone": "dudao"}
"""One reporter per width: the demo server is shared by both runs (and other journeys)."""


def test_leader_instructs_and_the_unit_acknowledges(
    page: Any, live_server: LiveServer, shot: Any, browser: Any
) -> None:
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    sign_in(page, live_server, REPORTER[width])
    page.goto(live_server.url("/my"))
    task = page.locator('td a[href^="/items/"]').first
    item_url = live_server.url(task.get_attribute("href").split("#")[0])
    words = f"请于下周五前报送进展并说明困难（{width}）"

    leader = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=page.viewport_size)
    try:
        desk = leader.new_page()
        sign_in(desk, live_server, "leader")
        desk.goto(item_url)
        form = desk.locator("#instructions details")
        if form.get_attribute("open") is None:
            form.locator("summary", has_text="作出批示").click()
        field(desk, "批示内容").fill(words)
        field(desk, "办理期限（可不填）").fill("下周五")
        with desk.expect_navigation():
            desk.get_by_role("button", name="发出批示").click()
        assert "批示已发出" in desk.locator(".flash").inner_text()
        top = desk.locator("#instructions li", has_text=words)
        assert "李明" in top.inner_text() and "办理期限" in top.inner_text()
        above = desk.evaluate(
            "() => document.querySelector('#instructions').compareDocumentPosition("
            "document.querySelector('#text')) & Node.DOCUMENT_POSITION_FOLLOWING"
        )
        assert above, "the 批示 is not above the task's text"
        shot(desk, "01-leader-instruction-on-top")
    finally:
        leader.close()

    page.goto(live_server.url("/todo"))
    row = page.locator("tr.todo-instruction", has_text=words)
    assert row.is_visible()
    shot(page, "02-unit-todo")
    with page.expect_navigation():
        row.get_by_role("link", name="去办理").click()
    mine = page.locator("#instructions li", has_text=words)
    mine.get_by_label("办理情况（可不填）").fill("已部署，下周五前报送")
    with page.expect_navigation():
        mine.get_by_role("button", name="已阅/办理").click()
    assert "已阅批示" in page.locator(".flash").inner_text()
    assert "已部署，下周五前报送" in page.locator("#instructions li", has_text=words).inner_text()
    shot(page, "03-unit-acknowledged")
    page.goto(live_server.url("/todo"))
    assert page.locator("tr.todo-instruction", has_text=words).count() == 0
