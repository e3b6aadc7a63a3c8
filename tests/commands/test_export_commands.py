"""`eduplan ledger` and `eduplan bulletin` on the database of `Settings`: files written and opened
again, Chinese default names, one-line errors with exit codes."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from openpyxl import load_workbook
from tests.export.progress_scenario import file_april

from eduplan.commands.exports import export_command
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World


def test_ledger_and_bulletin_files(
    world: World, sessions: SessionFactory, settings: Settings, workdir: Path
) -> None:
    file_april(sessions, world)
    lines: list[str] = []
    target = workdir / "台账.xlsx"
    assert (
        export_command("ledger", world.plan_id, target, "2024-05-10", settings=settings, echo=lines.append)
        == 0
    )
    assert lines == [f"已写出台账：{target}（11 项任务，截至 2024-05-10）"]
    assert load_workbook(target)["工作台账"]["H3"].value == "正常"
    assert export_command("bulletin", world.plan_id, None, "2024-05-10", 2, settings, lines.append) == 0
    written = workdir / "示例市教育局2024年教育工作要点-第3期进展通报.docx"
    texts = [p.text for p in Document(str(written)).paragraphs]
    assert "关于2024年3月（第3期）示例市教育局教育工作要点落实情况的通报" in texts


def test_errors_are_one_line_with_an_exit_code(world: World, settings: Settings, tmp_path: Path) -> None:
    lines: list[str] = []
    out = tmp_path / "x.docx"
    assert (
        export_command("bulletin", world.plan_id, out, "2024-13-01", settings=settings, echo=lines.append)
        == 2
    )
    assert (
        export_command("bulletin", world.plan_id, out, "2024-01-10", settings=settings, echo=lines.append)
        == 1
    )
    assert export_command("ledger", 999, out, "2024-05-10", settings=settings, echo=lines.append) == 1
    assert lines == [
        "错误：日期格式应为 2024-05-10：2024-13-01",
        "错误：还没有到期的报送周期，暂无可通报的内容",
        "错误：找不到计划 999",
    ]
    assert not out.exists()
