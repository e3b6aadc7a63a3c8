"""Cheap limits checked before pdfplumber lays out a PDF page (PDF bombs).

pdfminer inflates a page's content streams whole and then builds a Python object for every glyph:
a 77 KB file whose one Flate stream inflates to 30 MB of ``Tj`` operators costs minutes and
gigabytes.  Before a page is laid out, the inflated size of its content streams and of the form
XObjects it draws is measured here without inflating more than the limit (`limits.MAX_PAGE_CONTENT`,
and `limits.MAX_PDF_CONTENT` for the whole file), and the bytes of the strings it shows
(`limits.MAX_PAGE_TEXT`, an upper bound of its glyphs: pdfminer's cost grows with them); the page
count and the characters read so far are bounded too (`limits.MAX_PAGES`, `limits.MAX_CHARS`).  A form drawn thousands of times is not
caught by sizes: the child process of `eduplan.services.sandbox` bounds time and memory behind these.
"""

from __future__ import annotations

import re
import zlib
from typing import Any

from eduplan.readers.errors import ReadError
from eduplan.readers.limits import (
    MAX_CHARS,
    MAX_PAGE_CONTENT,
    MAX_PAGE_TEXT,
    MAX_PAGES,
    MAX_PDF_CONTENT,
    megabytes,
)

_HINT = "疑似异常文件（如压缩炸弹），已拒绝读取；请重新导出 PDF 或改用 Word 版"
_CHUNK = 1 << 20
_LITERAL = re.compile(rb"\((?:[^\\)]|\\.)*\)", re.DOTALL)
_HEX = re.compile(rb"<[0-9A-Fa-f\s]*>")


def check_pages(count: int) -> None:
    """Refuse a PDF of more than `MAX_PAGES` pages."""
    if count > MAX_PAGES:
        raise ReadError(f"PDF 页数过多（{count} 页，上限 {MAX_PAGES} 页），请拆分后再导入", "too_large")


def check_chars(count: int) -> None:
    """Refuse a PDF once more than `MAX_CHARS` characters have been read."""
    if count > MAX_CHARS:
        raise ReadError(f"PDF 文字过多（超过 {MAX_CHARS:,} 字），{_HINT}", "too_large")


def _decoded(stream: Any, cap: int) -> bytes:
    """A stream decoded, at most `cap` + 1 bytes of it when it is a Flate stream."""
    from pdfminer.pdftypes import LITERALS_FLATE_DECODE

    if stream.data is not None:
        return bytes(stream.data)
    filters = stream.get_filters()
    raw = stream.rawdata or b""
    if len(filters) != 1 or filters[0][0] not in LITERALS_FLATE_DECODE:
        return bytes(stream.get_data())  # other filters expand little; pdfminer decodes them anyway
    if stream.decipher:
        raw = stream.decipher(stream.objid, stream.genno, raw, stream.attrs)
    inflater = zlib.decompressobj()
    parts: list[bytes] = []
    size = 0
    try:
        parts.append(inflater.decompress(raw, cap + 1))
        size = len(parts[0])
        while size <= cap and inflater.unconsumed_tail:
            parts.append(inflater.decompress(inflater.unconsumed_tail, min(_CHUNK, cap + 1 - size)))
            size += len(parts[-1])
    except zlib.error:
        pass  # pdfminer recovers what it can of a damaged stream
    return b"".join(parts)


def _text_bytes(content: bytes) -> int:
    """Bytes of the strings a content stream shows (an upper bound of its glyphs)."""
    literal = sum(len(m) - 2 for m in _LITERAL.findall(content))
    return literal + sum((len(m) - 2) // 2 for m in _HEX.findall(content))


def _streams(page: Any) -> list[Any]:
    """The page's content streams and the form XObjects of its resources (nested forms too)."""
    from pdfminer.pdftypes import PDFStream, resolve1

    found: list[Any] = [s for s in (resolve1(c) for c in page.contents) if isinstance(s, PDFStream)]
    seen: set[int] = set()
    pending = [resolve1(page.resources)]
    while pending and len(seen) < 10_000:
        resources = pending.pop()
        if not isinstance(resources, dict):
            continue
        xobjects = resolve1(resources.get("XObject"))
        for ref in (xobjects or {}).values() if isinstance(xobjects, dict) else ():
            form = resolve1(ref)
            if not isinstance(form, PDFStream) or id(form) in seen:
                continue
            seen.add(id(form))
            if getattr(resolve1(form.attrs.get("Subtype")), "name", None) == "Form":
                found.append(form)
                pending.append(resolve1(form.attrs.get("Resources")))
    return found


def check_page_content(page: Any, used: int) -> int:
    """`used` plus the decoded size of what pdfminer page `page` draws; `ReadError` past the limits."""
    size = text = 0
    for stream in _streams(page):
        content = _decoded(stream, MAX_PAGE_CONTENT - size)
        size += len(content)
        if size > MAX_PAGE_CONTENT:
            raise ReadError(f"PDF 某一页的内容解压后超过 {megabytes(MAX_PAGE_CONTENT)}，{_HINT}", "too_large")
        text += _text_bytes(content)
        if text > MAX_PAGE_TEXT:
            raise ReadError(f"PDF 某一页的文字超过 {MAX_PAGE_TEXT:,} 字节，{_HINT}", "too_large")
    if used + size > MAX_PDF_CONTENT:
        raise ReadError(f"PDF 的内容解压后超过 {megabytes(MAX_PDF_CONTENT)}，{_HINT}", "too_large")
    return used + size
