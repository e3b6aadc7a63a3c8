"""Filling a downloaded 填报模板 the way a clerk does in Excel, with openpyxl: find a task's row by
its 序号, type into its yellow cells, save.  Shared by the service, CLI, web and benchmark tests."""

from __future__ import annotations

import io
from typing import Any

import openpyxl

from eduplan.export.cells import put
from eduplan.readers import report_template_layout as lay


def task_rows(sheet: Any) -> dict[str, int]:
    """Task number → its row (the first row carrying that 序号)."""
    out: dict[str, int] = {}
    for n in range(lay.FIRST_ROW, sheet.max_row + 1):
        number = sheet.cell(n, lay.NUMBER).value
        if number not in (None, "") and str(number) not in out:
            out[str(number)] = n
    return out


def fill(
    data: bytes,
    rows: dict[str, dict[str, Any]],
) -> bytes:
    """`data` with tasks filled: number → {"status", "percent", "narrative", "values": [actual per
    target, in order; None leaves a cell alone, "" clears it]}."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[lay.SHEET]
    found = task_rows(sheet)
    for number, typed in rows.items():
        n = found[number]
        for key, col in (("status", lay.STATUS), ("percent", lay.PERCENT), ("narrative", lay.NARRATIVE)):
            if key in typed:
                put(sheet, n, col, typed[key])  # typed text stays text, as Excel keeps it
        for k, value in enumerate(typed.get("values", []), start=1):
            if value is not None:
                if value == "":
                    sheet.cell(n + k, lay.ACTUAL).value = None
                else:
                    put(sheet, n + k, lay.ACTUAL, value)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def cell(data: bytes, number: str, column: int, offset: int = 0) -> Any:
    """The value of a task's cell (`offset` rows below its task row: its targets)."""
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb[lay.SHEET]
    return sheet.cell(task_rows(sheet)[number] + offset, column)
