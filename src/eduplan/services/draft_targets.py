"""Corrections of a task's quantitative targets (量化目标) in the import preview: a target's subject
(所计的对象), comparator, value(s), unit and parts (其中… breakdown), a target added where the parser
found none, a target deleted where it read one wrongly.

A task's target correction (inside its entry of `draft_corrections`) holds only what differs from
the parse: ``"targets": {"0": state}`` (parsed target 0 as corrected), ``"deleted_targets": [1]``
and ``"added_targets": [state, …]``, where a state is ``{"subject", "comparator", "value",
"value_max", "unit", "parts": [[label, value, unit], …]}``.  The form names the parsed targets
``g0-…``, the added ones ``a0-…`` and a new one ``new-…``.  Pure functions: no I/O.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, cast

from eduplan import domain
from eduplan.choices import COMPARATOR_LABELS as COMPARATORS
from eduplan.services.errors import Invalid

MAX_TARGET_UNIT = 40
MAX_SUBJECT = 100
MAX_PARTS = 50
_PART_SPLIT = re.compile(r"[、；;，,\n]+")
_PART = re.compile(r"^(.+?)\s*[:：]?\s*(-?[0-9]+(?:\.[0-9]+)?)\s*([^\s0-9]*)$")


def number(text: str) -> float | None:
    """A number typed by staff (3200, 95.5, 3,200); None for nothing; ValueError for words."""
    cleaned = text.strip().replace(",", "").replace("，", "")
    if not cleaned:
        return None
    value = float(cleaned)
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def num_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value)


def parts_text(parts: list[domain.TargetPart]) -> str:
    """市本级 5个、溧阳市 4个 — how the form shows a breakdown."""
    return "、".join(f"{p.label} {num_text(p.value)}{p.unit or ''}" for p in parts)


def read_parts(text: str) -> list[list[Any]]:
    """[[label, value, unit], …] from 市本级 5个、溧阳市4个; ValueError (with a Chinese message)."""
    out: list[list[Any]] = []
    for entry in (e.strip() for e in _PART_SPLIT.split(text.strip())):
        if not entry:
            continue
        m = _PART.match(entry)
        if not m or not m.group(1).strip():
            raise ValueError(f"“{entry[:20]}”不是“名称 数值单位”，如“市本级 5个”")
        unit = m.group(3) or None
        if unit is not None and len(unit) > MAX_TARGET_UNIT:
            raise ValueError(f"“{entry[:20]}”的单位过长")
        out.append([m.group(1).strip()[:MAX_SUBJECT], float(m.group(2)), unit])
    if len(out) > MAX_PARTS:
        raise ValueError(f"分项不超过 {MAX_PARTS} 个")
    return out


def state_of(t: domain.Target) -> dict[str, Any]:
    """A target as a correction state (what the audit log shows before and after)."""
    return {
        "subject": t.subject,
        "comparator": t.comparator,
        "value": t.value,
        "value_max": t.value_max,
        "unit": t.unit,
        "parts": [[p.label, p.value, p.unit] for p in t.parts],
    }


def target_fields(prefix: str, t: domain.Target) -> dict[str, str]:
    """The form fields of one target, filled with its values."""
    return {
        f"{prefix}-subject": t.subject,
        f"{prefix}-cmp": t.comparator,
        f"{prefix}-value": num_text(t.value),
        f"{prefix}-max": num_text(t.value_max),
        f"{prefix}-unit": t.unit,
        f"{prefix}-parts": parts_text(t.parts),
    }


def _read_state(
    prefix: str, form: Mapping[str, str], errors: dict[str, str], default_cmp: str, parsed_subject: str | None
) -> dict[str, Any] | None:
    """One target's state from its fields, or None with a message per rejected field."""
    bad = len(errors)
    subject = " ".join((form.get(f"{prefix}-subject") or "").split())
    comparator = form.get(f"{prefix}-cmp") or default_cmp
    unit = (form.get(f"{prefix}-unit") or "").strip()
    if not subject and parsed_subject != "":
        errors[f"{prefix}-subject"] = "请写明目标所计的对象，如“新优质学校”"
    elif len(subject) > MAX_SUBJECT:
        errors[f"{prefix}-subject"] = f"对象不超过 {MAX_SUBJECT} 个字符"
    if comparator not in COMPARATORS:
        errors[f"{prefix}-cmp"] = "请选择比较方式"
    value = value_max = None
    try:
        value = number(form.get(f"{prefix}-value") or "")
        if value is None:
            errors[f"{prefix}-value"] = "请填写目标值"
    except ValueError:
        errors[f"{prefix}-value"] = "目标值须是数字，如 95 或 3200"
    try:
        value_max = number(form.get(f"{prefix}-max") or "")
    except ValueError:
        errors[f"{prefix}-max"] = "上限须是数字"
    if len(unit) > MAX_TARGET_UNIT:
        errors[f"{prefix}-unit"] = f"单位不超过 {MAX_TARGET_UNIT} 个字符"
    try:
        parts = read_parts(form.get(f"{prefix}-parts") or "")
    except ValueError as exc:
        errors[f"{prefix}-parts"] = f"分项{exc}"
    if comparator == "between" and value is not None and (value_max is None or value_max < value):
        errors[f"{prefix}-max"] = "“介于”须填写不小于目标值的上限"
    if len(errors) > bad:
        return None
    return {
        "subject": subject,
        "comparator": comparator,
        "value": value,
        "value_max": value_max if comparator == "between" else None,
        "unit": unit,
        "parts": parts,
    }


def read_targets_form(
    parsed: domain.Task, added: list[dict[str, Any]], form: Mapping[str, str], errors: dict[str, str]
) -> dict[str, Any]:
    """The target part of a task's correction from its form: ``targets``, ``deleted_targets`` and
    ``added_targets`` (only what differs from the parse); messages go into `errors`."""
    fix: dict[str, Any] = {}
    edited: dict[str, dict[str, Any]] = {}
    deleted: list[int] = []
    for k, target in enumerate(parsed.targets):
        if form.get(f"g{k}-delete"):
            deleted.append(k)
            continue
        now = _read_state(f"g{k}", form, errors, target.comparator, target.subject or "")
        if now is not None and now != state_of(target):
            edited[str(k)] = now
    kept: list[dict[str, Any]] = []
    for j, was in enumerate(added):
        if form.get(f"a{j}-delete"):
            continue
        now = _read_state(f"a{j}", form, errors, str(was.get("comparator") or ">="), None)
        kept.append(now if now is not None else was)
    if any((form.get(f"new-{name}") or "").strip() for name in ("subject", "value", "parts")):
        new = _read_state("new", form, errors, ">=", None)
        if new is not None:
            kept.append(new)
    if edited:
        fix["targets"] = edited
    if deleted:
        fix["deleted_targets"] = deleted
    if kept:
        fix["added_targets"] = kept
    return fix


def target_from_state(state: Mapping[str, Any], text: str, per: str | None = None) -> domain.Target:
    """The target a correction state stands for (`text`: the words it was read from, if any)."""
    max_ = state.get("value_max")
    return domain.Target(
        text=text,
        subject=str(state.get("subject") or ""),
        comparator=cast(domain.Comparator, state["comparator"]),
        value=float(state["value"]),
        unit=str(state.get("unit") or ""),
        value_max=None if max_ is None else float(max_),
        per=per,
        parts=[
            domain.TargetPart(str(p[0]), float(p[1]), None if p[2] is None else str(p[2]))
            for p in state.get("parts") or []
        ],
    )


def apply_targets(task: domain.Task, fix: Mapping[str, Any], note: Any) -> None:
    """Put a task's target corrections in place (edits, then deletions, then additions), calling
    ``note(field, before, after)`` for each; `Invalid` for a target the task does not have."""
    count = len(task.targets)
    for index, given in (fix.get("targets") or {}).items():
        if not str(index).isdigit() or int(index) >= count:
            raise Invalid(f"任务 {task.number} 没有第 {int(index) + 1} 个目标")
        old = task.targets[int(index)]
        new = target_from_state(state_of(old) | dict(given), old.text, old.per)  # what it names is kept
        new.baseline = old.baseline
        task.targets[int(index)] = new
        note(f"target{index}", state_of(old) | {"text": old.text}, state_of(new) | {"text": new.text})
    deleted = sorted({int(k) for k in fix.get("deleted_targets") or []}, reverse=True)
    for k in deleted:
        if not 0 <= k < count:
            raise Invalid(f"任务 {task.number} 没有第 {k + 1} 个目标")
        old = task.targets.pop(k)
        note(f"target{k}", state_of(old) | {"text": old.text}, None)
    for j, given in enumerate(fix.get("added_targets") or []):
        new = target_from_state(given, "")
        task.targets.append(new)
        note(f"added_target{j}", None, state_of(new))
