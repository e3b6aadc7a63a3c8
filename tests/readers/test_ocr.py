"""Scans and page images read by OCR: the sample plan printed, scanned, photographed, read back.

The page images are made once per session from the project's own sample PDF (150 dpi grayscale,
as a scanner gives them); each OCR run is a few seconds a page on two cores, so the tests share
the read documents through session fixtures.
"""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pytest

from eduplan.readers import ReadError, read_bytes, read_document, read_path_document
from eduplan.readers.document import Document
from eduplan.readers.ocr import engine_name
from eduplan.readers.pdf_layout import is_page_number
from eduplan.readers.scan import MAX_PAGES
from eduplan.samples import scans
from eduplan.samples.plan_text import CHAPTERS, ISSUER_HEADER, numbered_items
from eduplan.services.parse import parse_lines

pytestmark = pytest.mark.skipif(
    engine_name() is None, reason="no OCR engine installed (pip install rapidocr onnxruntime)"
)


def _png(image: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


@pytest.fixture(scope="session")
def page_images(sample_dir: Path) -> list[Any]:
    """The five pages of the sample PDF at 150 dpi grayscale."""
    return list(scans.page_images(sample_dir / "plan.pdf", 150))


@pytest.fixture(scope="session")
def scanned(page_images: list[Any], tmp_path_factory: pytest.TempPathFactory) -> tuple[Document, list[tuple]]:
    """The whole sample as an image-only PDF, read with its progress calls recorded."""
    path = scans.write_image_pdf(page_images, tmp_path_factory.mktemp("scan") / "scan.pdf")
    calls: list[tuple] = []
    return read_path_document(path, lambda done, total: calls.append((done, total))), calls


def _similarity(a: list[str], b: list[str]) -> float:
    import difflib

    return difflib.SequenceMatcher(None, "".join(a), "".join(b), autojunk=False).ratio()


def test_scanned_pdf_parses_like_the_typed_one(
    scanned: tuple[Document, list], expected_lines: list[str]
) -> None:
    document, _ = scanned
    typed, read = parse_lines(expected_lines), parse_lines(document.lines)
    assert [c.title for c in read.chapters] == [c.title for c in typed.chapters]
    assert [(t.number, t.title) for _, t in read.tasks()] == [(t.number, t.title) for _, t in typed.tasks()]
    assert [t.units for _, t in read.tasks()] == [t.units for _, t in typed.tasks()]
    assert _similarity(document.lines, expected_lines) > 0.97


def test_scan_loses_page_numbers_and_running_headers_keeps_paragraphs_whole(
    scanned: tuple[Document, list],
) -> None:
    lines = scanned[0].lines
    assert not any(is_page_number(line) for line in lines)
    assert lines.count(ISSUER_HEADER) == 1  # the cover's 版头 stays, the running headers go
    number, item = numbered_items()[7]  # runs on from page 3 to page 4
    assert any(line.startswith(f"{number}.{item.title}") and "试点学校30所" in line for line in lines)


def test_scan_reports_progress_and_says_it_was_ocrd(scanned: tuple[Document, list]) -> None:
    document, calls = scanned
    assert calls == [(n, 5) for n in range(1, 6)]
    assert document.format == "pdf"
    assert any("OCR" in w and "核对" in w for w in document.warnings)


def test_pdf_mixing_typed_and_scanned_pages_reads_both_in_order(
    sample_dir: Path, page_images: list[Any], tmp_path: Path
) -> None:
    import pypdfium2

    scan = scans.write_image_pdf(page_images[3:], tmp_path / "tail.pdf")  # pages 4 and 5 scanned
    mixed = pypdfium2.PdfDocument.new()
    mixed.import_pages(pypdfium2.PdfDocument(str(sample_dir / "plan.pdf")), [0, 1, 2])
    mixed.import_pages(pypdfium2.PdfDocument(str(scan)))
    mixed.save(str(tmp_path / "mixed.pdf"))
    calls: list[tuple[int, int]] = []
    document = read_path_document(tmp_path / "mixed.pdf", lambda d, t: calls.append((d, t)))
    assert calls == [(1, 2), (2, 2)]
    assert document.warnings and "第4–5页" in document.warnings[0]
    plan = parse_lines(document.lines)
    assert [c.title for c in plan.chapters] == [c.title for c in CHAPTERS]
    number, item = numbered_items()[7]  # typed page 3 → scanned page 4: one paragraph
    assert any(
        line.startswith(f"{number}.{item.title}") and "试点学校30所" in line for line in document.lines
    )


def test_phone_photo_of_a_red_header_cover_reads_straight(sample_dir: Path) -> None:
    cover = next(scans.page_images(sample_dir / "plan.pdf", 150, grey=False, pages=[0]))
    photo = scans.photo(scans.with_red_furniture(cover, rule_at=0.175), angle=2.5)
    buffer = io.BytesIO()
    photo.save(buffer, "JPEG", quality=85)
    document = read_document(buffer.getvalue(), "手机拍照.jpg")
    assert document.format == "image"
    lines = document.lines
    assert lines[0] == ISSUER_HEADER  # red 版头 text kept, its red rule gone
    assert "示教发〔2024〕3号" in lines
    assert lines[-1] == "2024年2月20日"  # the seal over the date is ignored
    assert not any(is_page_number(line) for line in lines)


def test_tiff_pages_and_png_read_as_images(page_images: list[Any]) -> None:
    from eduplan.samples.plan_text import PLAN_TITLE

    buffer = io.BytesIO()
    top = [page.crop((0, 0, page.width, page.height // 3)) for page in page_images[1:3]]
    top[0].save(buffer, "TIFF", save_all=True, append_images=top[1:], compression="tiff_lzw")
    calls: list[tuple[int, int]] = []
    document = read_document(buffer.getvalue(), "scan.tif", lambda d, t: calls.append((d, t)))
    assert calls == [(1, 2), (2, 2)]
    assert PLAN_TITLE in document.lines
    assert ISSUER_HEADER not in document.lines  # atop both pages: a running header
    alone = read_bytes(_png(top[0]), "page.png")
    assert alone[0] == ISSUER_HEADER  # on one page it is just the first line
    assert alone[1:] == document.lines[: len(alone) - 1]


def test_image_without_text_says_so() -> None:
    from PIL import Image, ImageDraw

    cat = Image.new("RGB", (900, 700), (235, 225, 205))
    draw = ImageDraw.Draw(cat)
    draw.ellipse((250, 250, 650, 600), fill=(120, 90, 60))  # body
    draw.ellipse((330, 120, 570, 330), fill=(130, 95, 65))  # head
    draw.polygon([(350, 170), (380, 60), (430, 140)], fill=(130, 95, 65))  # ears
    draw.polygon([(470, 140), (520, 60), (550, 170)], fill=(130, 95, 65))
    draw.line((620, 520, 820, 380), fill=(120, 90, 60), width=30)  # tail
    with pytest.raises(ReadError, match=r"^未识别出文字") as error:
        read_document(_png(cat), "cat.png")
    assert error.value.reason == "no_text"


def test_two_thousand_page_scan_is_refused_at_once(tmp_path: Path) -> None:
    from PIL import Image

    pages = (Image.new("L", (60, 85), 200) for _ in range(2000))
    path = scans.write_image_pdf(pages, tmp_path / "huge.pdf")
    start = time.monotonic()
    with pytest.raises(ReadError, match=f"上限{MAX_PAGES}页") as error:
        read_path_document(path)
    assert error.value.reason == "too_large"
    assert "2000页" in str(error.value)
    assert time.monotonic() - start < 60


def test_corrupt_image_is_one_clear_error() -> None:
    with pytest.raises(ReadError, match="图片文件已损坏") as error:
        read_document(b"\x89PNG\r\n\x1a\n" + bytes(200), "broken.png")
    assert error.value.reason == "corrupt"


def test_missing_engine_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    from PIL import Image

    monkeypatch.setenv("EDUPLAN_OCR_ENGINE", "no-such-engine")
    with pytest.raises(ReadError, match="pip install rapidocr onnxruntime"):
        read_document(_png(Image.new("L", (200, 200), 255)), "page.png")


@pytest.mark.skipif(
    engine_name() == "tesseract" or "tesseract" not in str(__import__("shutil").which("tesseract")),
    reason="Debian's tesseract-ocr is not installed (apt-get install tesseract-ocr tesseract-ocr-chi-sim)",
)
def test_tesseract_engine_reads_a_page(monkeypatch: pytest.MonkeyPatch, page_images: list[Any]) -> None:
    from eduplan.readers.ocr import _installed

    if not _installed("tesseract"):
        pytest.skip("tesseract-ocr-chi-sim (the chi_sim model) is not installed")
    monkeypatch.setenv("EDUPLAN_OCR_ENGINE", "tesseract")
    page = page_images[1]
    document = read_document(_png(page.crop((0, 0, page.width, page.height // 2))), "page.png")
    assert f"一、{CHAPTERS[0].title}" in document.lines
