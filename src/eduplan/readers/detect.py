"""Which reader a file needs, decided from its content; the file name is only a hint.

Recognised: docx (a zip holding word/document.xml), pdf (``%PDF`` header), image (PNG, JPEG, TIFF,
GIF, WebP: read by OCR), html (markup markers) and text (anything else that decodes cleanly).
Formats eduplan cannot read (legacy .doc/.wps OLE files, RTF, xlsx/pptx/odt, archives) are refused
here with a message saying what to do.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PurePath
from typing import Literal

from eduplan.readers.errors import ReadError

Format = Literal["text", "docx", "pdf", "html", "image"]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVE_MAGICS = (b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_BINARY_EXTS = {".docx", ".doc", ".docm", ".dotx", ".wps", ".pdf", ".xlsx", ".xls", ".et", ".pptx", ".ppt"}
_HTML_EXTS = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s")
_HTML_WEAK = re.compile(r"<(?:p|div|table|br|span|h[1-6]|td|li)[\s>/]")


def extension(filename: str | None) -> str:
    """The lower-case suffix of a file name (``.docx``), or ``""``."""
    return PurePath(filename).suffix.lower() if filename else ""


def _head_text(data: bytes) -> str:
    """The first bytes as lower-case text, good enough to look for ASCII markers."""
    head = data[:4096]
    for bom, enc in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(enc, errors="ignore").lower()
    return head.decode("latin-1").lower()


def looks_like_html(data: bytes, filename: str | None = None) -> bool:
    """Whether the content is an HTML page (a ``.html`` name makes weaker markers enough)."""
    head = _head_text(data)
    if _HTML_STRONG.search(head):
        return True
    return extension(filename) in _HTML_EXTS and _HTML_WEAK.search(head) is not None


def _is_pdf(data: bytes) -> bool:
    """``%PDF-`` at the start, or within the first KB after binary junk (as readers allow)."""
    at = data.find(b"%PDF-", 0, 1024)
    if at <= 0:
        return at == 0
    prefix = data[:at]
    return not prefix.strip() or any(b < 9 or 13 < b < 32 for b in prefix)


def _zip_kind(data: bytes) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                with zf.open("mimetype") as part:
                    mimetype = part.read(100)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(
            "压缩文件已损坏，无法打开；若是 Word 文档，请用 Word 或 WPS 重新保存后再导入"
        ) from exc
    except (NotImplementedError, RuntimeError) as exc:
        raise ReadError("压缩文件已加密或使用了不支持的压缩方式，请解除密码后重新保存", "encrypted") from exc
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise ReadError(
            "这是 Excel 表格（.xlsx），不是规划文档；请导入 Word、PDF、网页或文本文件", "unsupported"
        )
    if "ppt/presentation.xml" in names:
        raise ReadError(
            "这是 PowerPoint 演示文稿，不是规划文档；请导入 Word、PDF、网页或文本文件", "unsupported"
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise ReadError(
            "这是 OpenDocument（.odt 等）文件，请用 WPS 或 Word 另存为 .docx 后再导入", "unsupported"
        )
    raise ReadError("这是一个压缩包，不是 Word 文档；请解压后导入其中的文档", "unsupported")


def detect_format(data: bytes, filename: str | None = None) -> Format:
    """The reader for `data`; raises `ReadError` for formats eduplan does not read."""
    ext = extension(filename)
    if _is_pdf(data):
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data)
    if data.startswith(OLE_MAGIC):
        if ext in {".xls", ".et"}:
            raise ReadError("这是旧版 Excel（.xls）文件，不是规划文档", "legacy_office")
        raise ReadError(
            "这是旧版 Word 97-2003（.doc/.wps）文件或加密的 Office 文档，"
            "请用 Word 或 WPS 另存为 .docx（如有密码请先取消）后再导入",
            "legacy_office",
        )
    if data.startswith(b"{\\rtf"):
        raise ReadError("这是 RTF 格式文件，请用 Word 或 WPS 另存为 .docx 后再导入", "unsupported")
    if data.startswith(_IMAGE_MAGICS) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(_ARCHIVE_MAGICS):
        raise ReadError("这是压缩包，请解压后导入其中的文档", "unsupported")
    if data[:200].lstrip().lower().startswith(b"mime-version:"):
        raise ReadError(
            "这是单个网页文件（.mht），请用 Word 或浏览器另存为 .docx 或 .html 后再导入", "unsupported"
        )
    if looks_like_html(data, filename):
        return "html"
    return "text"


def mismatch_error(filename: str | None) -> ReadError | None:
    """The error for a binary-format name whose content turned out not to be that format."""
    ext = extension(filename)
    if ext not in _BINARY_EXTS:
        return None
    kind = (
        "PDF" if ext == ".pdf" else "Word" if ext in {".docx", ".doc", ".docm", ".dotx", ".wps"} else "Office"
    )
    return ReadError(
        f"文件扩展名为 {ext}，但内容不是有效的 {kind} 文档（文件可能已损坏或扩展名有误），请重新导出后再导入",
        "corrupt",
    )
