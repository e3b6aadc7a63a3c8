"""Plan JSON (schema ``eduplan.plan/1``): the interchange form of a parsed plan.

The contract lives in ``shared/corpus/PLAN_JSON.md``: fields may be added, none renamed or dropped.
`plan_to_dict` and `plan_from_dict` are inverse of each other for every field the domain holds.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from eduplan.domain import (
    Chapter,
    Column,
    IndicatorRow,
    IndicatorTable,
    Plan,
    Project,
    SubItem,
    Target,
    TargetPart,
    Task,
    TocEntry,
    TopicLabel,
)

SCHEMA = "eduplan.plan/1"


def _num(value: float | None) -> int | float | None:
    """Whole numbers print as integers (16500, not 16500.0)."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def _target(t: Target) -> dict[str, Any]:
    return {
        "text": t.text,
        "subject": t.subject,
        "comparator": t.comparator,
        "value": _num(t.value),
        "value_max": _num(t.value_max),
        "unit": t.unit,
        "per": t.per,
        **({"baseline": _num(t.baseline)} if t.baseline is not None else {}),
        "parts": [
            {"label": p.label, "value": _num(p.value), **({"unit": p.unit} if p.unit else {})}
            for p in t.parts
        ],
    }


def _topics(labels: list[TopicLabel]) -> list[dict[str, Any]]:
    """Topic labels as Plan JSON (`"topics"` of items and key projects), primary first."""
    return [{"id": x.id, "score": x.score, "evidence": list(x.evidence)} for x in labels]


def _topics_from(items: list[Any] | None) -> list[TopicLabel]:
    """Topic labels from Plan JSON; a bare id string (an older or hand-written form) is accepted."""
    return [
        TopicLabel(x, 0.0)
        if isinstance(x, str)
        else TopicLabel(x["id"], x.get("score", 0.0), list(x.get("evidence") or []))
        for x in items or []
    ]


def _task(t: Task) -> dict[str, Any]:
    return {
        "number": t.number,
        "title": t.title,
        "kind": t.kind,
        "text": t.text,
        "units": list(t.units),
        "lead_units": list(t.lead_units),
        "support_units": list(t.support_units),
        "units_text": t.units_text,
        "deadline": t.deadline.isoformat() if t.deadline else None,
        "deadline_text": t.deadline_text,
        "subitems": [{"number": s.number, "title": s.title, "text": s.text} for s in t.subitems],
        "targets": [_target(x) for x in t.targets],
        "figures": [_target(x) for x in t.figures],
        "line": t.line,
        "topics": _topics(t.topics),
    }


def plan_to_dict(plan: Plan) -> dict[str, Any]:
    """The Plan JSON object of a plan."""
    return {
        "schema": SCHEMA,
        "title": plan.title,
        "place": plan.place,
        "kind": plan.kind,
        "year": plan.year,
        "period": list(plan.period) if plan.period else None,
        "issuer": list(plan.issuer),
        "doc_number": plan.doc_number,
        "issued_on": plan.issued_on.isoformat() if plan.issued_on else None,
        "chapters": [
            {
                "number": ch.number,
                "title": ch.title,
                "text": ch.text,
                "line": ch.line,
                "items": [_task(t) for t in ch.items],
            }
            for ch in plan.chapters
        ],
        "columns": [
            {
                "number": c.number,
                "title": c.title,
                "chapter": c.chapter,
                "projects": [
                    {
                        "number": p.number,
                        "title": p.title,
                        "text": p.text,
                        "targets": [_target(x) for x in p.targets],
                        "topics": _topics(p.topics),
                    }
                    for p in c.projects
                ],
            }
            for c in plan.columns
        ],
        "indicator_tables": [
            {
                "title": tab.title,
                "column": tab.column,
                "header": list(tab.header),
                "rows": [
                    {
                        "label": r.label,
                        "group": r.group,
                        "unit": r.unit,
                        "values": {k: _num(v) for k, v in r.values.items()},
                        "attribute": r.attribute,
                    }
                    for r in tab.rows
                ],
                "note": tab.note,
            }
            for tab in plan.indicator_tables
        ],
        "toc": [{"number": e.number, "title": e.title, "page": e.page} for e in plan.toc],
        "warnings": list(plan.warnings),
    }


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _target_from(d: dict[str, Any]) -> Target:
    return Target(
        text=d.get("text", ""),
        subject=d.get("subject", ""),
        comparator=d.get("comparator", "="),
        value=d["value"],
        value_max=d.get("value_max"),
        unit=d.get("unit", ""),
        per=d.get("per"),
        parts=[TargetPart(p["label"], p["value"], p.get("unit")) for p in d.get("parts") or []],
        baseline=d.get("baseline"),
    )


def _task_from(d: dict[str, Any]) -> Task:
    return Task(
        number=d["number"],
        title=d.get("title", ""),
        text=d.get("text", ""),
        units=list(d.get("units") or []),
        lead_units=list(d.get("lead_units") or []),
        support_units=list(d.get("support_units") or []),
        units_text=d.get("units_text"),
        deadline=_date(d.get("deadline")),
        deadline_text=d.get("deadline_text"),
        subitems=[
            SubItem(s["number"], s.get("title", ""), s.get("text", "")) for s in d.get("subitems") or []
        ],
        targets=[_target_from(t) for t in d.get("targets") or []],
        figures=[_target_from(t) for t in d.get("figures") or []],
        line=d.get("line"),
        topics=_topics_from(d.get("topics")),
        kind="context" if d.get("kind") == "context" else "task",
    )


def plan_from_dict(d: dict[str, Any]) -> Plan:
    """A plan from its Plan JSON object (the inverse of `plan_to_dict`)."""
    period = d.get("period")
    return Plan(
        title=d.get("title", ""),
        place=d.get("place"),
        kind=d.get("kind", "other"),
        year=d.get("year"),
        period=(period[0], period[1]) if period else None,
        issuer=list(d.get("issuer") or []),
        doc_number=d.get("doc_number"),
        issued_on=_date(d.get("issued_on")),
        chapters=[
            Chapter(
                number=c["number"],
                title=c.get("title", ""),
                text=c.get("text", ""),
                items=[_task_from(t) for t in c.get("items") or []],
                line=c.get("line"),
            )
            for c in d.get("chapters") or []
        ],
        columns=[
            Column(
                number=c["number"],
                title=c.get("title", ""),
                chapter=c.get("chapter"),
                projects=[
                    Project(
                        p["number"],
                        p.get("title", ""),
                        p.get("text", ""),
                        _topics_from(p.get("topics")),
                        [_target_from(x) for x in p.get("targets") or []],
                    )
                    for p in c.get("projects") or []
                ],
            )
            for c in d.get("columns") or []
        ],
        indicator_tables=[
            IndicatorTable(
                title=t.get("title", ""),
                header=list(t.get("header") or []),
                rows=[
                    IndicatorRow(
                        label=r.get("label", ""),
                        unit=r.get("unit"),
                        values=dict(r.get("values") or {}),
                        group=r.get("group"),
                        attribute=r.get("attribute"),
                    )
                    for r in t.get("rows") or []
                ],
                note=t.get("note"),
                column=t.get("column"),
            )
            for t in d.get("indicator_tables") or []
        ],
        toc=[
            TocEntry(number=e.get("number"), title=e.get("title", ""), page=e.get("page"))
            for e in d.get("toc") or []
        ],
        warnings=list(d.get("warnings") or []),
    )
