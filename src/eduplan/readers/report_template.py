"""Reading a filled 填报模板 back: bytes → the stamp and, per task row, what the clerk left in it.

Pure (no database): it refuses, with a message saying what to do, anything that is not a template
eduplan made — not an xlsx, a zip bomb or XML with entities (`zipsafe`), a workbook without the
hidden stamp, a stamp or row ids edited by hand (digest), rows moved or deleted (the 序号 of each
row must still be the one the stamp lists).  Cell contents are returned as text, uninterpreted:
what a status, a percent or a value means is the upload service's job (and the value rules').
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eduplan.readers import report_template_layout as lay
from eduplan.readers.errors import ReadError
from eduplan.readers.sheet import cell_text

FOREIGN = (
    "这不是 eduplan 生成的填报模板（缺少模板标识），请在“我的任务 → Excel 填报”下载本单位的模板，填好后再上传"
)
TAMPERED = "模板的隐藏标识被改动过，无法确认各行对应的任务，请重新下载模板，把填写的内容复制过去后再上传"
MOVED = "模板的行被移动或删除（第 {row} 行应为任务 {number}），请重新下载模板，按原有行填写后再上传"
MAX_ENTRIES = 5000


@dataclass
class FilledTarget:
    target_id: int
    row: int
    actual: str


@dataclass(kw_only=True)
class FilledRow:
    """One task row of a filled template (row numbers as Excel shows them)."""

    row: int
    item_id: int
    number: str
    title: str
    report_id: int | None
    version: int | None
    status: str
    percent: str
    narrative: str
    targets: list[FilledTarget] = field(default_factory=list)


@dataclass
class FilledTemplate:
    plan_id: int
    org_id: int
    unit_id: int
    cycle: int
    made_at: datetime
    rows: list[FilledRow] = field(default_factory=list)


def _open(data: bytes) -> Any:
    from eduplan.readers.zipsafe import open_zip, refuse_xml_declarations

    kind = "Excel 表格"
    try:
        with open_zip(data, kind) as zf:
            refuse_xml_declarations(zf, kind)
    except ReadError as exc:
        raise ReadError(f"{exc.message}（请上传从 eduplan 下载并填写的 .xlsx 模板）", "corrupt") from exc
    import openpyxl

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on a damaged workbook
        raise ReadError(
            "无法读取该 Excel 文件，请用 Excel 或 WPS 打开后另存为 .xlsx 再上传", "corrupt"
        ) from exc


def _cell(value: Any) -> str:
    """A cell as text; numbers exactly (`cell_text` rounds to six digits, too few for money)."""
    if isinstance(value, float) and not isinstance(value, bool):
        return str(int(value)) if value.is_integer() else repr(value)
    return cell_text(value)


def _int(value: Any) -> int | None:
    text = cell_text(value)
    return int(text) if text.lstrip("-").isdigit() else None


def _stamp(sheet: Any) -> tuple[dict[str, Any], str, list[list[Any]]]:
    rows = [list(r) for r in sheet.iter_rows(max_row=MAX_ENTRIES + 20, max_col=8, values_only=True)]
    meta = {str(r[0]): r[1] for r in rows[: len(lay.META_KEYS)] if r and r[0]}
    if meta.get("format") != lay.FORMAT:
        raise ReadError(FOREIGN, "unsupported")
    base = len(lay.META_KEYS)
    digest = cell_text(rows[base][1]) if len(rows) > base and len(rows[base]) > 1 else ""
    entries = [r[: len(lay.ENTRY_HEADER)] for r in rows[base + 2 :] if r and r[0] not in (None, "")]
    return meta, digest, entries


def read_template(data: bytes) -> FilledTemplate:
    """The stamp and the task rows of a filled template; `ReadError` when it is not one, or was altered."""
    wb = _open(data)
    try:
        if lay.META not in wb.sheetnames or lay.SHEET not in wb.sheetnames:
            raise ReadError(FOREIGN, "unsupported")
        meta, digest, entries = _stamp(wb[lay.META])
        if not entries or digest != lay.digest(meta, entries):
            raise ReadError(TAMPERED, "corrupt")
        last = max(int(e[0]) for e in entries)
        cells = {
            i: list(r)
            for i, r in enumerate(
                wb[lay.SHEET].iter_rows(max_row=last, max_col=len(lay.COLUMNS), values_only=True), start=1
            )
        }
    finally:
        wb.close()
    try:
        made_at = datetime.fromisoformat(str(meta["made_at"]))
        filled = FilledTemplate(
            int(meta["plan"]), int(meta["org"]), int(meta["unit"]), int(meta["cycle"]), made_at
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise ReadError(TAMPERED, "corrupt") from exc
    task: FilledRow | None = None
    for row, kind, item_id, target_id, report_id, version, number in entries:
        n = int(row)
        line = cells.get(n, []) + [None] * len(lay.COLUMNS)
        text = [_cell(x) for x in line[: len(lay.COLUMNS)]]
        if kind == lay.TASK:
            if text[lay.NUMBER - 1] != cell_text(number):
                raise ReadError(MOVED.format(row=n, number=number), "corrupt")
            task = FilledRow(
                row=n,
                item_id=int(item_id),
                number=cell_text(number),
                title=text[lay.TITLE - 1],
                report_id=_int(report_id),
                version=_int(version),
                status=text[lay.STATUS - 1],
                percent=text[lay.PERCENT - 1],
                narrative=text[lay.NARRATIVE - 1],
            )
            filled.rows.append(task)
        elif kind == lay.TARGET_ROW and task is not None and task.item_id == int(item_id):
            if not text[lay.TITLE - 1].lstrip("　 ").startswith("目标"):
                raise ReadError(MOVED.format(row=n, number=number), "corrupt")
            task.targets.append(FilledTarget(int(target_id), n, text[lay.ACTUAL - 1]))
        else:
            raise ReadError(TAMPERED, "corrupt")
    return filled
