"""Structural corrections in the import preview: split a task in two at a sentence boundary (拆分),
merge a task with the next one of its chapter (合并).

They are kept in order under the ``"structure"`` key of a draft's corrections:
``[{"op": "split", "task": 3, "at": 2}, {"op": "merge", "task": 5}]``.  Each names its task by its
index in the plan *as the earlier structural edits left it*, and the per-task corrections
(`draft_corrections`) are keyed by the index *after all* structural edits: the import applies the
structure first, then the per-task corrections.  `add_edit` and `undo_edit` keep that true: they
shift the keys of the per-task corrections that follow the edited place, and refuse to split, merge
or restore a task that has corrections of its own (say which to undo first), so no correction ever
lands on another task.

A split keeps the number, title, units and 完成时限 of the task on both halves; the second half is
numbered ``3-2`` and titled by its first sentence (staff correct it like any title); each target,
figure and sub-item goes with the half whose text holds it; a deadline read from the text is read
again from each half.  A merge joins the texts, the unit lists (each name once), targets, figures
and sub-items under the first task's number and title, with the later deadline.  Pure functions.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from eduplan import domain
from eduplan.parsing.deadlines import find_deadline
from eduplan.services.errors import Invalid

STRUCTURE = "structure"
MAX_EDITS = 200
_AFTER_SENTENCE = re.compile(r"(?<=[。！？；!?;\n])")
_TRIM = "。！？；!?;，, \n"


def sentences(text: str) -> list[str]:
    """The sentences of a task's text, each with its closing mark (joined, they give the text)."""
    out: list[str] = []
    for piece in _AFTER_SENTENCE.split(text):
        if out and not piece.strip(_TRIM):
            out[-1] += piece
        elif piece:
            out.append(piece)
    return out


def _units(*lists: list[str]) -> list[str]:
    return list(dict.fromkeys(n for names in lists for n in names))


def _number(chapter: domain.Chapter, number: str) -> str:
    taken = {t.number for t in chapter.items}
    k = 2
    while f"{number}-{k}" in taken:
        k += 1
    return f"{number}-{k}"


def _deadline(plan: domain.Plan, task: domain.Task) -> None:
    if task.deadline_text:
        return  # a 完成时限 column holds for both halves
    window = plan.period or ((plan.year, plan.year + 1) if plan.year else None)
    task.deadline = find_deadline(task.text, plan.year, within=window)


def _split(plan: domain.Plan, chapter: domain.Chapter, pos: int, at: int) -> None:
    task = chapter.items[pos]
    parts = sentences(task.text)
    if not 1 <= at < len(parts):
        raise Invalid(
            f"第 {task.number} 项只有 {len(parts)} 句，无法拆分"
            if len(parts) < 2
            else f"请选择在第 1 至 {len(parts) - 1} 句之后拆分"
        )
    first_text = "".join(parts[:at]).rstrip()
    second_text = "".join(parts[at:]).strip()
    first, second = copy.deepcopy(task), copy.deepcopy(task)
    first.text, second.text = first_text, second_text
    second.number = _number(chapter, task.number)
    second.title = parts[at].strip().strip(_TRIM)[:200] or second.number
    if task.title and task.title not in first_text and task.title in second_text:
        first.title = parts[0].strip().strip(_TRIM)[:200]
        second.title = task.title
    for name in ("targets", "figures"):
        whole: list[domain.Target] = getattr(task, name)
        later = [t for t in whole if t.text and t.text not in first_text and t.text in second_text]
        setattr(first, name, [copy.deepcopy(t) for t in whole if t not in later])
        setattr(second, name, [copy.deepcopy(t) for t in later])
    later_items = [s for s in task.subitems if s.text and s.text not in first_text and s.text in second_text]
    first.subitems = [copy.deepcopy(s) for s in task.subitems if s not in later_items]
    second.subitems = [copy.deepcopy(s) for s in later_items]
    _deadline(plan, first)
    _deadline(plan, second)
    chapter.items[pos : pos + 1] = [first, second]


def _merge(chapter: domain.Chapter, pos: int) -> None:
    if pos + 1 >= len(chapter.items):
        raise Invalid(f"第 {chapter.items[pos].number} 项是本章最后一项，没有可合并的下一项")
    a, b = chapter.items[pos], chapter.items[pos + 1]
    joined = copy.deepcopy(a)
    joined.text = f"{a.text}\n{b.text}"
    joined.units = _units(a.units, b.units)
    joined.lead_units = _units(a.lead_units, b.lead_units)
    joined.support_units = _units(a.support_units, b.support_units)
    joined.units_text = "；".join(x for x in (a.units_text, b.units_text) if x) or None
    joined.deadline_text = a.deadline_text or b.deadline_text
    dates = [d for d in (a.deadline, b.deadline) if d is not None]
    joined.deadline = max(dates) if dates else None
    joined.subitems = [*copy.deepcopy(a.subitems), *copy.deepcopy(b.subitems)]
    joined.targets = [*copy.deepcopy(a.targets), *copy.deepcopy(b.targets)]
    joined.figures = [*copy.deepcopy(a.figures), *copy.deepcopy(b.figures)]
    chapter.items[pos : pos + 2] = [joined]


def _place(plan: domain.Plan, index: Any) -> tuple[domain.Chapter, int]:
    """The chapter and position of the `index`-th task (document order)."""
    if isinstance(index, int) and not isinstance(index, bool) and index >= 0:
        k = index
        for chapter in plan.chapters:
            if k < len(chapter.items):
                return chapter, k
            k -= len(chapter.items)
    raise Invalid(f"拆分或合并所指的第 {index} 项任务不存在")


def apply_structure(plan: domain.Plan, edits: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Split and merge tasks of `plan` in place, in order; one change record per edit (for the
    audit log); `Invalid` for an edit that cannot be made."""
    changes: list[dict[str, Any]] = []
    if not isinstance(edits, list) or len(edits) > MAX_EDITS:
        raise Invalid("拆分与合并的记录无效")
    for edit in edits:
        op = edit.get("op") if isinstance(edit, dict) else None
        chapter, pos = _place(plan, edit.get("task") if isinstance(edit, dict) else None)
        task = chapter.items[pos]
        before: Any
        after: Any
        if op == "split":
            at = edit.get("at")
            if not isinstance(at, int) or isinstance(at, bool):
                raise Invalid("请选择在哪一句之后拆分")
            _split(plan, chapter, pos, at)
            after = [{"number": t.number, "title": t.title} for t in chapter.items[pos : pos + 2]]
            before = {"number": task.number, "title": task.title}
        elif op == "merge":
            nxt = chapter.items[pos + 1] if pos + 1 < len(chapter.items) else None
            _merge(chapter, pos)
            before = [{"number": t.number, "title": t.title} for t in (task, nxt) if t is not None]
            after = {"number": chapter.items[pos].number, "title": chapter.items[pos].title}
        else:
            raise Invalid("未知的结构校正（只能拆分或合并）")
        changes.append(
            {"task": task.number, "chapter": chapter.number, "field": op, "before": before, "after": after}
        )
    return changes


def _shift(corrections: dict[str, Any], after: int, by: int) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, fix in corrections.items():
        if key.isdigit() and int(key) > after:
            out[str(int(key) + by)] = fix
        else:
            out[key] = fix
    return out


def _refuse_if_corrected(corrections: dict[str, Any], indexes: list[int], plan: domain.Plan) -> None:
    tasks = plan.tasks()
    for k in indexes:
        if str(k) in corrections and k < len(tasks):
            raise Invalid(f"第 {tasks[k][1].number} 项已有校正，请先将其“恢复为解析结果”，再拆分或合并")


def add_edit(plan: domain.Plan, corrections: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    """`corrections` with one more split or merge (`plan`: the parse, before any correction); the
    per-task corrections after the edited place move with their tasks."""
    edits = list(corrections.get(STRUCTURE) or [])
    current = copy.deepcopy(plan)
    apply_structure(current, edits)
    index = edit.get("task")
    touched = [index, index + 1] if edit.get("op") == "merge" and isinstance(index, int) else [index]
    _refuse_if_corrected(corrections, [k for k in touched if isinstance(k, int)], current)
    apply_structure(copy.deepcopy(current), [edit])  # refuses an edit that cannot be made
    assert isinstance(index, int)
    out = _shift(corrections, index + (1 if edit["op"] == "merge" else 0), 1 if edit["op"] == "split" else -1)
    out[STRUCTURE] = [*edits, edit]
    return out


def undo_edit(plan: domain.Plan, corrections: dict[str, Any]) -> dict[str, Any]:
    """`corrections` without their latest split or merge (the tasks it made must be uncorrected)."""
    edits = list(corrections.get(STRUCTURE) or [])
    if not edits:
        raise Invalid("没有可撤销的拆分或合并")
    last = edits.pop()
    current = copy.deepcopy(plan)
    apply_structure(current, [*edits, last])
    index = int(last["task"])
    made = [index, index + 1] if last["op"] == "split" else [index]
    _refuse_if_corrected(corrections, made, current)
    out = _shift(corrections, index + (1 if last["op"] == "split" else 0), -1 if last["op"] == "split" else 1)
    if edits:
        out[STRUCTURE] = edits
    else:
        out.pop(STRUCTURE, None)
    return out
