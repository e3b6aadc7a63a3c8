"""PDF files: page furniture removed, wrapped and page-broken paragraphs whole, tables in place."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from eduplan.readers import ReadError, read_bytes, read_path
from eduplan.readers.pdf_layout import PdfLine, is_page_number, paragraphs, remove_page_furniture
from eduplan.samples.plan_text import CHAPTERS, ISSUER_HEADER, TABLE_CAPTION, numbered_items, table_lines


def test_sample_pdf_reads_as_the_typed_text(sample_dir: Path, expected_lines: list[str]) -> None:
    assert read_path(sample_dir / "plan.pdf") == expected_lines


def test_no_running_header_or_page_number_is_left(sample_dir: Path) -> None:
    lines = read_path(sample_dir / "plan.pdf")
    assert not any(is_page_number(line) for line in lines)
    assert lines.count(ISSUER_HEADER) == 1  # the cover's 版头 stays, the running headers go
    assert lines[0] == ISSUER_HEADER


def test_paragraph_broken_across_pages_is_whole(sample_dir: Path) -> None:
    import pdfplumber

    number, item = numbered_items()[7]
    with pdfplumber.open(sample_dir / "plan.pdf") as pdf:
        page3 = pdf.pages[2].extract_text()
        page4 = pdf.pages[3].extract_text()
    assert f"{number}.{item.title}" in page3 and "试点学校30所" in page4  # the sample really breaks it
    assert f"{number}.{item.text}" in read_path(sample_dir / "plan.pdf")


def test_table_rows_are_tab_separated_in_place(sample_dir: Path) -> None:
    lines = read_path(sample_dir / "plan.pdf")
    at = lines.index(TABLE_CAPTION)
    assert lines[at + 1 : at + 1 + len(table_lines())] == table_lines()
    assert sum("新增中小学幼儿园学位" in line for line in lines) == 1  # cell text not repeated


def test_scan_without_words_says_no_text_was_recognised(sample_dir: Path) -> None:
    from eduplan.readers.ocr import engine_name

    if engine_name() is None:
        pytest.skip("no OCR engine installed (pip install rapidocr onnxruntime)")
    with pytest.raises(ReadError, match="未识别出文字") as error:
        read_path(sample_dir / "scan.pdf")  # grey bars and a seal outline: a scan with no words
    assert error.value.reason == "no_text"


def test_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfgen.canvas import Canvas

    path = tmp_path / "secret.pdf"
    canvas = Canvas(str(path), encrypt=StandardEncryption("secret", canPrint=0))
    canvas.drawString(72, 720, "confidential")
    canvas.save()
    with pytest.raises(ReadError, match="加密"):
        read_path(path)


def test_truncated_pdf_is_refused(sample_dir: Path) -> None:
    data = (sample_dir / "plan.pdf").read_bytes()
    with pytest.raises(ReadError, match="PDF"):
        read_bytes(data[:300], "plan.pdf")


@pytest.mark.parametrize(
    "text", ["- 3 -", "— 12 —", "－ 3 －", "3", "第3页", "第 3 页 共 10 页", "3/10", "Page 2 of 9"]
)
def test_page_number_styles(text: str) -> None:
    assert is_page_number(text)


@pytest.mark.parametrize("text", ["2024年", "一、总体要求", "3.加强管理", "新增学位3200个"])
def test_text_is_not_a_page_number(text: str) -> None:
    assert not is_page_number(text)


def _line(page: int, text: str, top: float, x0: float = 90, x1: float = 500) -> PdfLine:
    return PdfLine(page=page, text=text, x0=x0, x1=x1, top=top, bottom=top + 15, page_height=842)


def test_running_footer_with_changing_digits_is_removed() -> None:
    body = ["一、总体要求", "二、主要任务", "三、保障措施"]
    pages = [
        [_line(p, body[p - 1], 100, x1=200), _line(p, f"示例市教育局 第{p}页 共3页", 800, x0=200, x1=400)]
        for p in (1, 2, 3)
    ]
    assert paragraphs(remove_page_furniture(pages)) == body


def test_wrapped_lines_join_unless_the_next_is_indented_or_numbered() -> None:
    full, short = 500, 300
    page = [
        _line(1, "1.加快中小学幼儿园建设。实施学位扩容攻坚行动，新增", 100, x0=120, x1=full),
        _line(1, "学位3200个。", 128, x1=short),
        _line(1, "2.推进学前教育普及普惠。落实普惠性民办幼儿园认定和", 156, x0=120, x1=full),
        _line(1, "责任单位：学前教育科", 184, x1=short),
        _line(1, "3.促进义务教育优质均衡发展。深化集团化办学和城乡学", 212, x0=120, x1=full),
        _line(1, "新段落从缩进开始。", 240, x0=120, x1=short),
    ]
    assert paragraphs([page]) == [
        "1.加快中小学幼儿园建设。实施学位扩容攻坚行动，新增学位3200个。",
        "2.推进学前教育普及普惠。落实普惠性民办幼儿园认定和",
        "责任单位：学前教育科",
        "3.促进义务教育优质均衡发展。深化集团化办学和城乡学",
        "新段落从缩进开始。",
    ]


def test_chapter_titles_survive_in_order(sample_dir: Path) -> None:
    lines = read_path(sample_dir / "plan.pdf")
    positions = [lines.index(f"{n}、{c.title}") for n, c in zip("一二三四", CHAPTERS, strict=True)]
    assert positions == sorted(positions)


def test_damaged_pdfs_raise_only_read_error(sample_dir: Path) -> None:
    base = (sample_dir / "plan.pdf").read_bytes()
    rng = random.Random(1)  # seed 1 hits an object that breaks again when the file is closed
    for _ in range(25):
        data = bytearray(base)
        for _ in range(rng.randint(1, 8)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        try:
            read_bytes(bytes(data), "plan.pdf")
        except ReadError as error:
            assert error.reason in {"corrupt", "scanned", "no_text", "encrypted"}
