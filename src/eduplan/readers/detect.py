"""Which reader a file needs, decided from its content; the file name is only a hint.

Recognised: docx (a zip holding word/document.xml), doc (a Word 97-2003 or WPS 文字 OLE file, or
Word 2003 XML), rtf (``{\\rtf``), odt (a zip whose mimetype is an OpenDocument text), ofd (a zip
holding OFD.xml), pdf (``%PDF`` header), image (PNG, JPEG, TIFF, GIF, WebP: read by OCR), mht (a MIME
single-file web page, as Word saves "web page" .doc files), html (markup markers), spreadsheets
(xlsx: a zip holding xl/workbook.xml; xls: an OLE file with a Workbook or Book stream, WPS .et too;
csv: by its name, and text named .xls) and text (anything else that decodes cleanly).  The doc, rtf
and odt formats are read through LibreOffice (`convert`).  Formats eduplan cannot read (PowerPoint,
encrypted Office files, archives) are refused here with a message saying what to do.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from pathlib import PurePath
from typing import Literal

from eduplan.readers.errors import ReadError
from eduplan.readers.ole import ole_kind

Format = Literal[
    "text", "docx", "doc", "rtf", "odt", "ofd", "pdf", "html", "mht", "xlsx", "xls", "csv", "image"
]

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
_IMAGE_MAGICS = (b"\x89PNG", b"\xff\xd8\xff", b"GIF87a", b"GIF89a", b"II*\x00", b"MM\x00*")
_ARCHIVE_MAGICS = (b"Rar!", b"7z\xbc\xaf", b"\x1f\x8b")
_WORD_EXTS = {".docx", ".doc", ".docm", ".dotx", ".wps", ".odt", ".rtf"}
_BINARY_EXTS = _WORD_EXTS | {".pdf", ".ofd", ".xlsx", ".xls", ".et", ".pptx", ".ppt"}
_OFD_CORRUPT = "OFD 文件已损坏（缺少 OFD.xml 或无法解压），无法读取；请重新导出 OFD，或改用 PDF/Word 版"
_ODT_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_CSV_EXTS = {".csv", ".tsv"}
_HTML_EXTS = {".html", ".htm", ".shtml", ".xhtml", ".jsp", ".asp", ".aspx", ".php"}
_HTML_STRONG = re.compile(r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s")
_WORD_2003_XML = re.compile(r'<\?mso-application\s+progid="word\.document"|<w:worddocument[\s>]')
_MHT = re.compile(  # header lines (folded ones too) up to MIME-Version or a multipart/related type
    rb"\s*(?:[\w-]+:[^\r\n]*\r?\n(?:[ \t][^\r\n]*\r?\n)*)*?"
    rb"(?:mime-version:|content-type:\s*multipart/related)",
    re.IGNORECASE,
)
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


def _zip_kind(data: bytes, ext: str) -> Format:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            mimetype = b""
            if "mimetype" in names:
                with zf.open("mimetype") as part:
                    mimetype = part.read(100)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if ext == ".ofd":
            raise ReadError(_OFD_CORRUPT) from exc
        raise ReadError(
            "压缩文件已损坏，无法打开；若是 Word 文档，请用 Word 或 WPS 重新保存后再导入"
        ) from exc
    except (NotImplementedError, RuntimeError) as exc:
        raise ReadError("压缩文件已加密或使用了不支持的压缩方式，请解除密码后重新保存", "encrypted") from exc
    if "word/document.xml" in names:
        return "docx"
    if any(name.lower() == "ofd.xml" for name in names):
        return "ofd"
    if mimetype.strip() in (_ODT_MIMETYPE, _ODT_MIMETYPE + b"-template"):
        return "odt"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "ppt/presentation.xml" in names:
        raise ReadError(
            "这是 PowerPoint 演示文稿，不是规划文档；请导入 Word、PDF、网页或文本文件", "unsupported"
        )
    if mimetype.startswith(b"application/vnd.oasis.opendocument"):
        raise ReadError(
            "这是 OpenDocument 表格或演示文稿（.ods/.odp 等），不是规划文档；请导入 Word、PDF、OFD、网页或文本文件",
            "unsupported",
        )
    if ext == ".ofd":
        raise ReadError(_OFD_CORRUPT)
    raise ReadError("这是一个压缩包，不是 Word 文档；请解压后导入其中的文档", "unsupported")


def _ole_format(data: bytes) -> Format:
    """Word 97-2003 / WPS 文字 files are read; the other kinds are refused, each with its reason."""
    kind = ole_kind(data)
    if kind == "word":
        return "doc"
    if kind == "excel":
        raise ReadError("这是旧版 Excel（.xls）文件，不是规划文档", "legacy_office")
    if kind == "encrypted":
        raise ReadError(
            "这份 Office 文档设有打开密码（已加密），无法读取；请在 Word 或 WPS 中取消密码后重新保存再导入",
            "encrypted",
        )
    if kind == "powerpoint":
        raise ReadError(
            "这是 PowerPoint 演示文稿，不是规划文档；请导入 Word、PDF、网页或文本文件", "unsupported"
        )
    raise ReadError(
        "这是旧版 Office 文件，但不是 Word 或 WPS 文档；请用 Word 或 WPS 另存为 .docx 后再导入",
        "legacy_office",
    )


def detect_format(data: bytes, filename: str | None = None) -> Format:
    """The reader for `data`; raises `ReadError` for formats eduplan does not read."""
    ext = extension(filename)
    if _is_pdf(data):
        return "pdf"
    if data.startswith(_ZIP_MAGICS):
        return _zip_kind(data, ext)
    if data.startswith(OLE_MAGIC):
        from eduplan.readers.sheet import ole_spreadsheet

        if ole_spreadsheet(data, ext):
            return "xls"
        if ext in {".xls", ".et"} and ole_kind(data) != "encrypted":
            raise ReadError(
                f"文件扩展名为 {ext}，但内容不是 Excel 工作簿（文件可能已损坏或扩展名有误），"
                "请用 Excel 或 WPS 打开后重新保存再导入",
                "corrupt",
            )
        return _ole_format(data)
    if data.startswith(b"{\\rtf"):
        return "rtf"
    if data.startswith(_IMAGE_MAGICS) or (data[:4] == b"RIFF" and data[8:12] == b"WEBP"):
        return "image"
    if data.startswith(_ARCHIVE_MAGICS):
        raise ReadError("这是压缩包，请解压后导入其中的文档", "unsupported")
    if _MHT.match(data[:2048]):
        return "mht"
    if _WORD_2003_XML.search(_head_text(data)):
        return "doc"  # Word 2003 XML (often named .doc): LibreOffice reads it as it reads a .doc
    if ext in _CSV_EXTS:
        return "csv"
    if looks_like_html(data, filename):
        return "html"  # a web system's "Excel" export is often an HTML table named .xls
    if ext in {".xls", ".et"}:
        return "csv"  # … or tab-separated text
    return "text"


def mismatch_error(filename: str | None) -> ReadError | None:
    """The error for a binary-format name whose content turned out not to be that format."""
    ext = extension(filename)
    if ext not in _BINARY_EXTS:
        return None
    kind = "PDF" if ext == ".pdf" else "OFD" if ext == ".ofd" else "Word" if ext in _WORD_EXTS else "Office"
    return ReadError(
        f"文件扩展名为 {ext}，但内容不是有效的 {kind} 文档（文件可能已损坏或扩展名有误），请重新导出后再导入",
        "corrupt",
    )
