"""The 台账 xlsx, opened back with openpyxl: layout, print setup, one row per task, atomic writing."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from eduplan.domain import Plan
from eduplan.export import ledger
from eduplan.export.ledger import COLUMNS, write_ledger

HEADERS = ["序号", "章", "任务", "主要内容", "责任单位", "量化目标", "完成时限", "进展情况", "备注"]


@pytest.fixture
def sheet(plan: Plan, tmp_path: Path):  # type: ignore[no-untyped-def]
    path = write_ledger(plan, tmp_path / "台账.xlsx")
    return load_workbook(path).active


def test_title_row_merged_and_header(sheet) -> None:  # type: ignore[no-untyped-def]
    assert [h for h, _ in COLUMNS] == HEADERS
    assert sheet["A1"].value == "2024年示例市教育工作要点 工作台账"
    assert "A1:I1" in {str(r) for r in sheet.merged_cells.ranges}
    assert [c.value for c in sheet[2]] == HEADERS


def test_one_row_per_task(sheet) -> None:  # type: ignore[no-untyped-def]
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert len(rows) == 3
    first = rows[0]
    assert first[:3] == [1, "一、扩大优质教育资源供给", "1. 加快中小学幼儿园建设"]
    assert first[3].startswith("加快中小学幼儿园建设。新增学位16500个")
    assert first[4] == "发展规划科\n基础教育科"
    assert first[5] == "新增学位16500个\n覆盖率达到85%以上"
    assert first[6] == "2024年6月30日"
    assert first[7] is None and first[8] is None
    assert rows[1][5] is None and rows[1][6] is None
    assert rows[2][4] == "牵头：教师工作科；配合：教科院\n各区县教育局"
    assert [r[0] for r in rows] == [1, 2, 3]


def test_screen_and_print_setup(sheet) -> None:  # type: ignore[no-untyped-def]
    assert sheet.freeze_panes == "A3"
    assert sheet.page_setup.orientation == "landscape"
    assert str(sheet.page_setup.paperSize) == str(sheet.PAPERSIZE_A4)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
    assert sheet.print_title_rows.replace("$", "") == "1:2"
    assert sheet.column_dimensions["D"].width == 60
    cell = sheet["D3"]
    assert cell.alignment.wrap_text
    assert cell.border.left.style == "thin" and cell.border.bottom.style == "thin"


def test_failed_write_leaves_old_file_and_no_temp(plan: Plan, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "台账.xlsx"
    target.write_bytes(b"old")

    def broken(_plan: Plan):  # type: ignore[no-untyped-def]
        class Book:
            def save(self, path: Path) -> None:
                Path(path).write_bytes(b"half")
                raise OSError("disk full")

        return Book()

    monkeypatch.setattr(ledger, "build_workbook", broken)
    with pytest.raises(OSError):
        write_ledger(plan, target)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["台账.xlsx"]


def test_plan_without_tasks_gives_header_only(tmp_path: Path) -> None:
    sheet = load_workbook(write_ledger(Plan(title="空"), tmp_path / "x.xlsx")).active
    assert sheet.max_row == 2
    assert sheet["A1"].value == "空 工作台账"
