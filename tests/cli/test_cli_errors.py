"""Bad input: exactly one Chinese line on stderr, a non-zero exit, never a traceback; others go on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app
from eduplan.parsing import ParseError
from eduplan.services import parse as parse_service


def assert_one_error_line(stderr: bytes, name: str) -> str:
    text = stderr.decode("utf-8")
    assert "Traceback" not in text
    lines = text.splitlines()
    assert len(lines) == 1, text
    assert lines[0].startswith(f"错误：{name}："), lines[0]
    assert len(lines[0]) > len(f"错误：{name}：") + 2
    return lines[0]


def test_bad_input_gives_one_line_and_failure(run_eduplan, bad_input: Path) -> None:  # type: ignore[no-untyped-def]
    proc = run_eduplan("parse", bad_input)
    assert proc.returncode != 0
    assert proc.stdout == b""
    assert_one_error_line(proc.stderr, str(bad_input))


def test_bad_input_as_json_and_xlsx(run_eduplan, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    missing = tmp_path / "nope.pdf"
    for fmt in ("json", "xlsx"):
        proc = run_eduplan("parse", missing, "--format", fmt, "-o", tmp_path / f"out.{fmt}")
        assert proc.returncode != 0
        assert_one_error_line(proc.stderr, str(missing))
        assert not (tmp_path / f"out.{fmt}").exists()


def test_one_bad_file_does_not_stop_the_others(run_eduplan, sample_txt: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "bad.docx"
    bad.write_bytes(b"PK\x03\x04 not really a zip")
    proc = run_eduplan("parse", bad, sample_txt, "--format", "json")
    assert proc.returncode == 1
    assert_one_error_line(proc.stderr, str(bad))
    data = json.loads(proc.stdout.decode("utf-8"))
    assert [d["source"] for d in data] == [str(sample_txt)]


def test_several_bad_files_one_line_each(run_eduplan, tmp_path: Path, sample_txt: Path) -> None:  # type: ignore[no-untyped-def]
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    out = tmp_path / "out"
    proc = run_eduplan("parse", tmp_path / "a.txt", sample_txt, empty, "-f", "xlsx", "-o", out)
    assert proc.returncode == 1
    lines = proc.stderr.decode("utf-8").splitlines()
    assert len(lines) == 2 and all(line.startswith("错误：") for line in lines)
    assert [p.name for p in out.iterdir()] == ["sample-台账.xlsx"]


def test_empty_stdin(run_eduplan) -> None:  # type: ignore[no-untyped-def]
    proc = run_eduplan("parse", "-", stdin=b"")
    assert proc.returncode != 0
    assert_one_error_line(proc.stderr, "标准输入")


def test_parse_error_is_one_line(sample_txt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(_path: object, _progress: object = None) -> None:
        raise ParseError("找不到任何章节标题（一、…）\n请检查文件", line=3)

    monkeypatch.setattr(parse_service, "parse_file_plans", fail)
    result = CliRunner().invoke(app, ["parse", str(sample_txt)])
    assert result.exit_code == 1
    assert result.stderr == f"错误：{sample_txt}：第3行：找不到任何章节标题（一、…） 请检查文件\n"


def test_unexpected_error_is_one_line_too(sample_txt: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(_path: object, _progress: object = None) -> None:
        raise KeyError("chapters")

    monkeypatch.setattr(parse_service, "parse_file_plans", boom)
    result = CliRunner().invoke(app, ["parse", str(sample_txt)])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"错误：{sample_txt}：内部错误（KeyError")
    assert result.stderr.count("\n") == 1


def test_unwritable_output_directory(run_eduplan, sample_txt: Path, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    blocker = tmp_path / "file"
    blocker.write_text("x")
    proc = run_eduplan("parse", sample_txt, sample_txt, "-f", "json", "-o", blocker / "sub")
    assert proc.returncode != 0
    assert_one_error_line(proc.stderr, str(blocker / "sub"))
