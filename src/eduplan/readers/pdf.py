"""PDF: text lines and tables of each page (pdfplumber), page furniture removed, paragraphs joined.

Tables found by ruling lines (``page.find_tables``) become tab-separated rows in their place on
the page, and their characters are left out of the running text.  Pages without a text layer (a
scan, or text drawn as outlines) are rendered at `OCR_DPI` with pdfium and read by OCR
(`readers.scan`) in their place, so a PDF that mixes typed and scanned pages reads in page order.
Encrypted or broken files are refused.
Limits: multi-column pages and tables drawn without lines read as plain lines.
"""

from __future__ import annotations

import contextlib
import io
import logging
from typing import Any

from eduplan.readers.document import Document, Progress
from eduplan.readers.errors import ReadError
from eduplan.readers.pdf_layout import PdfLine
from eduplan.readers.pdf_limits import check_chars, check_page_content, check_pages

OCR_DPI = 150
"""Resolution pages are rendered at for OCR: 公文 body text (16 pt) is then ~30 pixels high."""

_FEW_CHARS = 20  # a scanner's page number or a stamp, not a text layer
_ENCRYPTED = "PDF 文件已加密，请先解除密码保护（或另存为不加密的 PDF）后再导入"
_CORRUPT = "PDF 文件已损坏或格式不受支持，无法读取；请重新导出 PDF 或改用 Word 版"


def _cell(text: str | None) -> str:
    return "".join((text or "").split("\n")).replace("\t", " ").strip()


def _inside(obj: dict[str, Any], box: tuple[float, float, float, float]) -> bool:
    x = (obj["x0"] + obj["x1"]) / 2
    y = (obj["top"] + obj["bottom"]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]


def _page_lines(page: Any, number: int) -> list[PdfLine]:
    height = float(page.height)
    tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2]
    boxes = [tuple(t.bbox) for t in tables]
    text_page = page.filter(lambda obj: not any(_inside(obj, box) for box in boxes)) if boxes else page
    lines = [
        PdfLine(
            page=number,
            text=row["text"],
            x0=row["x0"],
            x1=row["x1"],
            top=row["top"],
            bottom=row["bottom"],
            page_height=height,
        )
        for row in text_page.extract_text_lines(return_chars=False)
    ]
    for table, box in zip(tables, boxes, strict=True):
        rows = [[_cell(c) for c in row] for row in table.extract()]
        for i, cells in enumerate(r for r in rows if any(r)):
            top = box[1] + i * 0.01
            lines.append(
                PdfLine(
                    page=number,
                    text="\t".join(cells),
                    x0=box[0],
                    x1=box[2],
                    top=top,
                    bottom=top,
                    page_height=height,
                    is_table=True,
                )
            )
    lines.sort(key=lambda line: (line.top, line.x0))
    return lines


def _open(data: bytes) -> Any:
    import pdfplumber

    try:
        return pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        names = f"{type(exc).__name__} {type(exc.__cause__).__name__} {exc!r}".lower()
        if "password" in names or "encrypt" in names:
            raise ReadError(_ENCRYPTED, "encrypted") from exc
        raise ReadError(_CORRUPT) from exc


def _close(pdf: Any) -> None:
    # closing walks the page tree again and can meet the same damage that was just reported
    with contextlib.suppress(Exception):
        pdf.close()


def _needs_ocr(page: Any) -> bool:
    """A page whose text is an image: no text layer but something drawn, or a page-sized image."""
    chars = len(page.chars)
    if chars >= _FEW_CHARS:
        return False
    area = float(page.width * page.height) or 1.0
    covered = sum(float(i["width"]) * float(i["height"]) for i in page.images)
    if covered >= 0.5 * area:
        return True
    return chars == 0 and bool(page.images or page.curves or page.rects or page.lines)


def _ocr_pages(
    data: bytes, numbers: list[int], pages: list[list[PdfLine]], progress: Progress | None
) -> None:
    """Render the pages `numbers` (from 1) one at a time and put their OCR lines in `pages`."""
    import pypdfium2

    from eduplan.readers.ocr import get_engine
    from eduplan.readers.scan import check_page_count, ocr_page

    check_page_count(len(numbers))
    get_engine()
    doc = pypdfium2.PdfDocument(data)
    try:
        for done, number in enumerate(numbers, start=1):
            page = doc[number - 1]
            image = page.render(scale=OCR_DPI / 72).to_pil()
            page.close()
            pages[number - 1] = ocr_page(image, number)
            if progress is not None:
                progress(done, len(numbers))
    finally:
        doc.close()


def read_pdf(data: bytes) -> list[str]:
    """Raw lines (paragraphs and table rows) of a PDF, its scanned pages read by OCR."""
    return read_pdf_document(data).lines


def read_pdf_document(data: bytes, progress: Progress | None = None) -> Document:
    """Raw paragraphs of a PDF with the OCR's doubts; `progress(done, total)` counts OCR'd pages."""
    from eduplan.readers.scan import MAX_PAGES, check_page_count, ocr_document

    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pdf = _open(data)
    scanned: list[int] = []
    try:
        pages: list[list[PdfLine]] = []
        chars = content = 0
        check_pages(len(pdf.pages))
        for number, page in enumerate(pdf.pages, start=1):
            content = check_page_content(page.page_obj, content)
            chars += len(page.chars)
            check_chars(chars)
            if _needs_ocr(page):
                scanned.append(number)
                pages.append([])
                if len(scanned) > MAX_PAGES:  # a 2,000-page scan stops here, not after the last page
                    check_page_count(len(pdf.pages))
            else:
                pages.append(_page_lines(page, number))
            page.close()
    except ReadError:
        raise
    except Exception as exc:  # pdfminer raises many kinds on damaged content streams
        names = f"{type(exc).__name__} {exc!r}".lower()
        if "password" in names or "encrypt" in names:
            raise ReadError(_ENCRYPTED, "encrypted") from exc
        raise ReadError(_CORRUPT) from exc
    finally:
        _close(pdf)
    if not pages:
        raise ReadError(_CORRUPT)
    if scanned:
        try:
            _ocr_pages(data, scanned, pages, progress)
        except ReadError:
            raise
        except Exception as exc:  # pdfium refuses what pdfminer let through
            raise ReadError(_CORRUPT) from exc
    return ocr_document("pdf", pages, scanned)
