"""Corrections (校正) staff make to a parsed plan before importing it, kept as plain JSON beside the
draft (`eduplan.services.drafts`) and applied by the import.

Order and keys: first the structural edits under ``"structure"`` (split/merge, `draft_structure`),
then per-task corrections keyed by the task's index in document order (``plan.tasks()``) *after*
those edits.  A task's entry holds only what differs from the parse: ``{"3": {"title": "…",
"lead_units": ["…"], "group_words": ["局各科室"], "deadline": "2024-06-30", "deadline_text":
"6月底前", "targets": {"0": {…}}, "deleted_targets": [1], "added_targets": [{…}]}}`` (targets:
`draft_targets`).

A unit name marked as a group word (局各科室, 各县区 …: 待明确 or a hand-down hint, never a unit) leaves
the task's unit lists, so the import never makes a unit of it; the 责任单位 text keeps the words.
A deadline is a date (2024-06-30, 2024年6月30日) or words read with `parsing.deadlines` in the plan's
year (6月底前, 第三季度); empty clears it.

`read_task_form` turns one task's correction form into that shape (with a Chinese message per
rejected field); `apply_corrections` puts all of them into a `Plan` and says what changed, for the
audit log.  Pure functions: no I/O.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from eduplan import domain
from eduplan.parsing.deadlines import find_deadline
from eduplan.services.draft_structure import STRUCTURE, apply_structure
from eduplan.services.draft_targets import (
    COMPARATORS,
    MAX_TARGET_UNIT,
    apply_targets,
    read_targets_form,
    state_of,
    target_fields,
    target_from_state,
)
from eduplan.services.errors import Invalid

__all__ = [
    "COMPARATORS",
    "MAX_TARGET_UNIT",
    "Corrections",
    "apply_corrections",
    "read_task_form",
    "split_units",
]

Corrections = dict[str, Any]
UNIT_LISTS: dict[str, str] = {"lead_units": "牵头单位", "support_units": "配合单位", "units": "责任单位"}
_SPLIT = re.compile(r"[、，,；;\s]+")
_ISO = re.compile(r"^((?:19|20)[0-9]{2})[-/.年]\s*([0-9]{1,2})[-/.月]\s*([0-9]{1,2})日?$")
MAX_TITLE = 500
MAX_UNIT = 200
MAX_DEADLINE_TEXT = 100


def split_units(text: str) -> list[str]:
    """Unit names from a list typed by staff (separated by 、，；, or spaces), each once."""
    return list(dict.fromkeys(n for n in _SPLIT.split(text.strip()) if n))


def read_deadline(text: str, year: int | None) -> date | None:
    """A deadline typed by staff: 2024-06-30, 2024年6月30日, or words (6月底前, 年内) in the plan's
    `year`; None for nothing; ValueError with a Chinese message for words that name no date."""
    text = text.strip()
    if not text:
        return None
    m = _ISO.match(text)
    if m:
        try:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            raise ValueError("日期不存在，请检查月和日") from None
    found = find_deadline(text, year, field=True)
    if found is None:
        raise ValueError("读不出日期：请写 2024-06-30、2024年6月30日 或 6月底前、第三季度等")
    return found


def task_fields(parsed: domain.Task, fix: Mapping[str, Any]) -> dict[str, str]:
    """The form fields of a task's correction form: the parse (`parsed`) with `fix` in place."""
    out = {
        "title": str(fix.get("title", parsed.title)),
        "deadline": (
            str(fix.get("deadline_text") or fix.get("deadline") or "")
            if "deadline" in fix
            else (parsed.deadline_text or (parsed.deadline.isoformat() if parsed.deadline else ""))
        ),
        "group_words": "、".join(fix.get("group_words") or []),
    }
    marked = set(fix.get("group_words") or [])
    for key in UNIT_LISTS:
        names = fix.get(key, getattr(parsed, key))
        out[key] = "、".join(n for n in names if n not in marked)
    edited = fix.get("targets") or {}
    deleted = set(fix.get("deleted_targets") or [])
    for k, t in enumerate(parsed.targets):
        shown = target_from_state(state_of(t) | edited[str(k)], t.text) if str(k) in edited else t
        out |= target_fields(f"g{k}", shown)
        if k in deleted:
            out[f"g{k}-delete"] = "1"
    for j, state in enumerate(fix.get("added_targets") or []):
        out |= target_fields(f"a{j}", target_from_state(state, ""))
    return out


def read_task_form(
    parsed: domain.Task,
    form: Mapping[str, str],
    year: int | None = None,
    before: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], dict[str, str]]:
    """One task's correction (what differs from `parsed`, the task as the parser read it, after any
    split or merge) from its form, and a message per field that cannot be taken.  `year` is the
    plan's (for 6月底前); `before` the task's correction so far (its added targets)."""
    errors: dict[str, str] = {}
    fix: dict[str, Any] = {}
    title = " ".join((form.get("title") or "").split())
    if not title:
        errors["title"] = "标题不能为空"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"标题不超过 {MAX_TITLE} 个字符"
    elif title != parsed.title:
        fix["title"] = title
    marked = split_units(form.get("group_words") or "")
    was_marked = set((before or {}).get("group_words") or [])
    named = {n for key in UNIT_LISTS for n in getattr(parsed, key)}
    for key, label in UNIT_LISTS.items():
        names = split_units(form.get(key) or "")
        parsed_names = list(getattr(parsed, key))
        if any(len(n) > MAX_UNIT for n in names):
            errors[key] = f"{label}的每个名称不超过 {MAX_UNIT} 个字符"
            continue
        if names == [n for n in parsed_names if n not in was_marked]:
            names = [n for n in parsed_names if n not in marked]  # untouched: an unmarked name returns
        if names != parsed_names:
            fix[key] = names
        named |= set(names)
    if marked:
        stray = [n for n in marked if n not in named]
        if stray:
            errors["group_words"] = f"“{stray[0]}”不在本条的单位中：只能标记本条列出的单位名称"
        else:
            fix["group_words"] = marked
            for key in UNIT_LISTS:  # a marked name leaves every list, whichever it stood in
                kept = [n for n in fix.get(key, getattr(parsed, key)) if n not in marked]
                if kept != getattr(parsed, key):
                    fix[key] = kept
                else:
                    fix.pop(key, None)
    typed = " ".join((form.get("deadline") or "").split())
    if len(typed) > MAX_DEADLINE_TEXT:
        errors["deadline"] = f"完成时限不超过 {MAX_DEADLINE_TEXT} 个字符"
    else:
        try:
            when = read_deadline(typed, year)
        except ValueError as exc:
            errors["deadline"] = str(exc)
        else:
            if when != parsed.deadline:
                words = None if not typed or _ISO.match(typed) else typed
                fix["deadline"] = when.isoformat() if when else None
                fix["deadline_text"] = words
    added = list((before or {}).get("added_targets") or [])
    fix |= read_targets_form(parsed, added, form, errors)
    return fix, errors


def _apply_task(task: domain.Task, fix: Mapping[str, Any], note: Any) -> None:
    if "title" in fix:
        note("title", task.title, fix["title"])
        task.title = str(fix["title"])
    for name in UNIT_LISTS:
        if name in fix:
            note(name, list(getattr(task, name)), list(fix[name]))
            setattr(task, name, [str(n) for n in fix[name]])
    if fix.get("group_words"):
        marked = [str(n) for n in fix["group_words"]]
        note("group_words", [], marked)
        for name in UNIT_LISTS:
            setattr(task, name, [n for n in getattr(task, name) if n not in marked])
    if "deadline" in fix:
        given = fix["deadline"]
        when = date.fromisoformat(str(given)) if given else None
        note("deadline", task.deadline.isoformat() if task.deadline else None, given)
        task.deadline = when
        task.deadline_text = str(fix["deadline_text"]) if fix.get("deadline_text") else None
    apply_targets(task, fix, note)


def apply_corrections(
    plan: domain.Plan, corrections: Corrections
) -> tuple[domain.Plan, list[dict[str, Any]]]:
    """A copy of `plan` with the corrections in place (splits and merges first), and one change
    record per corrected field (``{"task", "chapter", "field", "before", "after"}``); `Invalid` for
    a correction of no task."""
    plan = copy.deepcopy(plan)
    changes = apply_structure(plan, corrections.get(STRUCTURE) or [])
    tasks = plan.tasks()
    keys = [k for k in corrections if k != STRUCTURE]
    for key in sorted(keys, key=lambda k: int(k) if k.isdigit() else -1):
        if not key.isdigit() or int(key) >= len(tasks):
            raise Invalid(f"校正所指的第 {key} 项任务不存在")
        chapter, task = tasks[int(key)]

        def note(
            name: str, before: Any, after: Any, c: domain.Chapter = chapter, t: domain.Task = task
        ) -> None:
            changes.append(
                {"task": t.number, "chapter": c.number, "field": name, "before": before, "after": after}
            )

        _apply_task(task, corrections[key], note)
    return plan, changes


def structured_plan(plan: domain.Plan, corrections: Corrections) -> domain.Plan:
    """`plan` as its splits and merges leave it: what the per-task corrections are read against."""
    plan = copy.deepcopy(plan)
    apply_structure(plan, corrections.get(STRUCTURE) or [])
    return plan


def correction_revision(corrections: Corrections, index: int | None = None, plan: int = 0) -> str:
    """A short fingerprint of what a form was made from: which plan of the file (`plan`), its splits
    and merges, and (for a task's form) that task's correction.  Saving checks it, so a change
    made meanwhile is never lost and never lands on another task."""
    seen = [
        plan,
        corrections.get(STRUCTURE) or [],
        corrections.get(str(index)) if index is not None else None,
    ]
    return hashlib.sha256(json.dumps(seen, sort_keys=True, ensure_ascii=False).encode()).hexdigest()[:16]
