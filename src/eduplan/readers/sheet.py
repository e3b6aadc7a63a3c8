"""Spreadsheets (xlsx, xls and WPS .et, csv): every sheet → a `NamedTable` of cell texts.

A 任务分工表 arrives as a workbook more often than as a document.  Each sheet becomes one table of
cell texts (numbers without a trailing ``.0``, dates as ``2024年6月30日``), with empty rows and
trailing empty columns dropped.  A cell merged down a column (a category spanning several tasks,
one lead unit for a group) is repeated on every row it covers, read from its top-left cell; a cell
merged across a row (a title, a category row) stays in its first column only, so the row still
reads as one cell.  Traditional characters become simplified ones, as in every reader.

xlsx is read with openpyxl in read-only mode (streaming; merged ranges taken from the sheet XML),
after the same zip checks as a docx; xls/et with xlrd; csv decoded like a text file
(`text.decode_text`) with its delimiter sniffed.  Workbooks with an open password are refused
with one line saying to remove it.  Limits: formulas give their cached values; hidden sheets are
read; charts and images are ignored.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime, time
from typing import Any

from eduplan.readers.document import NamedTable
from eduplan.readers.errors import ReadError

MAX_ROWS = 50_000
"""Most rows read from one workbook (all sheets): a task table has hundreds."""
MAX_COLUMNS = 100
"""Columns beyond this are ignored: a task table has about ten."""

_ENCRYPTED = "Excel 表格设有打开密码，请在 Excel 或 WPS 中取消密码（文件→信息→保护工作簿）后另存再导入"
_CORRUPT = "Excel 表格已损坏或不是有效的 {kind} 文件，请用 Excel 或 WPS 打开后重新保存再导入"
_TOO_MANY = f"表格行数过多（超过 {MAX_ROWS} 行），不像是任务分工表；请只保留任务所在的工作表后再导入"
_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")
_SPREADSHEET_EXTS = {".xlsx", ".xlsm", ".xls", ".et", ".ett"}


def cell_text(value: Any) -> str:
    """The text of one cell value as a person reads it: 1.0 → "1", a date → "2024年6月30日"."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else f"{value:g}"
    if isinstance(value, datetime):
        value = value.date() if value.time() == time(0, 0) else value
        if isinstance(value, datetime):
            return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
    if isinstance(value, date):
        return f"{value.year}年{value.month}月{value.day}日"
    return str(value).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ").strip()


def _column_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def _ref(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.strip().upper())
    return (int(m.group(2)) - 1, _column_index(m.group(1))) if m else None


def _fill_down(rows: list[list[str]], merges: Iterable[tuple[int, int, int, int]]) -> None:
    """Repeat the top-left text of each range merged down a column on the rows below it."""
    for top, left, bottom, _right in merges:
        if bottom <= top or top >= len(rows) or left >= len(rows[top]):
            continue
        text = rows[top][left]
        for r in range(top + 1, min(bottom, len(rows) - 1) + 1):
            row = rows[r]
            if left >= len(row):
                row.extend([""] * (left + 1 - len(row)))
            if not row[left]:
                row[left] = text


def _tidy(name: str, rows: list[list[str]]) -> NamedTable | None:
    """A table without empty rows and trailing empty columns; None when nothing is left."""
    kept, numbers = [], []
    for index, row in enumerate(rows, start=1):
        while row and not row[-1]:
            row.pop()
        if any(row):
            kept.append(row)
            numbers.append(index)
    return NamedTable(name, kept, row_numbers=numbers) if kept else None


def _simplified(tables: list[NamedTable]) -> list[NamedTable]:
    """Every cell in simplified characters, converted in one call per table for speed."""
    from eduplan.readers.normalize import clean_line, to_simplified

    for table in tables:
        # \x1e and \x1f separate rows and cells: OpenCC leaves control characters alone
        joined = "\x1e".join("\x1f".join(row) for row in table.rows)
        converted = to_simplified(joined + "\x1e" + table.name)
        *rows, table.name = converted.split("\x1e")
        table.rows = [
            ["\n".join(filter(None, (clean_line(p) for p in cell.split("\n")))) for cell in row.split("\x1f")]
            for row in rows
        ]
    return tables


def _bounded(rows: Iterator[Iterable[Any]], count: list[int]) -> list[list[str]]:
    out = []
    for row in rows:
        count[0] += 1
        if count[0] > MAX_ROWS:
            raise ReadError(_TOO_MANY, "too_large")
        out.append([cell_text(v) for v in list(row)[:MAX_COLUMNS]])
    return out


def _xlsx_merges(archive: Any, path: str) -> list[tuple[int, int, int, int]]:
    """(top, left, bottom, right) of each merged range of one sheet, 0-based, from its XML."""
    from xml.etree.ElementTree import iterparse

    merges = []
    with archive.open(path) as source:
        for _, el in iterparse(source):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "mergeCell":
                first, _, last = (el.get("ref") or "").partition(":")
                a, b = _ref(first), _ref(last or first)
                if a and b:
                    merges.append((a[0], a[1], b[0], b[1]))
            elif tag == "c":
                el.clear()  # cells are read by openpyxl; only the merged ranges are wanted here
    return merges


def read_xlsx(data: bytes) -> list[NamedTable]:
    """One table per sheet of an Excel 2007+ workbook."""
    from eduplan.readers.zipsafe import open_zip, refuse_xml_declarations

    try:
        with open_zip(data) as zf:
            refuse_xml_declarations(zf)
    except ReadError as exc:  # the zip checks speak of Word documents
        raise ReadError(exc.message.replace("Word 文档", "Excel 表格"), exc.reason) from exc
    import openpyxl

    tables: list[NamedTable] = []
    count = [0]
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            for sheet in workbook.worksheets:
                sheet.reset_dimensions()  # some writers declare a wrong size (A1:A1): read every cell
                rows = _bounded(sheet.iter_rows(values_only=True), count)
                path = getattr(sheet, "_worksheet_path", None)
                if path:
                    _fill_down(rows, _xlsx_merges(workbook._archive, path))
                table = _tidy(sheet.title, rows)
                if table is not None:
                    tables.append(table)
        finally:
            workbook.close()
    except ReadError:
        raise
    except Exception as exc:  # openpyxl and the XML parser raise many kinds on a damaged workbook
        raise ReadError(_CORRUPT.format(kind=".xlsx")) from exc
    return _simplified(tables)


def read_xls(data: bytes) -> list[NamedTable]:
    """One table per sheet of an Excel 97-2003 (or WPS .et) workbook."""
    import xlrd

    book = None
    for formatting in (True, False):  # merged ranges need the formatting records; some writers' break
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=formatting, on_demand=True)
            break
        except xlrd.XLRDError as exc:
            if "encrypt" in str(exc).lower():
                raise ReadError(_ENCRYPTED, "encrypted") from exc
        except Exception:  # xlrd raises many kinds on a damaged workbook
            pass
    if book is None:
        raise ReadError(_CORRUPT.format(kind=".xls"))
    tables: list[NamedTable] = []
    count = [0]
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)

            def values(s: Any = sheet) -> Iterator[list[Any]]:
                for r in range(s.nrows):
                    yield [
                        xlrd.xldate.xldate_as_datetime(c.value, book.datemode)
                        if c.ctype == xlrd.XL_CELL_DATE
                        else c.value
                        for c in s.row(r)
                    ]

            rows = _bounded(values(), count)
            merges = [(top, left, bottom - 1, right - 1) for top, bottom, left, right in sheet.merged_cells]
            _fill_down(rows, merges)
            table = _tidy(sheet.name, rows)
            if table is not None:
                tables.append(table)
            book.unload_sheet(index)
    except ReadError:
        raise
    except Exception as exc:
        raise ReadError(_CORRUPT.format(kind=".xls")) from exc
    finally:
        book.release_resources()
    return _simplified(tables)


def read_csv(data: bytes, name: str = "CSV") -> list[NamedTable]:
    """The one table of a CSV (or tab-separated) file, decoded like a text file."""
    from eduplan.readers.text import decode_text

    text = decode_text(data)
    sample = text[:8192]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;")
    except csv.Error:
        dialect = csv.excel_tab if sample.count("\t") > sample.count(",") else csv.excel
    try:
        rows = _bounded(csv.reader(io.StringIO(text, newline=""), dialect), [0])
    except csv.Error as exc:
        raise ReadError(f"CSV 文件格式有误（{exc}），请用 Excel 或 WPS 另存为 .xlsx 后再导入") from exc
    table = _tidy(name, rows)
    return _simplified([table]) if table is not None else []


def ole_spreadsheet(data: bytes, ext: str) -> bool:
    """Whether an OLE compound file is an Excel/WPS workbook (a Workbook or Book stream).

    A password-protected xlsx is an OLE file too (EncryptedPackage): named as a spreadsheet, it
    is refused here with the password message.
    """
    import olefile

    try:
        ole = olefile.OleFileIO(data)
    except Exception:
        return ext in {".xls", ".et", ".ett"}  # damaged: let the xls reader say so
    try:
        streams = {"/".join(entry).lower() for entry in ole.listdir(streams=True, storages=False)}
    finally:
        ole.close()
    if "encryptedpackage" in streams and ext in _SPREADSHEET_EXTS:
        raise ReadError(_ENCRYPTED, "encrypted")
    return bool(streams & {"workbook", "book"})


def table_lines(tables: list[NamedTable]) -> list[str]:
    """The rows of tables as lines (cells separated by tabs), one line per row, in order.

    Fills each table's `line_numbers` (1-based) so that a task can point back at its row.
    """
    lines: list[str] = []
    for table in tables:
        table.line_numbers = []
        for row in table.rows:
            cells = [" ".join(cell.split()) for cell in row]
            filled = [c for c in cells if c]
            lines.append(filled[0] if len(filled) == 1 else "\t".join(cells))
            table.line_numbers.append(len(lines))
    return lines
