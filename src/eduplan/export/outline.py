"""The human outline of a plan, as printed by `eduplan parse FILE` in a terminal.

Plain text, one line per chapter, item, project or indicator, with the facts a reader checks first
(责任单位, 量化目标, 时限) in brackets after each item.  Indicator tables are summarised one row per
line; the parser's warnings come last so they are not scrolled away.
"""

from __future__ import annotations

from eduplan.domain import Column, IndicatorRow, IndicatorTable, Plan, Task
from eduplan.labels import chapter_label, item_label, plan_facts, target_text, units_text

_INDENT = "  "


def render_outline(plan: Plan) -> str:
    """The outline of `plan` as text ending with a newline."""
    lines = [plan.title or "（无标题）", " · ".join(plan_facts(plan))]
    if plan.issuer:
        lines.append("发文单位：" + "、".join(plan.issuer))
    tasks = plan.tasks()
    context = sum(1 for _, t in tasks if t.kind == "context")
    counted = f"共{len(plan.chapters)}章、{len(tasks) - context}项任务"
    lines.append(counted + (f"、{context}项背景/说明" if context else ""))
    for chapter in plan.chapters:
        lines.append("")
        lines.append(chapter_label(chapter.number, chapter.title))
        lines.extend(_task_lines(task) for task in chapter.items)
    for column in plan.columns:
        lines.append("")
        lines.extend(_column_lines(column))
    for table in plan.indicator_tables:
        lines.append("")
        lines.extend(_table_lines(table))
    if plan.warnings:
        lines.append("")
        lines.append(f"警告（{len(plan.warnings)}）：")
        lines.extend(f"{_INDENT}- {w}" for w in plan.warnings)
    return "\n".join(lines) + "\n"


def _task_lines(task: Task) -> str:
    line = _INDENT + item_label(task.number, task.title) + ("［背景/说明］" if task.kind == "context" else "")
    facts = []
    units = units_text(task)
    if units:
        facts.append(f"[责任单位: {units}]")
    if task.targets:
        facts.append("[目标: " + "；".join(target_text(t) for t in task.targets) + "]")
    if task.deadline:
        facts.append(f"[时限: {task.deadline.isoformat()}]")
    sub = "".join(f"\n{_INDENT * 3}({s.number}) {s.title}" for s in task.subitems)
    return line + ("  " + " ".join(facts) if facts else "") + sub


def _column_lines(column: Column) -> list[str]:
    where = f"（第{column.chapter}章）" if column.chapter else ""
    head = f"专栏{column.number}：{column.title}{where}"
    return [head] + [_INDENT + item_label(p.number, p.title) for p in column.projects]


def _table_lines(table: IndicatorTable) -> list[str]:
    head = f"指标表：{table.title or '（无标题）'}（{len(table.rows)}项指标）"
    lines = [head] + [_INDENT + _row_text(row) for row in table.rows]
    if table.note:
        lines.append(_INDENT + table.note)
    return lines


def _row_text(row: IndicatorRow) -> str:
    label = f"{row.group} / {row.label}" if row.group else row.label
    unit = f"（{row.unit}）" if row.unit else ""
    values = " → ".join(f"{year}: {_value(v)}" for year, v in row.values.items())
    attribute = f" [{row.attribute}]" if row.attribute else ""
    return f"{label}{unit} {values}{attribute}".rstrip()


def _value(value: float | None) -> str:
    if value is None:
        return "—"
    return str(int(value)) if float(value).is_integer() else str(value)
