"""OFD (GB/T 33190): text objects read in reading order, as a PDF's lines are; scans and damage refused.

The files are written by `samples.ofd_render` following the standard's package layout.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from tests.readers.zip_parts import parts_of, zipped

from eduplan.readers import ReadError, read_bytes, read_document, read_path
from eduplan.readers.detect import detect_format
from eduplan.readers.ofd import image_only_pages, ofd_page_images
from eduplan.readers.pdf_layout import is_page_number
from eduplan.samples import ofd_render
from eduplan.samples.ofd_render import SIZE, Layout, Page, Text, write_ofd
from eduplan.samples.plan_text import ISSUER_HEADER, TABLE_CAPTION, numbered_items, table_lines


@pytest.fixture(scope="session")
def sample_ofd(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return ofd_render.render_sample_ofd(tmp_path_factory.mktemp("ofd") / "plan.ofd")


def _png(shade: int) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("L", (40, 56), shade).save(buffer, format="PNG")
    return buffer.getvalue()


def test_sample_ofd_reads_as_the_typed_text(sample_ofd: Path, expected_lines: list[str]) -> None:
    assert read_path(sample_ofd) == expected_lines


def test_ofd_is_detected_by_content_not_called_a_zip(sample_ofd: Path) -> None:
    data = sample_ofd.read_bytes()
    assert detect_format(data, "红头文件.zip") == "ofd"
    assert read_document(data, "plan.ofd").format == "ofd"


def test_running_header_from_the_template_and_page_numbers_are_dropped(sample_ofd: Path) -> None:
    assert b"<ofd:Template " in parts_of(sample_ofd)["Doc_0/Pages/Page_2/Content.xml"]
    lines = read_path(sample_ofd)
    assert not any(is_page_number(line) for line in lines)
    assert lines.count(ISSUER_HEADER) == 1 and lines[0] == ISSUER_HEADER


def test_paragraph_broken_across_pages_is_whole(sample_ofd: Path) -> None:
    number, item = numbered_items()[7]
    parts = parts_of(sample_ofd)
    pages = [
        parts[f"Doc_0/Pages/Page_{n}/Content.xml"].decode()
        for n in range(5)
        if f"Doc_0/Pages/Page_{n}/Content.xml" in parts
    ]
    assert sum(item.title[:6] in page or item.text[-6:] in page for page in pages) >= 1
    assert f"{number}.{item.text}" in read_path(sample_ofd)


def test_table_rows_are_tab_separated_in_place(sample_ofd: Path) -> None:
    lines = read_path(sample_ofd)
    at = lines.index(TABLE_CAPTION)
    assert lines[at + 1 : at + 1 + len(table_lines())] == table_lines()


def test_glyph_per_object_and_ctm_scaled_text_read_as_one_line(tmp_path: Path) -> None:
    # producers converting from PDF often write one TextObject per glyph, out of order, at Size 1
    # scaled by a CTM; a fake-bold duplicate of a glyph must not double it
    text = "一、总体要求和2024年目标"
    glyphs, x = [], 40.0
    for ch in text:
        glyphs.append(Text(x, 60.0, SIZE, ch))
        x += ofd_render.advance(ch, SIZE)
    glyphs.append(Text(glyphs[3].x + 0.05, 60.0, SIZE, glyphs[3].text))
    title = Text(50.0, 40.0, 2 * SIZE, "示例市教育工作要点")  # drawn with a CTM (larger than body)
    page = Page(texts=[title, *reversed(glyphs)])
    lines = read_path(write_ofd(tmp_path / "glyphs.ofd", [page]))
    assert lines == ["示例市教育工作要点", text]


def test_one_text_code_running_over_two_lines_by_delta_y(tmp_path: Path) -> None:
    path = write_ofd(tmp_path / "deltay.ofd", [Page(texts=[Text(30.0, 45.0, 5.0, "占位")])])
    parts = parts_of(path)
    # after 一、总体要求 (six glyphs, 5 mm apart) the pen goes back 25 mm and down 8 mm
    code = (
        '<ofd:TextObject ID="90" Boundary="30 40 150 20" Size="5"><ofd:TextCode X="0" Y="5" '
        'DeltaX="g 5 5 -25 g 5 5" DeltaY="g 5 0 8 g 5 0">一、总体要求二、主要任务</ofd:TextCode></ofd:TextObject>'
    )
    page = parts["Doc_0/Pages/Page_0/Content.xml"].decode()
    start, end = page.index("<ofd:TextObject"), page.index("</ofd:TextObject>") + len("</ofd:TextObject>")
    parts["Doc_0/Pages/Page_0/Content.xml"] = (page[:start] + code + page[end:]).encode()
    assert read_bytes(zipped(parts), "deltay.ofd") == ["一、总体要求", "二、主要任务"]


def test_reading_order_is_top_to_bottom_then_left_to_right(tmp_path: Path) -> None:
    paragraphs = ["一、总体要求", "坚持立德树人根本任务，" * 6 + "推进教育高质量发展。", "二、主要任务"]
    layout = Layout(running_header=False)
    for text in paragraphs:
        layout.paragraph(text)
    assert len(layout.pages[0].texts) > 4  # the middle paragraph wraps
    layout.pages[0].texts.reverse()  # objects stored bottom-up, as some producers do
    assert read_path(write_ofd(tmp_path / "order.ofd", layout.pages)) == paragraphs


def test_scanned_ofd_asks_for_ocr_and_gives_its_page_images(tmp_path: Path) -> None:
    images = [_png(200), _png(90)]
    path = ofd_render.write_scanned_ofd(tmp_path / "scan.ofd", images)
    with pytest.raises(ReadError, match="OCR") as error:
        read_path(path)
    assert error.value.reason == "scanned"
    assert ofd_page_images(path.read_bytes()) == images


def test_scanned_pages_of_a_mixed_ofd_are_named(tmp_path: Path) -> None:
    layout = Layout(running_header=False)
    layout.paragraph("一、总体要求")
    layout.new_page()
    layout.pages[-1].image = _png(120)
    layout.new_page()
    layout.paragraph("二、主要任务")
    data = write_ofd(tmp_path / "mixed.ofd", layout.pages).read_bytes()
    assert read_bytes(data, "mixed.ofd") == ["一、总体要求", "二、主要任务"]
    assert image_only_pages(data) == [2]
    assert ofd_page_images(data) == [_png(120)]


@pytest.mark.parametrize(
    "damage",
    ["truncated", "no_ofd_xml", "no_document", "not_xml", "no_pages", "entity", "bad_number"],
)
def test_damaged_ofd_gets_one_clear_line(sample_ofd: Path, damage: str) -> None:
    parts = parts_of(sample_ofd)
    if damage == "truncated":
        data = sample_ofd.read_bytes()[:700]
    else:
        if damage == "no_ofd_xml":
            del parts["OFD.xml"]
        elif damage == "no_document":
            del parts["Doc_0/Document.xml"]
        elif damage == "not_xml":
            parts["Doc_0/Pages/Page_1/Content.xml"] = b"<ofd:Page><unclosed"
        elif damage == "no_pages":
            xml = parts["Doc_0/Document.xml"].decode()
            parts["Doc_0/Document.xml"] = (xml[: xml.index("<ofd:Pages>")] + "</ofd:Document>").encode()
        elif damage == "bad_number":
            page = parts["Doc_0/Pages/Page_1/Content.xml"]
            parts["Doc_0/Pages/Page_1/Content.xml"] = page.replace(b'X="0"', b'X="zero"', 1)
        elif damage == "entity":
            parts["OFD.xml"] = b'<!DOCTYPE x [<!ENTITY a "aaaa">]>' + parts["OFD.xml"].split(b"?>", 1)[1]
        data = zipped(parts)
    with pytest.raises(ReadError, match="OFD") as error:
        read_bytes(data, "公文.ofd")
    assert "\n" not in str(error.value)
    assert error.value.reason in {"corrupt", "unsafe"}


def test_a_huge_glyph_repeat_count_is_not_expanded(sample_ofd: Path) -> None:
    parts = parts_of(sample_ofd)
    name = "Doc_0/Pages/Page_1/Content.xml"
    parts[name] = parts[name].replace(b'DeltaX="', b'DeltaX="g 1000000000000 1 ')
    lines = read_bytes(zipped(parts), "plan.ofd")  # 10^12 advances would exhaust memory
    assert lines[0] == ISSUER_HEADER and "现将" in lines[4]
