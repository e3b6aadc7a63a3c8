"""The layout of the 填报模板 workbook, shared by the writer (`report_template_xlsx`) and the reader
(`readers/report_template`) so that they cannot drift apart.

Sheet 进展填报: a title, a line of facts, the header, then one row per task (status, percent,
narrative) followed by one row per target of the task (its actual).  Sheet ``_eduplan`` (very hidden:
Excel's menus cannot show it) holds the stamp — format, plan, organisation, unit, cycle, time made —
and, for each data row of the first sheet, its kind and ids (task, target, report and the report's
`version`), closed by a sha256 digest over all of it: an edited id is noticed and the file refused.
The digest is not a signature: the ids give no rights (every save is checked by the report service
as the uploader), it only catches a damaged or hand-edited file.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

FORMAT = "eduplan.report-template/1"
SHEET, META = "进展填报", "_eduplan"
COLUMNS: list[tuple[str, float]] = [
    ("序号", 7),
    ("任务 / 量化目标", 42),
    ("目标值", 14),
    ("上次审核通过值", 14),
    ("状态", 10),
    ("完成百分比（%）", 12),
    ("本期实际值", 14),
    ("进展情况", 52),
    ("说明", 26),
]
(NUMBER, TITLE, TARGET, LAST, STATUS, PERCENT, ACTUAL, NARRATIVE, NOTE) = range(1, 10)
HEADER_ROW = 3
FIRST_ROW = HEADER_ROW + 1
META_KEYS = ("format", "plan", "org", "unit", "cycle", "made_at")
ENTRY_HEADER = ("行", "类型", "任务", "目标", "报告", "版本", "序号")
TASK, TARGET_ROW = "task", "target"


def digest(meta: dict[str, Any], entries: list[list[Any]]) -> str:
    """The sha256 of the stamp and the row entries, as written and as read back."""
    canonical = json.dumps(
        [[_text(meta.get(k)) for k in META_KEYS], [[_text(x) for x in e] for e in entries]],
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _text(value: Any) -> str | None:
    """A cell as the digest sees it: ``1`` and ``"1"`` alike (a writer may store either)."""
    return None if value in ("", None) else str(value)
