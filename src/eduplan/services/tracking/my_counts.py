"""The figures at the top of 我的任务, counted so that they agree with the rows below them:

- 本期待报 (`to_report`): the slots the unit still has to file — not begun, draft or returned;
  a report submitted or accepted is 已报送 (`done`), not waiting;
- 已逾期 (`overdue`): shown slots past their due day and not filed, *plus* the earlier due cycles
  never filed (往期缺报, `missed`) — "已逾期 0" beside "往期缺报 3 次" contradicted itself;
- `total`: every row listed.

Each missed cycle carries the day its 补报 link opens the 集中填报 form on (`MissedCycle.opens`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

TO_REPORT = ("missing", "draft", "returned")


@dataclass(frozen=True, kw_only=True)
class MissedCycle:
    """An earlier cycle a unit never filed for one task."""

    index: int
    """From 0; people read 第 index + 1 期."""
    opens: date
    """The cycle's first day: /my/report?on=… shows this cycle's form."""
    due: date


def slot_counts(slots: Sequence[Any]) -> dict[str, int]:
    """The counts of a reporter's slots (`my_work.MySlot`)."""
    missed = sum(s.missed_before for s in slots)
    return {
        "total": len(slots),
        "to_report": sum(s.state in TO_REPORT for s in slots),
        "returned": sum(s.state == "returned" for s in slots),
        "overdue": sum(s.overdue for s in slots) + missed,
        "missed": missed,
        "done": sum(s.state in ("submitted", "accepted") for s in slots),
    }
