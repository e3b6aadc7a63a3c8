"""Corrections (校正) staff make to a parsed plan before importing it: a task's title, its unit lists
(牵头/配合/责任单位), or a target's value, unit and comparator.

Corrections are kept as plain JSON beside the draft (`eduplan.services.drafts`), keyed by the
task's index in document order (``plan.tasks()``), and hold only what differs from the parse:
``{"3": {"title": "…", "lead_units": ["…"], "targets": {"0": {"value": 95, "unit": "%",
"comparator": ">="}}}}``.  `read_task_form` turns one task's correction form into that shape
(with a Chinese message per rejected field); `apply_corrections` puts them into a `Plan` and says
what changed, for the audit log.  Pure functions: no I/O.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping
from typing import Any, cast

from eduplan import domain
from eduplan.services.errors import Invalid

Corrections = dict[str, dict[str, Any]]
COMPARATORS: dict[str, str] = {
    "=": "等于",
    ">=": "不低于",
    "<=": "不高于",
    "≈": "约",
    "between": "介于",
}
UNIT_LISTS: dict[str, str] = {"lead_units": "牵头单位", "support_units": "配合单位", "units": "责任单位"}
_SPLIT = re.compile(r"[、，,；;\s]+")
MAX_TITLE = 500
MAX_UNIT = 200
MAX_TARGET_UNIT = 40


def split_units(text: str) -> list[str]:
    """Unit names from a list typed by staff (separated by 、，；, or spaces), each once."""
    return list(dict.fromkeys(n for n in _SPLIT.split(text.strip()) if n))


def _number(text: str) -> float | None:
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    value = float(cleaned)  # ValueError for words
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _num_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def task_fields(task: domain.Task) -> dict[str, str]:
    """The form fields of a task's correction form, filled with its current values."""
    out = {
        "title": task.title,
        "lead_units": "、".join(task.lead_units),
        "support_units": "、".join(task.support_units),
        "units": "、".join(task.units),
    }
    for k, t in enumerate(task.targets):
        out[f"g{k}-value"] = _num_text(t.value)
        out[f"g{k}-max"] = _num_text(t.value_max)
        out[f"g{k}-unit"] = t.unit
        out[f"g{k}-cmp"] = t.comparator
    return out


def read_task_form(parsed: domain.Task, form: Mapping[str, str]) -> tuple[dict[str, Any], dict[str, str]]:
    """One task's correction (what differs from `parsed`, the task as the parser read it) from its
    form, and a message per field that cannot be taken."""
    errors: dict[str, str] = {}
    fix: dict[str, Any] = {}
    title = " ".join((form.get("title") or "").split())
    if not title:
        errors["title"] = "标题不能为空"
    elif len(title) > MAX_TITLE:
        errors["title"] = f"标题不超过 {MAX_TITLE} 个字符"
    elif title != parsed.title:
        fix["title"] = title
    for key, label in UNIT_LISTS.items():
        names = split_units(form.get(key) or "")
        if any(len(n) > MAX_UNIT for n in names):
            errors[key] = f"{label}的每个名称不超过 {MAX_UNIT} 个字符"
        elif names != list(getattr(parsed, key)):
            fix[key] = names
    targets: dict[str, dict[str, Any]] = {}
    for k, target in enumerate(parsed.targets):
        given = _target_form(k, target, form, errors)
        if given is not None:
            targets[str(k)] = given
    if targets:
        fix["targets"] = targets
    return fix, errors


def _target_form(
    k: int, parsed: domain.Target, form: Mapping[str, str], errors: dict[str, str]
) -> dict[str, Any] | None:
    name = f"g{k}"
    comparator = form.get(f"{name}-cmp") or parsed.comparator
    unit = (form.get(f"{name}-unit") or "").strip()
    if comparator not in COMPARATORS:
        errors[f"{name}-cmp"] = "请选择比较方式"
        return None
    try:
        value = _number(form.get(f"{name}-value") or "")
    except ValueError:
        errors[f"{name}-value"] = "目标值须是数字，如 95 或 3200"
        return None
    try:
        value_max = _number(form.get(f"{name}-max") or "")
    except ValueError:
        errors[f"{name}-max"] = "上限须是数字"
        return None
    if value is None:
        errors[f"{name}-value"] = "请填写目标值"
        return None
    if len(unit) > MAX_TARGET_UNIT:
        errors[f"{name}-unit"] = f"单位不超过 {MAX_TARGET_UNIT} 个字符"
        return None
    if comparator == "between":
        if value_max is None or value_max < value:
            errors[f"{name}-max"] = "“介于”须填写不小于目标值的上限"
            return None
    else:
        value_max = None
    now = {"value": value, "value_max": value_max, "unit": unit, "comparator": comparator}
    was = {"value": parsed.value, "value_max": parsed.value_max, "unit": parsed.unit,
           "comparator": parsed.comparator}  # fmt: skip
    return now if now != was else None


def _target_state(t: domain.Target) -> dict[str, Any]:
    return {"value": t.value, "value_max": t.value_max, "unit": t.unit, "comparator": t.comparator}


def apply_corrections(
    plan: domain.Plan, corrections: Corrections
) -> tuple[domain.Plan, list[dict[str, Any]]]:
    """A copy of `plan` with the corrections in place, and one change record per corrected field
    (``{"task", "chapter", "field", "before", "after"}``); `Invalid` for a correction of no task."""
    plan = copy.deepcopy(plan)
    tasks = plan.tasks()
    changes: list[dict[str, Any]] = []
    for key in sorted(corrections, key=lambda k: int(k) if k.isdigit() else -1):
        if not key.isdigit() or int(key) >= len(tasks):
            raise Invalid(f"校正所指的第 {key} 项任务不存在")
        chapter, task = tasks[int(key)]
        fix = corrections[key]

        def note(
            name: str, before: Any, after: Any, c: domain.Chapter = chapter, t: domain.Task = task
        ) -> None:
            changes.append(
                {"task": t.number, "chapter": c.number, "field": name, "before": before, "after": after}
            )

        if "title" in fix:
            note("title", task.title, fix["title"])
            task.title = str(fix["title"])
        for name in UNIT_LISTS:
            if name in fix:
                note(name, list(getattr(task, name)), list(fix[name]))
                setattr(task, name, [str(n) for n in fix[name]])
        for index, given in (fix.get("targets") or {}).items():
            if not str(index).isdigit() or int(index) >= len(task.targets):
                raise Invalid(f"任务 {task.number} 没有第 {int(index) + 1} 个目标")
            target = task.targets[int(index)]
            before = _target_state(target)
            target.value = float(given["value"])
            target.value_max = None if given.get("value_max") is None else float(given["value_max"])
            target.unit = str(given.get("unit") or "")
            target.comparator = cast(domain.Comparator, given["comparator"])
            note(
                f"target{index}",
                before | {"text": target.text},
                _target_state(target) | {"text": target.text},
            )
    return plan, changes
