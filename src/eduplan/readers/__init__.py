"""Readers: the bytes of a txt/md, docx, doc/wps/rtf/odt, ofd, pdf, html, image file or spreadsheet →
normalized lines (and tables).

The only code in eduplan that knows file formats.  Public API:

- ``read_bytes(data, filename=None) -> list[str]``: detect the format from the content (the file
  name is only a hint), extract raw lines, normalize them (`normalize.normalize_lines`).
- ``read_path(path) -> list[str]``: the same for a file on disk (size checked before reading).
- ``read_document(data, filename=None, progress=None) -> Document``: lines and, where the format has
  them, tables and the reader's doubts (OCR confidence); ``read_bytes`` is its ``.lines``.  A
  spreadsheet (xlsx, xls/et, csv) gives one table per sheet and one line per row; the tables of a
  docx, PDF or html page are found among its lines (`line_tables`).
- ``ReadError``: raised for anything unreadable, with a one-line Chinese message saying what to do.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path

from eduplan.readers.detect import Format, detect_format, mismatch_error
from eduplan.readers.document import Document, Progress
from eduplan.readers.errors import ReadError
from eduplan.readers.limits import MAX_BYTES, check_size
from eduplan.readers.line_tables import tables_in_lines
from eduplan.readers.normalize import normalize_lines

__all__ = [
    "MAX_BYTES",
    "Document",
    "ReadError",
    "read_bytes",
    "read_document",
    "read_path",
    "read_path_document",
]


def _reader(fmt: Format) -> Callable[[bytes], list[str]]:
    if fmt == "docx":
        from eduplan.readers.docx import read_docx

        return read_docx
    if fmt in ("doc", "rtf", "odt"):
        from eduplan.readers.convert import read_converted

        return lambda data: read_converted(data, fmt)
    if fmt == "ofd":
        from eduplan.readers.ofd import read_ofd

        return read_ofd
    if fmt == "pdf":
        from eduplan.readers.pdf import read_pdf

        return read_pdf
    if fmt == "mht":
        from eduplan.readers.mht import read_mht

        return read_mht
    if fmt == "html":
        from eduplan.readers.html import read_html

        return read_html
    from eduplan.readers.text import read_text

    return read_text


def _scan_reader(fmt: Format) -> Callable[[bytes, Progress | None], Document] | None:
    """The reader of a format that may need OCR (it reports progress and doubts), if `fmt` is one."""
    if fmt == "pdf":
        from eduplan.readers.pdf import read_pdf_document

        return read_pdf_document
    if fmt == "image":
        from eduplan.readers.scan import read_image

        return read_image
    return None


def _normalized(raw: Document) -> Document:
    """A reader's raw document with its lines, and the texts of its doubtful lines, normalized."""
    doubts = [("".join(normalize_lines([text])), c) for text, c in raw.low_confidence]
    raw.low_confidence = [(text, c) for text, c in doubts if text]
    raw.lines = normalize_lines(raw.lines)
    return raw


def read_document(data: bytes, filename: str | None = None, progress: Progress | None = None) -> Document:
    """Lines (and tables, doubts) of a document given as bytes; `filename` only hints at the format.

    `progress(done, total)` is called after each page read by OCR (scanned PDF pages, images).
    """
    if not data:
        raise ReadError("无法读取：文件为空", "empty")
    check_size(len(data))
    fmt = detect_format(data, filename)
    if fmt in ("xlsx", "xls", "csv"):
        return _read_sheets(data, fmt, filename)
    scan_reader = _scan_reader(fmt)
    try:
        doc = _normalized(scan_reader(data, progress)) if scan_reader else None
        lines = doc.lines if doc else normalize_lines(_reader(fmt)(data))
    except ReadError as exc:
        mismatch = mismatch_error(filename) if fmt == "text" else None
        raise (mismatch or exc) from exc
    if not lines:
        raise ReadError("文件中没有可读取的文字内容，请确认选择了正确的文件", "no_text")
    tables = tables_in_lines(lines) if fmt not in ("text", "image") else []
    if doc is not None:
        doc.tables = tables
        return doc
    return Document(format=fmt, lines=lines, tables=tables)


def _read_sheets(data: bytes, fmt: Format, filename: str | None) -> Document:
    """A spreadsheet's sheets as tables, and their rows as lines (one line per row)."""
    from eduplan.readers import sheet

    if fmt == "xlsx":
        tables = sheet.read_xlsx(data)
    elif fmt == "xls":
        tables = sheet.read_xls(data)
    else:
        tables = sheet.read_csv(data, Path(filename).stem if filename else "CSV")
    lines = sheet.table_lines(tables)
    if not lines:
        raise ReadError(
            "这个 Excel/CSV 表格中没有内容，请确认选择了正确的文件（任务分工表应有序号、重点任务、责任单位等列）",
            "no_text",
        )
    return Document(format=fmt, lines=lines, tables=tables)


def read_bytes(data: bytes, filename: str | None = None) -> list[str]:
    """Normalized lines of a document given as bytes; `filename` only hints at the format."""
    return read_document(data, filename).lines


def read_path(path: str | os.PathLike[str]) -> list[str]:
    """Normalized lines of a document on disk (its size is checked before it is read)."""
    return read_path_document(path).lines


def _read_file(p: Path) -> bytes:
    """The bytes of a regular file, its size checked before it is read."""
    try:
        info = p.stat()
    except FileNotFoundError as exc:
        raise ReadError(f"找不到文件：{p}，请检查路径是否正确", "not_found") from exc
    except PermissionError as exc:
        raise ReadError(f"没有权限读取文件：{p}", "permission") from exc
    except (OSError, ValueError) as exc:
        raise ReadError(f"无法读取文件：{p}（{getattr(exc, 'strerror', None) or exc}）", "not_found") from exc
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(f"这是一个文件夹，不是文件：{p}", "not_a_file")
    if not stat.S_ISREG(info.st_mode):
        raise ReadError(f"这不是普通文件，无法读取：{p}", "not_a_file")
    check_size(info.st_size)
    try:
        with p.open("rb") as f:
            data = f.read(MAX_BYTES + 1)  # the file may have grown since stat
    except PermissionError as exc:
        raise ReadError(f"没有权限读取文件：{p}", "permission") from exc
    except OSError as exc:
        raise ReadError(f"无法读取文件：{p}（{exc.strerror or exc}）", "not_found") from exc
    return data


def read_path_document(path: str | os.PathLike[str], progress: Progress | None = None) -> Document:
    """`read_document` for a file on disk (its size is checked before it is read)."""
    p = Path(path)
    return read_document(_read_file(p), p.name, progress)
