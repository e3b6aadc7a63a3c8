"""Plain-text files: every usual encoding and line ending reads to the same lines."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.readers import read_bytes, read_path
from eduplan.samples.build import write_txt
from eduplan.samples.plan_text import SAMPLE_TEXT


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_every_encoding_and_line_ending_gives_the_same_lines(
    tmp_path: Path, expected_lines: list[str], encoding: str, newline: str
) -> None:
    path = write_txt(tmp_path / "plan.txt", encoding=encoding, newline=newline)  # type: ignore[arg-type]
    assert read_path(path) == expected_lines


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(expected_lines: list[str], encoding: str) -> None:
    assert read_bytes(SAMPLE_TEXT.encode(encoding)) == expected_lines


def test_old_mac_line_endings(expected_lines: list[str]) -> None:
    assert read_bytes(SAMPLE_TEXT.replace("\n", "\r").encode()) == expected_lines


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("学校", "gbk"), ("各区县教育局：", "gb2312"), ("示例市教育局\n学前教育科", "gbk")],
)
def test_short_gbk_text_is_not_misread(text: str, encoding: str) -> None:
    assert read_bytes(text.encode(encoding)) == text.split("\n")


def test_big5_traditional_text_comes_out_simplified() -> None:
    data = "家長學校建設工作要點\n一、加強師資隊伍建設".encode("big5")
    assert read_bytes(data, "plan.txt") == ["家长学校建设工作要点", "一、加强师资队伍建设"]


def test_utf8_cut_off_mid_character_keeps_the_rest() -> None:
    data = "一、扩大优质教育资源供给\n1.加快中小学幼儿园建设".encode()[:-1]
    assert read_bytes(data) == ["一、扩大优质教育资源供给", "1.加快中小学幼儿园建"]


def test_traditional_and_markup_are_normalized_end_to_end() -> None:
    data = "# 示例市教育工作要點\n**一、加強師德師風建設**\n<b>1.</b>開展專項檢查。\n".encode()
    assert read_bytes(data, "plan.md") == ["示例市教育工作要点", "一、加强师德师风建设", "1.开展专项检查。"]


def test_stray_control_character_is_dropped() -> None:
    assert read_bytes("一、总体要求\x1a\n".encode()) == ["一、总体要求"]


def test_a_few_damaged_bytes_do_not_lose_the_document() -> None:
    data = bytearray("一、扩大优质教育资源供给\n1.加快中小学幼儿园建设。\n".encode())
    data[5] = 0xFF
    lines = read_bytes(bytes(data), "plan.txt")
    assert lines[1] == "1.加快中小学幼儿园建设。" and "\ufffd" in lines[0]
