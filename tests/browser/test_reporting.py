"""The reporting journey in real chromium, at desktop and phone width: a unit's reporter opens 我的任务,
reports on a task in the one-page form with an evidence PDF and submits; office staff open the task,
see the report and its file, and accept it (通过)."""

from __future__ import annotations

import re
from typing import Any

from tests.sample_files import pdf_bytes

from .conftest import LiveServer, sign_in

REPORTER = {"desktop": "caiwu", "phone": "zhuangbei"}
"""One reporter per width: the demo server is shared by both runs of the journey."""


def test_reporter_reports_with_evidence_and_office_accepts(
    page: Any, live_server: LiveServer, shot: Any, browser: Any
) -> None:
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    reporter = REPORTER[width]
    narrative = f"浏览器填报：本期完成阶段性任务（{width}）"
    sign_in(page, live_server, reporter)
    page.goto(live_server.url("/my"))
    assert page.get_by_role("heading", name=re.compile("我的任务")).is_visible()
    shot(page, "01-my-tasks")
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("集中填报")).click()
    item_id = page.locator('input[name="s0-item"]').get_attribute("value")
    page.locator("#f-s0-progress").select_option("in_progress")
    page.locator("#f-s0-percent").fill("60")
    page.locator("#f-s0-narrative").fill(narrative)
    page.locator("#f-s0-files").set_input_files(
        {"name": "进展佐证.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes("evidence of progress")}
    )
    shot(page, "02-report-form")
    with page.expect_navigation():
        page.get_by_role("button", name="报送").click()
    assert "已报送" in page.locator(".flash").inner_text()
    shot(page, "03-after-submit")

    office = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", viewport=page.viewport_size)
    try:
        desk = office.new_page()
        sign_in(desk, live_server, "office")
        desk.goto(live_server.url(f"/items/{item_id}"))
        report = desk.locator("li.report", has_text=narrative)
        assert report.get_by_role("link", name="进展佐证.pdf").is_visible()
        assert "已报送" in report.inner_text()
        report.scroll_into_view_if_needed()
        shot(desk, "04-office-review")
        with desk.expect_navigation():
            report.get_by_role("button", name="通过").click()
        assert "报告已审核通过" in desk.locator(".flash").inner_text()
        assert "已通过" in desk.locator("li.report", has_text=narrative).inner_text()
        shot(desk, "05-accepted")
    finally:
        office.close()
