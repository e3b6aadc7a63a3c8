"""台账 workbooks written by the tests with openpyxl, in the shapes bureaus keep them: one progress
column, a column per month, categories as merged rows, the ledger on a second sheet beside notes,
and a row that cannot be read.  The text is made up (a fictional 长春市 plan), never a real ledger's.
"""

from __future__ import annotations

import io
from typing import Any

TITLE = "2024年长春市教育工作要点任务台账"

TASKS = [
    (
        "1",
        "推进学前教育普惠发展",
        "新建公办幼儿园3所，普惠性幼儿园覆盖率达到90%以上。",
        "基础教育处",
        "计划财务处",
        "2024年12月31日",
        "新建公办幼儿园3所",
    ),
    (
        "2",
        "加强教师队伍建设",
        "开展全员培训，培训教师5000人次。",
        "教师工作处",
        "",
        "2024年10月31日",
        "培训教师5000人次",
    ),
    (
        "3",
        "推进智慧校园建设",
        "建成智慧校园示范校20所。",
        "电教馆",
        "基础教育处",
        "2024年11月30日",
        "建成智慧校园示范校20所",
    ),
]


def save(workbook: Any) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(workbook: Any, title: str | None = None) -> Any:
    sheet = workbook.active if title is None else workbook.create_sheet(title)
    return sheet


def one_column() -> bytes:
    """序号｜任务｜主要内容｜牵头单位｜配合单位｜完成时限｜量化目标｜进展情况 (as of 30 April)."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append([f"{TITLE}（截至2024年4月30日）"])
    ws.merge_cells("A1:H1")
    ws.append(["序号", "任务", "主要内容", "牵头单位", "配合单位", "完成时限", "量化目标", "进展情况"])
    progress = ["已完成2所幼儿园主体建设，完成进度60%。", "已全部完成。", "尚未启动，正在编制方案。"]
    for (n, title, text, lead, support, deadline, target), said in zip(TASKS, progress, strict=True):
        ws.append([n, title, text, lead, support, deadline, target, said])
    return save(wb)


def monthly(months: int = 4, bad: bool = False) -> bytes:
    """序号｜重点任务｜责任单位｜完成时限｜量化目标｜1月进展…N月进展｜目标完成情况; `bad` adds a row
    with progress but no task and a percent that is no percent."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    header = ["序号", "重点任务", "责任单位", "完成时限", "量化目标", "完成进度"]
    header += [f"{m}月进展" for m in range(1, months + 1)] + ["目标完成情况"]
    ws.append(header)
    if bad:
        ws.append(["", "", "", "", "", "", "孤立的进展，不属于任何任务"])
    for k, (n, title, text, lead, _s, deadline, target) in enumerate(TASKS):
        cells = [f"第{m}月推进{title}。" for m in range(1, months + 1)]
        percent: Any = 0.1 * months if k == 0 else ""
        if bad and k == 1:
            percent = "约一半"
        actual = f"{target}：已完成 {k + 1}" if k != 2 else ""
        ws.append([n, f"{title}。{text}", lead, deadline, target, percent, *cells, actual])
    return save(wb)


def merged_categories() -> bytes:
    """Categories as rows merged across the table (一、… 二、…), a two-row header (责任单位 over
    牵头单位｜配合单位), progress for the first quarter."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append([TITLE])
    ws.append(["序号", "工作任务", "责任单位", None, "完成时限", "第一季度进展情况"])
    ws.merge_cells("C2:D2")
    ws.append([None, None, "牵头单位", "配合单位", None, None])
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws.merge_cells("E2:E3")
    ws.merge_cells("F2:F3")
    ws.append(["一、办好公平优质教育"])
    ws.merge_cells(start_row=4, start_column=1, end_row=4, end_column=6)
    for n, title, text, lead, support, deadline, _t in TASKS[:2]:
        ws.append([n, f"{title}。{text}", lead, support, deadline, f"{title}一季度按计划推进。"])
    ws.append(["二、推进教育数字化"])
    ws.merge_cells(start_row=7, start_column=1, end_row=7, end_column=6)
    n, title, text, lead, support, deadline, _t = TASKS[2]
    ws.append(["1", f"{title}。{text}", lead, support, deadline, "完成进度30%，已遴选示范校。"])
    return save(wb)


def second_sheet() -> bytes:
    """A notes sheet first, the ledger on the second sheet, another notes sheet after it."""
    from openpyxl import Workbook

    wb = Workbook()
    notes = wb.active
    notes.title = "填表说明"
    notes.append(["填表说明"])
    notes.append(["1. 进展情况每月25日前更新。"])
    notes.append(["2. 完成时限以文件为准。"])
    ws = wb.create_sheet("重点任务台账")
    ws.append([TITLE])
    ws.append(["序号", "任务名称", "牵头单位", "完成时限", "2月份进展", "3月份进展"])
    for n, title, _text, lead, _s, deadline, _t in TASKS:
        ws.append([n, title, lead, deadline, "", f"{title}三月完成阶段任务。"])
    other = wb.create_sheet("备注")
    other.append(["备注", "说明"])
    other.append(["本表由办公室汇总", "如有疑问请联系办公室"])
    return save(wb)
