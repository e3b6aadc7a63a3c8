"""Consistency checks within one plan (自查): what a careful reader would mark in the margin.

- `figures_against_tables`: a figure in the text that disagrees with the same indicator in an
  indicator table (学前教育毛入园率 90.70% in the text, 92.5 in 专栏1);
- `targets_below_baseline`: a table's final-year target below its base-year value where the
  indicator should rise (毛入学率 96.5 → 95);
- `parts_against_totals`: 其中 parts that do not add up to their total;
- `numbering_gaps`: item numbers (and chapter numbers) that skip or repeat;
- `toc_against_body`: a table-of-contents title that differs from the chapter in the body.

Each returns `Finding`s; `check_plan` runs them all.  Pure functions over a parsed `Plan`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from eduplan.compare.targets import kind_of, normalise_subject
from eduplan.compare.units import dimension, to_base
from eduplan.domain import IndicatorRow, IndicatorTable, Plan, Target, Task
from eduplan.parsing.numbering import number_value

Severity = Literal["error", "warning"]

_YEAR = re.compile(r"(20[0-9]{2})\s*年")
_FALLING = re.compile(r"近视|肥胖|大班额|辍学|流失|生师比|负担|事故|发生率|超标|不达标|违规|低于")
_RATE = re.compile(r"(?:率|比例|占比|比重)$")
_TOLERANCE = 0.05  # figures are compared to 0.05 of their unit (90.7 vs 90.70)


@dataclass(frozen=True)
class Finding:
    """One inconsistency: which check found it, where, and what a person should look at."""

    check: str
    severity: Severity
    where: str
    message: str


def _close(a: float, b: float, tolerance: float = _TOLERANCE) -> bool:
    return abs(a - b) <= tolerance + 1e-9 * max(abs(a), abs(b))


def _row_key(row: IndicatorRow) -> str:
    return normalise_subject(f"{row.group or ''}{row.label}")


def _same_indicator(subject: str, row: IndicatorRow) -> bool:
    """Whether a figure's subject and a table row name the same indicator."""
    kind = kind_of(subject)
    row_kind = kind_of(_row_key(row)) or kind_of(row.label)
    if (kind and kind.indicator) or (row_kind and row_kind.indicator):
        return kind == row_kind
    s, r = normalise_subject(subject), normalise_subject(row.label.split()[-1])
    return len(s) >= 4 and (s == r or (s.endswith(r) and len(r) >= 4))


def _year_before(task: Task, figure: Target) -> str | None:
    """The year a figure speaks of: the last 20XX年 earlier in its sentence, if any."""
    at = task.text.find(figure.text)
    if at < 0:
        return None
    start = max(task.text.rfind("。", 0, at), task.text.rfind("；", 0, at)) + 1
    years = _YEAR.findall(task.text[start:at])
    return years[-1] if years else None


def figures_against_tables(plan: Plan) -> list[Finding]:
    """Figures in the text that disagree with the same indicator in an indicator table."""
    rows = [(table, row) for table in plan.indicator_tables for row in table.rows]
    findings: list[Finding] = []
    for chapter, task in plan.tasks():
        for figure in (*task.targets, *task.figures):
            if figure.comparator == "between":
                continue
            value, unit = to_base(figure.value, figure.unit)
            matches = [
                (t, r)
                for t, r in rows
                if _same_indicator(figure.subject, r) and dimension(r.unit) == dimension(unit)
            ]
            if not matches:
                continue
            year = _year_before(task, figure)
            tolerance = 0.5 if figure.comparator == "≈" else _TOLERANCE
            table_values = [
                (t, r, y, v)
                for t, r in matches
                for y, v in r.values.items()
                if v is not None and (year is None or y == year)
            ]
            if not table_values or any(
                _close(value, to_base(v, r.unit)[0], tolerance) for _, r, _, v in table_values
            ):
                continue
            shown = "；".join(
                f"{_table_where(t)}：{r.label} {y}年 {v:g}{r.unit or ''}" for t, r, y, v in table_values[:3]
            )
            findings.append(
                Finding(
                    "figure_vs_table",
                    "error",
                    f"{chapter.number}.{task.number} {task.title}",
                    f"正文“{figure.text}”与指标表不一致（{shown}）",
                )
            )
    return findings


def _direction(row: IndicatorRow) -> int:
    """+1 for an indicator that should rise (rates, shares, years of schooling), -1 for one that
    should fall (近视率, 大班额), 0 for counts that follow the population (在校生, 在园幼儿数)."""
    label = f"{row.group or ''}{row.label}"
    if _FALLING.search(label):
        return -1
    return 1 if row.unit in {"%", "％", "年"} or _RATE.search(label) else 0


def _is_target_table(table: IndicatorTable) -> bool:
    """A table of targets (主要目标, 预期性/约束性), not a record of past results (发展情况)."""
    return (
        "目标" in table.title
        or any(r.attribute for r in table.rows)
        or any("属性" in h for h in table.header)
    )


def targets_below_baseline(plan: Plan) -> list[Finding]:
    """Target-table rows whose final-year target is below the base year where the indicator should rise."""
    findings: list[Finding] = []
    for table in plan.indicator_tables:
        if not _is_target_table(table):
            continue
        for row in table.rows:
            years = sorted(y for y, v in row.values.items() if v is not None and re.fullmatch(r"\d{4}", y))
            if len(years) < 2:
                continue
            base, last = row.values[years[0]], row.values[years[-1]]
            assert base is not None and last is not None
            direction = _direction(row)
            if direction and (last - base) * direction < 0:
                word = "下降" if direction < 0 else "提高"
                findings.append(
                    Finding(
                        "target_below_baseline",
                        "warning",
                        _table_where(table),
                        f"“{row.label}”{years[-1]}年目标 {last:g} 与 {years[0]}年 {base:g} 相比未{word}"
                        f"（该指标应当{word}）",
                    )
                )
    return findings


def _table_where(table: IndicatorTable) -> str:
    return f"专栏{table.column}：{table.title}" if table.column else table.title


def parts_against_totals(plan: Plan) -> list[Finding]:
    """Targets whose 其中… parts add up to more than the total, or (two parts or more) to less."""
    findings: list[Finding] = []
    for chapter, task in plan.tasks():
        for t in (*task.targets, *task.figures):
            if not t.parts or dimension(t.unit) in {"比例", "比例变化"}:
                continue
            if any(p.unit and dimension(p.unit) != dimension(t.unit) for p in t.parts):
                continue
            total = to_base(t.value, t.unit)[0]
            parts = sum(to_base(p.value, p.unit or t.unit)[0] for p in t.parts)
            if _close(parts, total) or (parts < total and len(t.parts) < 2):
                continue
            relation = "大于" if parts > total else "小于"
            findings.append(
                Finding(
                    "parts_vs_total",
                    "error" if parts > total else "warning",
                    f"{chapter.number}.{task.number} {task.title}",
                    f"“{t.text}”：其中各项之和 {parts:g} {relation}总数 {total:g}",
                )
            )
    return findings


def _sequence_findings(
    numbers: Sequence[tuple[str | None, str]], start: int | None, what: str
) -> list[Finding]:
    """Skips and repeats in one run of numbers; `start` is the value the run should begin with."""
    findings: list[Finding] = []
    seen: set[int] = set()
    expected = start
    for number, where in numbers:
        value = number_value(number) if number else None
        if value is None:
            continue
        if value in seen:
            findings.append(Finding("numbering", "error", where, f"{what}编号“{number}”重复"))
        elif expected is not None and value > expected:
            missing = str(expected) if value == expected + 1 else f"{expected}–{value - 1}"
            findings.append(
                Finding("numbering", "error", where, f"{what}编号“{number}”之前缺少第{missing}号")
            )
        seen.add(value)
        expected = value + 1
    return findings


def numbering_gaps(plan: Plan) -> list[Finding]:
    """Chapter and item numbers that skip or repeat.

    Items may restart at 1 in each chapter or run on across chapters (1–35 over nine chapters);
    the plan's habit is read from the first items of its chapters.
    """
    findings = _sequence_findings([(c.number, f"{c.number}、{c.title}") for c in plan.chapters], 1, "章")
    firsts = [number_value(c.items[0].number) for c in plan.chapters if c.items]
    runs_on = len(firsts) > 1 and all(f is not None and f > 1 for f in firsts[1:])
    expected: int | None = 1
    for chapter in plan.chapters:
        numbers = [(t.number, f"{chapter.number}.{t.number} {t.title}") for t in chapter.items]
        findings += _sequence_findings(numbers, expected if runs_on else 1, "条目")
        values = [number_value(t.number) for t in chapter.items]
        last = next((v for v in reversed(values) if v is not None), None)
        if last is not None:
            expected = last + 1
    for column in plan.columns:
        projects: list[tuple[str | None, str]] = [
            (p.number, f"专栏{column.number} {p.title}") for p in column.projects
        ]
        findings += _sequence_findings(projects, 1, "项目")
    return findings


def _norm_title(title: str) -> str:
    return re.sub(r"[\s。.]", "", title)


def toc_against_body(plan: Plan) -> list[Finding]:
    """Table-of-contents entries whose title differs from the body's chapter of that number."""
    chapters = {c.number: c for c in plan.chapters}
    item_titles = {_norm_title(t.title) for _, t in plan.tasks()}
    findings: list[Finding] = []
    for entry in plan.toc:
        title = _norm_title(entry.title)
        chapter = chapters.get(entry.number or "")
        if chapter is None or title in item_titles or title == _norm_title(chapter.title):
            continue
        findings.append(
            Finding(
                "toc_vs_body",
                "warning",
                f"目录 {entry.number}、{entry.title}",
                f"目录标题“{entry.title}”与正文标题“{chapter.title}”不一致",
            )
        )
    return findings


CHECKS = (
    figures_against_tables,
    targets_below_baseline,
    parts_against_totals,
    numbering_gaps,
    toc_against_body,
)


def check_plan(plan: Plan, checks: Iterable[Callable[[Plan], list[Finding]]] = CHECKS) -> list[Finding]:
    """Every finding of every check, errors first."""
    findings = [f for check in checks for f in check(plan)]
    return sorted(findings, key=lambda f: f.severity != "error")
