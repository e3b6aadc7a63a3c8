"""交办事项 in real chromium, at desktop and phone width (issue 14): office staff go from the 督办 board to
新建交办事项, create a monthly 常态化 duty given three months ago, and land on its task page, which says
where it came from and lists each occurrence with the missed ones as 缺报; axe finds nothing serious on
the form or the task page."""

from __future__ import annotations

from datetime import date
from typing import Any

from .conftest import LiveServer, field, sign_in
from .test_accessibility import axe_page as axe_page
from .test_accessibility import serious_findings


def _three_months_ago(day: date) -> date:
    m = day.month - 4
    return date(day.year + m // 12, m % 12 + 1, min(day.day, 28))


def test_office_creates_a_monthly_duty_and_sees_its_occurrences(
    axe_page: Any, live_server: LiveServer, shot: Any
) -> None:
    page = axe_page
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    sign_in(page, live_server, "office")
    page.goto(live_server.url("/supervision"))
    with page.expect_navigation():
        page.get_by_role("link", name="新建交办事项").click()
    assert page.get_by_role("heading", name="新建交办事项").is_visible()
    assert serious_findings(page) == []
    field(page, "事项来源").select_option(label="常态化工作")
    field(page, "事项名称").fill(f"校园安全月度检查（{width}）")
    field(page, "事项内容").fill("每月开展一次校园安全检查，报送检查情况和问题清单。")
    field(page, "责任单位（牵头）").select_option(index=1)
    field(page, "重复").select_option(label="每月")
    field(page, "交办日期").fill(_three_months_ago(date.today()).isoformat())
    shot(page, "01-form")
    with page.expect_navigation():
        page.get_by_role("button", name="创建").click()
    assert "已创建交办事项" in page.locator(".flash").inner_text()
    card = page.locator("#adhoc")
    assert "来源：常态化工作" in card.inner_text()
    assert "每月（常态化，无截止日期）" in card.inner_text()
    assert card.locator("span.tag", has_text="缺报").count() == 3
    shot(page, "02-task-page")
    assert serious_findings(page) == []
