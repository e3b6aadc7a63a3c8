"""Bringing an existing 台账 in, in real chromium: office staff upload a ledger, see how each column
was read and which rows cannot be read, read one column otherwise, and confirm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.services import ledger_books as books

from .conftest import LiveServer, sign_in


def test_office_imports_a_ledger(page: Any, live_server: LiveServer, shot: Any, tmp_path: Path) -> None:
    ledger = tmp_path / "长春台账.xlsx"
    ledger.write_bytes(books.monthly(months=3, bad=True))
    sign_in(page, live_server, "office")
    page.goto(live_server.url("/plans"))
    with page.expect_navigation():
        page.get_by_role("link", name="导入已有台账").click()
    page.locator("#f-file").set_input_files(str(ledger))
    with page.expect_navigation():
        page.get_by_role("button", name="上传并预览").click()
    problems = page.locator("#ledger-problems").inner_text()
    assert "第 5 行：完成进度“约一半”不是百分数" in problems
    assert "3月" in page.locator("#ledger-summary").inner_text()
    shot(page, "01-preview")

    page.get_by_label("I 列的用途").select_option("ignore")  # March's column is not imported
    with page.expect_navigation():
        page.get_by_role("button", name="按所选用途重新识别").click()
    assert "已按所选用途重新识别各列" in page.locator(".flash").inner_text()
    assert page.get_by_label("I 列的用途").input_value() == "ignore"
    assert "（第3期）" not in page.locator("#ledger-reports").inner_text()
    shot(page, "02-remapped")

    with page.expect_navigation():
        page.get_by_role("button", name="确认导入").click()
    assert "已导入台账：3 项任务" in page.locator(".flash").inner_text()
    assert "2024年长春市教育工作要点" in page.content()
    shot(page, "03-plan")
