"""Word documents: automatic numbering written out, tables in place, merged cells once."""

from __future__ import annotations

import io
from pathlib import Path

import docx

from eduplan.readers import read_bytes, read_path
from eduplan.samples.plan_text import TABLE_CAPTION, table_lines


def test_automatic_numbering_reads_like_typed_numbers(sample_dir: Path, expected_lines: list[str]) -> None:
    auto = read_path(sample_dir / "auto.docx")
    assert auto == read_path(sample_dir / "typed.docx")
    assert auto == expected_lines
    assert "一、扩大优质教育资源供给" in auto
    assert any(line.startswith("11.加强督导评估和考核。") for line in auto)


def test_table_rows_are_tab_separated_in_place(sample_dir: Path) -> None:
    lines = read_path(sample_dir / "typed.docx")
    at = lines.index(TABLE_CAPTION)
    assert lines[at + 1 : at + 1 + len(table_lines())] == table_lines()
    assert lines[at + 1] == "指标\t单位\t2023年\t2024年\t属性"


def _docx_bytes(document: docx.document.Document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_merged_cells_appear_once() -> None:
    document = docx.Document()
    document.add_paragraph("专栏1 学位建设项目")
    table = document.add_table(rows=3, cols=3)
    for r, row in enumerate([["项目", "学位", "时间"], ["新城小学", "1080", "2024年"], ["", "", "2025年"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    table.cell(0, 1).merge(table.cell(0, 2)).text = "学位及时间"
    table.cell(1, 0).merge(table.cell(2, 0))
    document.add_paragraph("责任单位：发展规划科")
    lines = read_bytes(_docx_bytes(document), "column.docx")
    assert lines[0] == "专栏1 学位建设项目"
    assert lines[1].split("\t") == ["项目", "学位及时间"]
    assert lines[2].startswith("新城小学\t")
    assert lines[3].endswith("2025年")
    assert sum("新城小学" in line for line in lines) == 1  # the merged cell's text is not repeated
    assert lines[-1] == "责任单位：发展规划科"


def test_tabs_and_line_breaks_inside_a_paragraph() -> None:
    document = docx.Document()
    paragraph = document.add_paragraph("1.\t加快学校建设。")
    paragraph.add_run().add_break()
    paragraph.add_run("责任单位：基础教育科")
    assert read_bytes(_docx_bytes(document)) == ["1. 加快学校建设。", "责任单位：基础教育科"]
