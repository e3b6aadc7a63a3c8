"""`eduplan parse`: outline, Plan JSON, xlsx, several files, stdin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.plan_json import SCHEMA, plan_to_dict
from eduplan.readers import read_path
from eduplan.samples import plan_text
from eduplan.services.parse import parse_lines

runner = CliRunner()


def expected_dict(path: Path) -> dict:  # type: ignore[type-arg]
    return plan_to_dict(parse_lines(read_path(path)))


def test_outline_shows_sample_chapters_and_items(sample_docx: Path) -> None:
    result = runner.invoke(app, ["parse", str(sample_docx)])
    assert result.exit_code == 0, result.output
    out = result.stdout
    for c, chapter in enumerate(plan_text.CHAPTERS):
        assert f"\n{plan_text.chapter_number(c)}、{chapter.title}\n" in out
    for number, item in plan_text.numbered_items():
        assert f"  {number}. {item.title}" in out
    assert "[责任单位: 发展规划科、基础教育科]" in out


def test_json_is_plan_json_of_the_parse(sample_docx: Path) -> None:
    result = runner.invoke(app, ["parse", str(sample_docx), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA
    assert data == expected_dict(sample_docx)
    assert "示例市" in result.stdout  # ensure_ascii=False


def test_json_to_file(sample_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.json"
    result = runner.invoke(app, ["parse", str(sample_docx), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == expected_dict(sample_docx)


def test_several_files_json_array_with_source(sample_docx: Path, sample_txt: Path) -> None:
    result = runner.invoke(app, ["parse", str(sample_docx), str(sample_txt), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert [d["source"] for d in data] == [str(sample_docx), str(sample_txt)]
    assert {k: v for k, v in data[1].items() if k != "source"} == expected_dict(sample_txt)


def test_several_files_json_into_directory(sample_docx: Path, sample_txt: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["parse", str(sample_docx), str(sample_txt), "-f", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["sample.json", "示例市教育工作要点.json"]
    assert json.loads((out / "sample.json").read_text(encoding="utf-8"))["schema"] == SCHEMA


def test_several_files_outline_headed_by_name(sample_docx: Path, sample_txt: Path) -> None:
    result = runner.invoke(app, ["parse", str(sample_docx), str(sample_txt)])
    assert result.exit_code == 0, result.output
    assert f"==> {sample_docx} <==" in result.stdout and f"==> {sample_txt} <==" in result.stdout


def test_xlsx_ledger(sample_docx: Path, tmp_path: Path) -> None:
    out = tmp_path / "台账.xlsx"
    result = runner.invoke(app, ["parse", str(sample_docx), "--format", "xlsx", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert str(out) in result.stdout
    sheet = load_workbook(out).active
    assert [c.value for c in sheet[2]][:3] == ["序号", "章", "任务"]
    assert sheet.max_row == 2 + len(plan_text.numbered_items())
    assert sheet.freeze_panes == "A3"


def test_xlsx_without_output_goes_to_cwd(
    sample_txt: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["parse", str(sample_txt), "--format", "xlsx"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "sample-台账.xlsx").is_file()


def test_stdin_dash(sample_txt: Path) -> None:
    result = runner.invoke(app, ["parse", "-", "--format", "json"], input=sample_txt.read_bytes())
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == expected_dict(sample_txt)


def test_stdin_dash_in_a_real_process(run_eduplan, sample_txt: Path) -> None:  # type: ignore[no-untyped-def]
    proc = run_eduplan("parse", "-", "--format", "json", stdin=sample_txt.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    assert json.loads(proc.stdout.decode("utf-8")) == expected_dict(sample_txt)


def test_demo_writes_docx_and_ledger(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    result = runner.invoke(app, ["demo", str(folder), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert (folder / "示例市教育工作要点.docx").is_file()
    sheet = load_workbook(folder / "台账.xlsx").active
    assert sheet.max_row == 2 + len(plan_text.numbered_items())
    assert plan_text.CHAPTERS[0].title in result.stdout
    assert str(folder / "台账.xlsx") in result.stdout
