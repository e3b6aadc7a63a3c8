"""`eduplan parse` on task tables (xlsx, csv) and on a file bundling several plans."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.samples import task_table
from eduplan.samples.bundle_text import TITLES, bundle_lines

runner = CliRunner()


def bundle(tmp_path: Path) -> Path:
    path = tmp_path / "三个方案.txt"
    path.write_text("\n".join(bundle_lines()), encoding="utf-8")
    return path


def test_a_task_table_parses_like_a_document(tmp_path: Path) -> None:
    path = task_table.write_xlsx(tmp_path / "分工.xlsx")
    result = runner.invoke(app, ["parse", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["title"] == task_table.TITLE
    assert [c["title"] for c in data["chapters"]] == [category for category, _ in task_table.TASKS]
    first = data["chapters"][0]["items"][0]
    assert (first["lead_units"], first["support_units"], first["deadline"]) == (
        ["组织科"],
        ["办公室"],
        "2024-12-31",
    )
    outline = runner.invoke(app, ["parse", str(task_table.write_csv(tmp_path / "分工.csv"))])
    assert outline.exit_code == 0 and "一、党的建设" in outline.stdout


def test_a_workbook_that_is_no_task_table_is_one_line_and_failure(run_eduplan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["学校", "学生数"])
    ws.append(["示例市第一中学", 1200])
    wb.save(tmp_path / "统计.xlsx")
    proc = run_eduplan("parse", tmp_path / "统计.xlsx", "--format", "json", "-o", tmp_path / "out.json")
    assert proc.returncode == 1 and proc.stdout == b""
    (line,) = proc.stderr.decode().splitlines()
    assert line.startswith(f"错误：{tmp_path / '统计.xlsx'}：") and "重点任务" in line
    assert not (tmp_path / "out.json").exists()


def test_a_password_protected_workbook_is_one_line(run_eduplan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    with task_table.write_xlsx(tmp_path / "plain.xlsx").open("rb") as f:
        OOXMLFile(f).encrypt("secret", out)
    (tmp_path / "加密.xlsx").write_bytes(out.getvalue())
    proc = run_eduplan("parse", tmp_path / "加密.xlsx")
    assert proc.returncode == 1
    (line,) = proc.stderr.decode().splitlines()
    assert "密码" in line


def test_a_bundled_notice_prints_a_json_array_of_its_plans(tmp_path: Path) -> None:
    result = runner.invoke(app, ["parse", str(bundle(tmp_path)), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["title"] for d in data] == list(TITLES)
    assert all("source" not in d for d in data)
    outline = runner.invoke(app, ["parse", str(bundle(tmp_path))])
    assert all(title in outline.stdout for title in TITLES)


def test_a_bundle_among_several_files_gives_one_entry_per_plan(tmp_path: Path) -> None:
    table = task_table.write_csv(tmp_path / "分工.csv")
    result = runner.invoke(app, ["parse", str(bundle(tmp_path)), str(table), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [(Path(d["source"]).name, d["title"]) for d in data] == [
        *(("三个方案.txt", title) for title in TITLES),
        ("分工.csv", task_table.TITLE),
    ]


def test_a_bundle_to_xlsx_writes_one_ledger_per_plan(tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    result = runner.invoke(app, ["parse", str(bundle(tmp_path)), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert [p.name for p in sorted(tmp_path.glob("台账*.xlsx"))] == [
        "台账-2.xlsx",
        "台账-3.xlsx",
        "台账.xlsx",
    ]
