"""Excel 填报 in real chromium, at desktop and phone width: a unit's reporter opens 我的任务 → Excel 填报,
downloads the template, fills a task offline (openpyxl), uploads it, sees the row's changes in the
preview and confirms with 报送; the report is then submitted, as on the form."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import openpyxl

from eduplan.export.cells import put
from eduplan.readers import report_template_layout as lay

from .conftest import LiveServer, sign_in

REPORTER = {"desktop": "renshi", "phone": "anquan"}
"""One reporter per width (not used by the other journeys: the demo server is shared)."""


def fill_first_open_task(path: Path, narrative: str) -> tuple[bytes, str]:
    """The template with its first editable task filled, and that task's number."""
    wb = openpyxl.load_workbook(path)
    sheet = wb[lay.SHEET]
    for n in range(lay.FIRST_ROW, sheet.max_row + 1):
        number = sheet.cell(n, lay.NUMBER).value
        if number and sheet.cell(n, lay.STATUS).protection.locked is False:
            put(sheet, n, lay.STATUS, "推进中")
            put(sheet, n, lay.PERCENT, 55)
            put(sheet, n, lay.NARRATIVE, narrative)
            out = io.BytesIO()
            wb.save(out)
            return out.getvalue(), str(number)
    raise AssertionError("the template has no task open for reporting")


def test_reporter_fills_the_excel_template_and_submits(
    page: Any, live_server: LiveServer, shot: Any, tmp_path: Path
) -> None:
    width = "desktop" if page.viewport_size["width"] > 800 else "phone"
    narrative = f"Excel 填报：本月按计划推进（{width}）"
    sign_in(page, live_server, REPORTER[width])
    page.goto(live_server.url("/my"))
    with page.expect_navigation():
        page.get_by_role("link", name=re.compile("Excel 填报")).click()
    shot(page, "01-excel-page")
    with page.expect_download() as got:
        page.get_by_role("link", name="下载模板（xlsx）").first.click()
    download = got.value
    assert download.suggested_filename.endswith("填报模板.xlsx")
    saved = tmp_path / "模板.xlsx"
    download.save_as(saved)
    data, number = fill_first_open_task(saved, narrative)
    page.locator("#f-file").set_input_files(
        {"name": "填好的模板.xlsx", "mimeType": "application/octet-stream", "buffer": data}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="上传并预览").click()
    row = page.locator("table.upload-preview > tbody > tr", has_text=narrative)
    assert row.is_visible() and number in row.inner_text()
    to_save = page.locator(
        "table.upload-preview > tbody > tr.kind-new, table.upload-preview > tbody > tr.kind-change"
    )
    count = to_save.count()  # the filled row, and any carried over from last time (最多报一次)
    assert count >= 1
    shot(page, "02-preview")
    with page.expect_navigation():
        page.get_by_role("button", name="确认并报送").click()
    assert f"已报送 {count} 项" in page.locator(".notice").first.inner_text()
    assert "已报送" in page.locator("table.upload-preview > tbody > tr", has_text=narrative).inner_text()
    shot(page, "03-submitted")
