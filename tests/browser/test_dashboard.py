"""The home page (首页 驾驶舱) in real chromium at desktop and phone width: a leader's dashboard with
its charts drawn from inline SVG, and a unit reporter's own view."""

from __future__ import annotations

from typing import Any

from .conftest import LiveServer, sign_in


def test_a_leader_reads_the_dashboard(page: Any, live_server: LiveServer, shot: Any) -> None:
    sign_in(page, live_server, "office")
    main = page.locator("main")
    assert page.get_by_role("heading", name="示例市 · 驾驶舱").is_visible()
    for heading in ("本期报送截止", "完成", "红黄绿灯", "上期报送", "督办与整改", "各计划进展"):
        assert main.get_by_role("heading", name=heading).first.is_visible(), heading
    charts = page.locator("figure.chart svg[role=img]")
    assert charts.count() >= 2
    box = charts.first.bounding_box()
    assert box is not None and box["width"] > 200 and box["height"] > 150  # drawn, not collapsed
    assert box["x"] + box["width"] <= page.viewport_size["width"] + 1  # fits the screen
    assert page.get_by_role("img", name="任务红黄绿灯").is_visible()
    assert page.locator(".plans-table tbody tr").count() >= 1
    assert "严重滞后" in main.inner_text()
    shot(page, "01-leader")
    with page.expect_navigation():
        page.locator(".plans-table a").first.click()
    assert "/plans/" in page.url


def test_a_reporter_sees_what_its_unit_owes(page: Any, live_server: LiveServer, shot: Any) -> None:
    sign_in(page, live_server, "jichu")
    assert page.get_by_role("heading", name="基础教育科 · 本单位报送").is_visible()
    text = page.locator("main").inner_text()
    assert "本单位报送完成率" in text and "发展规划科" not in text
    assert page.get_by_role("link", name="填报本期进展").is_visible()
    shot(page, "01-reporter")
