"""Cell values as they go into an xlsx: text stays text (never a formula), and no character XML forbids.

Formula injection (OWASP "CSV injection"): a task, a unit name or a reporter's narrative is typed by
users, and openpyxl stores any string that begins with ``=`` as a formula (XlsxWriter too, for
``=`` and ``{=``), which Excel evaluates on opening: ``=HYPERLINK(…)``, ``=cmd|…``, a DDE call.
Every string written by eduplan is therefore stored as a text cell (openpyxl ``data_type "s"``;
XlsxWriter ``strings_to_formulas`` off): Excel, WPS and LibreOffice show it exactly as typed and
never evaluate it, whatever it begins with (``=``, ``+``, ``-``, ``@``, a tab or CR before one).
Chosen over OWASP's other remedy, a leading apostrophe, because the cell keeps the user's words
unchanged (no stray ``'`` in the sheet, in a filter or in a re-import); the remaining risk is the
same as for any text: someone who edits such a cell in Excel and presses Enter makes it a formula.

Characters XML 1.0 forbids (C0 controls but tab, LF and CR) make openpyxl refuse the whole workbook
(``IllegalCharacterError``) and lxml the whole chart: they are removed from every string written.
"""

from __future__ import annotations

import re
from typing import Any

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(text: str) -> str:
    """`text` without the characters an XML document cannot hold."""
    return _ILLEGAL.sub("", text)


def put(sheet: Any, row: int, column: int, value: Any = None) -> Any:
    """Write `value` into the openpyxl cell at (`row`, `column`) — a string always as text — and
    return the cell (``None`` leaves the cell's value alone, like ``sheet.cell``)."""
    cell = sheet.cell(row, column)
    if isinstance(value, str):
        cell.value = clean_text(value)
        cell.data_type = "s"
    elif value is not None:
        cell.value = value
    return cell
