"""The 台账 with current progress, opened again with openpyxl: the parsed ledger's columns plus the
light (word and fill colour), 序时进度 and 完成进度 as real percentages, target actuals, each unit's
latest narrative, the overdue mark, and the units' reporting sheet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from tests.export.progress_scenario import NARRATIVE_1, SCRIPT, TODAY, file_april, reporter

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.export.ledger import COLUMNS as PLAIN_COLUMNS
from eduplan.export.ledger_progress import COLUMNS, write_progress_ledger
from eduplan.samples.loop import World, build_world
from eduplan.services import drafts
from eduplan.services.accounts import Principal
from eduplan.services.tracking.ledger_rows import progress_ledger

SYSTEM = Principal.system()


@dataclass(frozen=True)
class Ledgers:
    """The progress 台账 of `world`'s plan, written into `folder` and opened again with openpyxl."""

    sessions: SessionFactory
    settings: Settings
    world: World
    folder: Path

    def book(self, who: Principal = SYSTEM, on: date = TODAY, name: str = "台账.xlsx") -> Workbook:
        ledger = progress_ledger(self.sessions, self.settings, who, self.world.plan_id, on)
        return load_workbook(write_progress_ledger(ledger, self.folder / name))


@pytest.fixture
def april(world: World, sessions: SessionFactory, settings: Settings, tmp_path: Path) -> Ledgers:
    """The ledgers of the sample world with its units' April reports filed."""
    file_april(sessions, world)
    return Ledgers(sessions, settings, world, tmp_path)


def _rows(sheet) -> dict[str, dict[str, object]]:  # type: ignore[no-untyped-def]
    headers = [c.value for c in sheet[2]]
    out = {}
    for row in sheet.iter_rows(min_row=3):
        values = dict(zip(headers, [c.value for c in row], strict=True))
        out[str(values["任务"]).split(".")[0]] = values
    return out


def test_the_parsed_ledgers_columns_come_first_then_the_progress(april: Ledgers) -> None:
    sheet = april.book()["工作台账"]
    headers = [c.value for c in sheet[2]]
    assert headers[:7] == [h for h, _ in PLAIN_COLUMNS][:7]
    assert headers[7:] == ["灯号", "序时进度", "完成进度", "目标完成情况", "进展情况", "逾期", "备注"]
    assert headers == [h for h, _ in COLUMNS]
    assert sheet["A1"].value == "示例市教育局2024年教育工作要点 工作台账（截至2024年5月10日）"
    assert sheet.freeze_panes == "A3" and sheet.page_setup.orientation == "landscape"


def test_light_word_fill_percentages_actuals_and_narratives(april: Ledgers) -> None:
    sheet = april.book()["工作台账"]
    rows = _rows(sheet)
    first = rows["1"]
    assert first["章"] == "一、扩大优质教育资源供给" and first["完成时限"] == "2024年6月30日"
    assert first["灯号"] == "正常"
    assert first["序时进度"] == pytest.approx(0.718) and first["完成进度"] == pytest.approx(0.7)
    assert first["目标完成情况"] == "新增学位3200个：已完成 3000个（93.8%）"
    assert f"基础教育科（第4期，已通过，推进中 70%）：{NARRATIVE_1}" in str(first["进展情况"])
    assert "发展规划科（第4期，已报送，推进中 70%）：完成项目开工审批。" in str(first["进展情况"])
    assert SCRIPT in str(rows["2"]["进展情况"])  # kept as typed: a spreadsheet cell is plain text
    assert rows["2"]["灯号"] == "滞后" and rows["7"]["灯号"] == "严重滞后"
    assert "有单位报告受阻" in str(rows["7"]["备注"])
    assert rows["4"]["进展情况"] == "教师工作科：尚未报送\n人事科：尚未报送"
    colours = {}
    for r in range(3, sheet.max_row + 1):
        colours[sheet.cell(r, 8).value] = sheet.cell(r, 8).fill.fgColor.rgb[-6:]
    assert colours == {"正常": "C6EFCE", "滞后": "FFEB9C", "严重滞后": "FFC7CE"}
    assert sheet.cell(3, 9).number_format == "0.0%" and sheet.cell(3, 10).number_format == "0.0%"


def test_overdue_marks_after_the_deadline(april: Ledgers) -> None:
    rows = _rows(april.book(on=date(2024, 7, 2))["工作台账"])
    assert rows["1"]["逾期"] == "逾期" and rows["1"]["灯号"] == "严重滞后"
    assert rows["9"]["逾期"] is None and rows["9"]["灯号"] == "正常"  # done before its deadline


def test_units_sheet_and_a_reporters_ledger(april: Ledgers) -> None:
    units = april.book()["报送情况"]
    assert [c.value for c in units[2]] == [
        "序号",
        "责任单位",
        "应报",
        "按时报送",
        "逾期报送",
        "未报送",
        "报送完成率",
    ]
    by_name = {r[1]: r for r in units.iter_rows(min_row=3, values_only=True)}
    assert by_name["学前教育科"][2:] == (4, 0, 1, 3, pytest.approx(0.25))
    mine = april.book(reporter(april.world, "caiwu", "计划财务科"), name="mine.xlsx")
    rows = _rows(mine["工作台账"])
    assert sorted(rows) == ["7", "9"]
    assert rows["7"]["进展情况"] == "计划财务科（第4期，已报送，受阻 5%）：资金尚未下达。"


def test_a_target_corrected_before_the_import_shows_as_stored_not_as_the_documents_words(
    sessions: SessionFactory, settings: Settings, sample_bytes: bytes, tmp_path: Path
) -> None:
    # the import preview's path: upload, correct task 1's target (3200 → ≥3600), confirm
    draft = drafts.create_draft(settings, SYSTEM, sample_bytes, "示例市2024年教育工作要点.txt")
    assert drafts.wait_parsed(settings, SYSTEM, draft.id, 10).state == "ready"
    fix = {"0": {"targets": {"0": {"value": 3600, "value_max": None, "unit": "个", "comparator": ">="}}}}
    drafts.save_corrections(settings, SYSTEM, draft.id, fix)
    drafts.confirm_draft(sessions, settings, SYSTEM, draft.id)
    world = build_world(sessions, settings, sample_bytes)  # the same bytes: opens the corrected plan
    file_april(sessions, world)
    first = _rows(Ledgers(sessions, settings, world, tmp_path).book()["工作台账"])["1"]
    assert "新增学位3200个" in str(first["主要内容"])  # the document's words stay in the text
    assert first["量化目标"] == "新增学位≥3600个"
    assert first["目标完成情况"] == "新增学位≥3600个：已完成 3000个（83.3%）"
