"""PDF: text lines and tables of each page (pdfplumber), page furniture removed, paragraphs joined.

Tables found by ruling lines (``page.find_tables``) become tab-separated rows in their place on
the page, and their characters are left out of the running text.  A PDF with no text layer on any
page is a scan and is refused with a request for OCR; encrypted or broken files are refused too.
Limits: no OCR; multi-column pages and tables drawn without lines read as plain lines.
"""

from __future__ import annotations

import contextlib
import io
import logging
from typing import Any

from eduplan.readers.errors import ReadError
from eduplan.readers.pdf_layout import PdfLine, paragraphs, remove_page_furniture
from eduplan.readers.pdf_limits import check_chars, check_page_content, check_pages

_SCANNED = "这是扫描版 PDF，没有文字层，需要先进行 OCR 文字识别（或向发文单位索取 Word 版）后再导入"
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
        PdfLine(number, row["text"], row["x0"], row["x1"], row["top"], row["bottom"], height)
        for row in text_page.extract_text_lines(return_chars=False)
    ]
    for table, box in zip(tables, boxes, strict=True):
        rows = [[_cell(c) for c in row] for row in table.extract()]
        for i, cells in enumerate(r for r in rows if any(r)):
            top = box[1] + i * 0.01
            lines.append(PdfLine(number, "\t".join(cells), box[0], box[2], top, top, height, is_table=True))
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


def read_pdf(data: bytes) -> list[str]:
    """Raw lines (paragraphs and table rows) of a PDF with a text layer."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)
    pdf = _open(data)
    try:
        pages = []
        chars = content = 0
        check_pages(len(pdf.pages))
        for number, page in enumerate(pdf.pages, start=1):
            content = check_page_content(page.page_obj, content)
            chars += len(page.chars)
            check_chars(chars)
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
    if chars == 0:
        raise ReadError(_SCANNED, "scanned")
    return paragraphs(remove_page_furniture(pages))
