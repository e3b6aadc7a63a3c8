"""From OCR boxes to lines and paragraphs: reading order, table cells, doubts (no engine needed)."""

from __future__ import annotations

import random

import pytest

from eduplan.readers import ReadError
from eduplan.readers.ocr import LOW_CONFIDENCE, OcrBox, _tsv_boxes
from eduplan.readers.scan import _ranges, ocr_document, page_lines

WIDTH, HEIGHT = 1240.0, 1754.0  # an A4 page at 150 dpi
CHAR = 31.0  # a 15 pt character at 150 dpi


def _box(text: str, x0: float, top: float, confidence: float = 0.99, size: float = CHAR) -> OcrBox:
    width = sum(size / 2 if ch.isascii() else size for ch in text)
    return OcrBox(text, confidence, x0, top, x0 + width, top + size * 1.05)


def _page(boxes: list[OcrBox], page: int = 1) -> list:
    shuffled = boxes[:]
    random.Random(page).shuffle(shuffled)
    return page_lines(shuffled, page, WIDTH, HEIGHT)


def test_boxes_in_any_order_become_lines_top_to_bottom_left_to_right() -> None:
    boxes = [
        _box("一、加强党的建设", 245, 300),
        _box("1.落实全面从严治党", 245, 360),
        _box("主体责任。", 245 + 9 * CHAR + 4, 362),  # the same row, a little lower
        _box("- 2 -", 590, 1650),
    ]
    lines = _page(boxes)
    assert [line.text for line in lines] == ["一、加强党的建设", "1.落实全面从严治党主体责任。", "- 2 -"]
    assert lines[0].x0 == pytest.approx(245 * 595 / WIDTH)  # measured in A4 points like a PDF


def test_wide_gaps_are_table_cells_narrow_ones_spaces() -> None:
    row = [_box("指标", 200, 500), _box("单位", 520, 500), _box("2024年", 640, 500)]
    title = [_box("中共示例市委教育工作委员会", 200, 300), _box("示例市教育局", 200 + 13.8 * CHAR, 300)]
    lines = _page(row + title)
    assert lines[0].text == "中共示例市委教育工作委员会 示例市教育局"
    assert lines[1].text == "指标\t单位\t2024年" and lines[1].is_table


def test_line_height_comes_from_the_character_pitch() -> None:
    # a two-character last line whose box is taller than the others still continues its paragraph
    short = OcrBox("价。", 0.99, 175, 600, 175 + 2 * CHAR, 600 + 1.5 * CHAR)
    lines = _page([_box("不减。加强经费使用绩效管理，6月底前完成上年度项目绩效评", 175, 550), short])
    assert lines[1].height == pytest.approx(lines[0].height, rel=0.1)


def test_digit_dash_misread_as_yi_is_restored() -> None:
    assert _page([_box("年内新建公办幼儿园2一3所。", 200, 200)])[0].text == "年内新建公办幼儿园2—3所。"


def test_low_confidence_paragraphs_are_kept_with_a_warning() -> None:
    page = [
        _box("一、加强党的建设", 245, 300),
        _box("1.落实全面从严治党主体责任，压实各级党组织责任。", 245, 360, confidence=0.62),
    ]
    document = ocr_document("image", [_page(page)], [1])
    assert document.lines == ["一、加强党的建设", "1.落实全面从严治党主体责任，压实各级党组织责任。"]
    assert document.low_confidence == [("1.落实全面从严治党主体责任，压实各级党组织责任。", 0.62)]
    assert LOW_CONFIDENCE > 0.62
    assert document.warnings == [
        "全部页面为扫描图像，已经 OCR 文字识别，请对照原件核对；其中1段识别把握较低，已标出"
    ]


def test_pages_without_chinese_text_are_refused() -> None:
    with pytest.raises(ReadError, match=r"^未识别出文字") as error:
        ocr_document("image", [_page([_box("~ ~", 300, 300), _box("ll", 400, 900)])], [1])
    assert error.value.reason == "no_text"


@pytest.mark.parametrize(
    ("numbers", "text"), [([4], "4"), ([1, 2, 3], "1–3"), ([1, 2, 3, 5, 7, 8], "1–3、5、7–8")]
)
def test_page_ranges_read_naturally(numbers: list[int], text: str) -> None:
    assert _ranges(numbers) == text


def test_tesseract_tsv_words_gather_into_lines() -> None:
    header = "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext"
    rows = [
        "5\t1\t1\t1\t1\t1\t100\t50\t60\t30\t96.0\t示例",
        "5\t1\t1\t1\t1\t2\t160\t50\t60\t30\t71.5\t市",
        "5\t1\t1\t1\t1\t3\t230\t52\t40\t28\t90.0\t2024",
        "5\t1\t1\t1\t1\t4\t280\t52\t30\t28\t90.0\tGB",
        "4\t1\t1\t1\t2\t0\t100\t100\t300\t30\t-1\t",
        "5\t1\t1\t1\t2\t1\t100\t100\t90\t30\t88.0\t教育局",
    ]
    boxes = _tsv_boxes("\n".join([header, *rows]))
    assert [(b.text, b.confidence, b.x0, b.x1) for b in boxes] == [
        ("示例市2024 GB", 0.715, 100, 310),
        ("教育局", 0.88, 100, 190),
    ]
