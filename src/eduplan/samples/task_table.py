"""The fictional 示例市 重点工作任务分工表, written as a bureau sends it: xlsx, xls, csv or docx.

Shape of the workbook (`write_xlsx`): a 附件 mark and a title row merged across the table, the
header 序号 | 类别 | 重点任务 | 具体措施 | 牵头单位 | 配合单位 | 完成时限, the category merged down
over its tasks, and a second sheet of 说明 that is not a task table.  `rows(n)` makes a table of
any length for benchmarks.  Nothing here is real: 示例市 and its 科室 are invented.
"""

from __future__ import annotations

import csv
from pathlib import Path

TITLE = "示例市教育局2024年重点工作任务分工表"
HEADER = ["序号", "类别", "重点任务", "具体措施", "牵头单位", "配合单位", "完成时限"]

_TABLE = """\
党的建设 | 加强党的政治建设 | 开展理论学习中心组学习12次，覆盖全体班子成员。 | 组织科 | 办公室 | 全年
党的建设 | 推进清廉学校建设 | 建成清廉学校示范校10所。 | 纪检组 | 组织科、督导室 | 2024年11月底前
基础教育 | 扩大普惠性学前教育资源 | 新增公办幼儿园学位1200个。 | 学前教育科 | 计划财务科 | 2024年9月
基础教育 | 推进义务教育优质均衡 | 新建改扩建中小学5所。 | 基础教育科 | 计划财务科、发展规划科 | 2024年12月31日
基础教育 | 深化课后服务 | 课后服务覆盖率达到100%。 | 基础教育科（牵头）、体卫艺科 | | 6月底前
教育保障 | 加强教师队伍建设 | 招聘新教师300名。 | 人事科 | 教师发展中心 | 2024年8月
"""
"""One task a line: category | task | measures | lead | support | deadline (support may be empty)."""
Task = tuple[str, str, str, str, str]


def _by_category(table: str) -> list[tuple[str, list[Task]]]:
    grouped: dict[str, list[Task]] = {}
    for line in table.splitlines():
        category, title, measures, lead, support, deadline = (f.strip() for f in line.split("|"))
        grouped.setdefault(category, []).append((title, measures, lead, support, deadline))
    return list(grouped.items())


TASKS: list[tuple[str, list[Task]]] = _by_category(_TABLE)
"""The tasks by category, in table order."""


def rows() -> list[list[str]]:
    """The data rows in order: number, category, task, measures, lead, support, deadline."""
    out: list[list[str]] = []
    for category, tasks in TASKS:
        for task in tasks:
            out.append([str(len(out) + 1), category, *task])
    return out


def many_rows(n: int) -> list[list[str]]:
    """`n` rows of the same shape (ten categories), for benchmarks."""
    base = [task for _, tasks in TASKS for task in tasks]
    out = []
    for i in range(n):
        title, measures, lead, support, deadline = base[i % len(base)]
        out.append(
            [
                str(i + 1),
                f"第{i * 10 // n + 1}类重点工作",
                f"{title}（{i + 1}）",
                measures,
                lead,
                support,
                deadline,
            ]
        )
    return out


def write_xlsx(path: str | Path, data: list[list[str]] | None = None) -> Path:
    """The table as a workbook: title row merged across, categories merged down, a 说明 sheet."""
    import openpyxl

    path = Path(path)
    data = rows() if data is None else data
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "任务分工"
    ws.append(["附件1"])
    ws.append([TITLE])
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=len(HEADER))
    ws.append(HEADER)
    start = group_start = ws.max_row + 1
    previous = None
    for k, row in enumerate(data):
        at = start + k
        ws.append([int(row[0]), row[1] if row[1] != previous else None, *row[2:]])
        if row[1] != previous:
            if previous is not None and at - 1 > group_start:
                ws.merge_cells(start_row=group_start, start_column=2, end_row=at - 1, end_column=2)
            group_start, previous = at, row[1]
    if data and ws.max_row > group_start:
        ws.merge_cells(start_row=group_start, start_column=2, end_row=ws.max_row, end_column=2)
    notes = wb.create_sheet("说明")
    notes.append(["填表说明：完成时限请写到月。"])
    notes.append(["联系人：办公室"])
    wb.save(path)
    return path


def write_csv(path: str | Path, encoding: str = "utf-8-sig") -> Path:
    """The table as CSV (a title line, the header, every row with its category written out)."""
    path = Path(path)
    with path.open("w", encoding=encoding, newline="") as f:
        writer = csv.writer(f)
        writer.writerow([TITLE])
        writer.writerow(HEADER)
        writer.writerows(rows())
    return path
