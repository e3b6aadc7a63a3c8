"""The parse use case: a file or stdin → Plan, and one-line Chinese messages for what goes wrong."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pytest

from eduplan.parsing import ParseError, parse_plan
from eduplan.readers import ReadError, read_path
from eduplan.samples.build import write_txt
from eduplan.services.parse import display_name, error_message, parse_file


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return write_txt(tmp_path / "sample.txt")


def test_parse_file_is_read_then_parse(sample: Path) -> None:
    assert parse_file(sample) == parse_plan(read_path(sample))
    assert parse_file(str(sample)).chapters


def test_dash_reads_stdin_bytes(sample: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(sample.read_bytes()), encoding="latin-1")
    monkeypatch.setattr(sys, "stdin", stdin)
    assert parse_file("-") == parse_file(sample)


def test_display_name() -> None:
    assert display_name("-") == "标准输入"
    assert display_name(Path("a/b.docx")) == str(Path("a/b.docx"))


@pytest.mark.parametrize(
    ("exc", "expected"),
    [
        (ParseError("没有章节", line=4), "第4行：没有章节"),
        (FileNotFoundError(2, "No such file"), "文件不存在，请检查路径"),
        (IsADirectoryError(21, "Is a directory"), "这是一个目录，请给出文件"),
        (PermissionError(13, "Permission denied"), "没有读取权限"),
        (OSError(28, "No space left on device"), "无法读取（No space left on device）"),
        (MemoryError(), "文件过大，内存不足"),
        (RuntimeError("a\nb"), "内部错误（RuntimeError: a b），请报告此问题"),
    ],
)
def test_error_message_is_one_chinese_line(exc: BaseException, expected: str) -> None:
    assert error_message(exc) == expected


def test_read_error_message_is_kept() -> None:
    message = error_message(ReadError("无法识别的文件格式"))
    assert "无法识别的文件格式" in message and "\n" not in message


def test_stdin_larger_than_a_file_may_be_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    from eduplan.readers import limits
    from eduplan.services.parse import read_stdin

    monkeypatch.setattr(limits, "MAX_BYTES", 10)
    with pytest.raises(ReadError, match="输入过大"):
        read_stdin(io.BytesIO(b"x" * 11))
    assert read_stdin(io.BytesIO(b"x" * 10)) == b"x" * 10
