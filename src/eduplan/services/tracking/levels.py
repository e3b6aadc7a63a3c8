"""Levels of the 省 → 市 → 县区 → 学校 tree as the loop uses them.  Pure functions, one home for each rule:

- **Hand-down** (下发): a city hands a task to its districts (县区), a district to its schools; below
  a school there is nothing (`child_level`).
- **Roll-up** (`rolled_progress`): a task handed down progresses as its parts do.  Its members are
  its children (each district's or school's item) and, when it has units of its own (the lead 科室),
  itself.  When the task's target is split by parts (其中市本级5个、甲区4个…) every child weighs its
  share of the target, and the task's own units weigh what no child took (市本级 5); otherwise every
  member weighs the same.  Progress = Σ weight × progress / Σ weight, one decimal.
- **Colour** (`worst`): a task's light is the worst of its own and its children's (a district's red
  shows on the city's task).
- **Counting from receipt** (`counted_cycles`): a unit owes the reports of the cycles due on or after
  the day its organisation received the task, not of those due before.
- **办结 flows up** (`closed_family`): a task is 办结 when every unit on it has closed its part and
  every task handed down from it is 办结 in turn; a task with neither units nor children is not.
- **Like with like** (`tier`): rankings compare city 科室 among themselves, the city's 直属单位 among
  themselves, districts' units among themselves and schools among themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import date
from typing import TypeVar

from eduplan.services.tracking import rules
from eduplan.services.tracking.rules import Colour

CHILD_LEVEL = {"province": "city", "city": "county", "county": "school"}
LEVEL_WORDS = {"city": "市", "county": "县区", "school": "学校"}
COLOUR_ORDER: dict[str, int] = {"green": 0, "amber": 1, "red": 2}
TIERS = ("市局科室", "直属单位", "县区", "学校", "其他")
"""The groups a ranking is split into, in the order they are shown."""

ROLL_UP_RULE = (
    "本任务的进度由下级任务汇总：目标按县区（学校）分解的，按各自分得的目标数加权平均（本级承担余下部分）；"
    "未分解的，各下级与本级单位等权平均。灯号取本级与下级中最差者。"
)
"""`rolled_progress` and `worst` in the words of the pages."""

C = TypeVar("C")


def child_level(level: str) -> str | None:
    """The level of the organisations a task of `level` is handed down to (None: none below)."""
    return CHILD_LEVEL.get(level)


def rolled_progress(members: Sequence[tuple[float, float | None]]) -> float:
    """A task's progress from its members' (progress, weight): the weighted mean when every member
    has a weight and they sum above 0, else the plain mean (0 without members)."""
    if not members:
        return 0.0
    weights = [w for _p, w in members]
    if all(w is not None for w in weights) and sum(w or 0.0 for w in weights) > 0:
        total = sum(w or 0.0 for w in weights)
        return round(sum(p * (w or 0.0) for p, w in members) / total, 1)
    return round(sum(p for p, _w in members) / len(members), 1)


def worst(colours: Sequence[Colour]) -> Colour:
    """The worst of some lights (green when none)."""
    return max(colours, key=lambda c: COLOUR_ORDER[c], default="green")


def counted_cycles(due_days: Sequence[tuple[C, date]], received_on: date | None) -> list[C]:
    """Of (cycle, due day) pairs, those a unit owes a report for: every one without a day of
    receipt, else those due on or after it."""
    return [c for c, d in due_days if rules.owes_cycle(d, received_on)]


def closed_family(
    item_id: int, parents: Mapping[int, int | None], states: Mapping[int, Sequence[str]]
) -> bool:
    """Whether a task is 办结 with the tasks handed down from it: `parents` gives each item of the
    family its parent, `states` the states of each item's units' parts (转办 parts left out)."""
    kids: dict[int, list[int]] = defaultdict(list)
    for child, parent in parents.items():
        if parent is not None:
            kids[parent].append(child)

    def closed(i: int, depth: int) -> bool:
        own = [s for s in states.get(i, ()) if s != "transferred"]
        below = kids.get(i, []) if depth < 8 else []
        if not own and not below:
            return False
        return all(s == "closed" for s in own) and all(closed(k, depth + 1) for k in below)

    return closed(item_id, 0)


def tier(org_level: str | None, unit_kind: str | None) -> str:
    """The ranking group of a unit by its organisation's level and its kind."""
    if org_level == "school":
        return "学校"
    if org_level == "county":
        return "县区"
    if org_level in ("city", "province"):
        return "直属单位" if unit_kind == "affiliated" else "市局科室"
    return "其他"
