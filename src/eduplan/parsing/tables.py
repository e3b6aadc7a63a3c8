"""Indicator tables (主要指标): tab- or space-separated rows with values by year and 预期性/约束性.

Rows arrive as lines whose cells are separated by tabs (docx/pdf/html readers emit tables that
way; text exports often do too) or by runs of two or more spaces.  A row with one cell between
data rows is a category (group) row; a header names 指标/单位/years/属性.
"""

from __future__ import annotations

import re

from eduplan.domain import IndicatorRow, IndicatorTable

_YEAR_CELL = re.compile(
    r"^((?:19|20)[0-9]{2})\s*年?(?:目标值|基期值|现状值|目标)?$|^(?:19|20)[0-9]{2}\s*年?\s*[（(].*[)）]$"
)
_NUMBER_CELL = re.compile(r"^[<>≤≥＞＜约]?\s*(-?[0-9]+(?:\.[0-9]+)?)\s*[%％]?\s*(?:以上|以下|左右)?$")
_ATTRIBUTES = ("预期性", "约束性")
_LEAD_COLUMNS = {"类别", "领域", "分类", "序号", "编号"}
_SERIAL_COLUMNS = {"序号", "编号"}


def split_cells(line: str) -> list[str]:
    """A table line → its cells (tabs, or runs of two or more spaces)."""
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return [c.strip() for c in re.split(r"\s{2,}", line)]


def is_table_line(line: str) -> bool:
    """Whether a line looks like a row of a table (two or more cells)."""
    return "\t" in line.strip()


def is_header(cells: list[str]) -> bool:
    """Whether cells are a header row: an indicator column and at least one year column."""
    years = sum(1 for c in cells if _YEAR_CELL.match(c.replace(" ", "")))
    return years >= 1 and any(k in "".join(cells) for k in ("指标", "项目", "名称", "单位", "内容"))


def _number(cell: str) -> float | None:
    m = _NUMBER_CELL.match(cell.replace(",", "").strip())
    return float(m.group(1)) if m else None


def parse_table(lines: list[str], title: str, column: int | None = None) -> IndicatorTable | None:
    """An indicator table from its lines (header first; group rows and a 注： note allowed)."""
    rows = [split_cells(ln) for ln in lines]
    header_at = next((i for i, cells in enumerate(rows) if is_header(cells)), None)
    if header_at is None:
        return None
    header = [c for c in rows[header_at] if c != ""]
    hdr = [c.replace(" ", "") for c in header]
    # a 类别 or 序号 column before the indicator: the category is a group, the serial is dropped
    lead_cols = 0
    while lead_cols < len(hdr) - 1 and hdr[lead_cols] in _LEAD_COLUMNS:
        lead_cols += 1
    unit_col = next((i for i, c in enumerate(hdr) if c.startswith("单位")), None)
    attr_col = next((i for i, c in enumerate(hdr) if c in ("属性", "指标属性", "类型")), None)
    year_cols = {i: m.group(1) or c[:4] for i, c in enumerate(hdr) if (m := _YEAR_CELL.match(c))}
    table = IndicatorTable(title=title, header=header, column=column)
    group: str | None = None
    for cells in rows[header_at + 1 :]:
        cells = [c for c in cells]
        while cells and cells[-1] == "":
            cells.pop()
        if not cells:
            continue
        if len(cells) == 1:
            text = cells[0]
            if text.startswith(("注", "备注", "说明", "数据来源")) or table.note is not None:
                table.note = text if table.note is None else table.note + "\n" + text
            else:
                group = text
            continue
        # a row may have a leading group cell when the header has fewer columns than the row
        if len(cells) == len(header) + 1:
            group, cells = cells[0], cells[1:]
        for k in range(lead_cols):
            if hdr[k] not in _SERIAL_COLUMNS and k < len(cells) and cells[k]:
                group = cells[k]  # a merged category cell is empty on its later rows
        if lead_cols:
            year_cols_here = {i - lead_cols: y for i, y in year_cols.items()}
            unit_here = unit_col - lead_cols if unit_col is not None else None
            cells = cells[lead_cols:]
        else:
            year_cols_here, unit_here = year_cols, unit_col
        values = {year: _number(cells[i]) if i < len(cells) else None for i, year in year_cols_here.items()}
        table.rows.append(
            IndicatorRow(
                label=cells[0],
                unit=cells[unit_here] if unit_here is not None and unit_here < len(cells) else None,
                values=values,
                group=group,
                attribute=next((c for c in cells if c in _ATTRIBUTES), None)
                if attr_col is not None or any(c in _ATTRIBUTES for c in cells)
                else None,
            )
        )
    return table
