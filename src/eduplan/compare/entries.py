"""What plans are compared by: their entries, the tasks and the key projects of each plan.

An `Entry` is a flat, immutable view of one task (工作任务) or key project (重点项目) with the id of
the plan it belongs to, so that entries of many plans can sit in one index or one table.  Its
`key` names it the way Plan JSON does: ("item", chapter number, item number) or ("project",
专栏 number, project number).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from eduplan.domain import Plan, Target

EntryKind = Literal["item", "project"]


@dataclass(frozen=True, kw_only=True)
class Entry:
    """One task or key project of one plan."""

    plan: str
    kind: EntryKind
    section: str  # chapter number of a task, 专栏 number of a project
    number: str | None
    title: str
    text: str
    topics: tuple[str, ...] = ()  # topic ids, primary first
    targets: tuple[Target, ...] = field(default=(), compare=False)

    @property
    def key(self) -> tuple[str, str, str | None]:
        """The entry's place in its plan: (kind, section, number)."""
        return (self.kind, self.section, self.number)

    @property
    def primary(self) -> str | None:
        """The primary topic id, if the entry has topics."""
        return self.topics[0] if self.topics else None

    def label(self) -> str:
        """A short reference for people: 三.7 加强劳动教育 / 专栏4.2 …"""
        where = f"专栏{self.section}" if self.kind == "project" else self.section
        return f"{where}.{self.number or '-'} {self.title}"


def plan_entries(plan_id: str, plan: Plan) -> list[Entry]:
    """The tasks, then the key projects, of one plan as entries, in document order."""
    entries = [
        Entry(
            plan=plan_id,
            kind="item",
            section=chapter.number,
            number=task.number,
            title=task.title,
            text=task.text,
            topics=tuple(t.id for t in task.topics),
            targets=tuple(task.targets),
        )
        for chapter, task in plan.tasks()
    ]
    entries += [
        Entry(
            plan=plan_id,
            kind="project",
            section=str(column.number),
            number=project.number,
            title=project.title,
            text=project.text,
            topics=tuple(t.id for t in project.topics),
        )
        for column in plan.columns
        for project in column.projects
    ]
    return entries


def all_entries(plans: Mapping[str, Plan] | Iterable[tuple[str, Plan]]) -> list[Entry]:
    """The entries of several plans, given as {plan id: plan} or (plan id, plan) pairs."""
    pairs = plans.items() if isinstance(plans, Mapping) else plans
    return [e for plan_id, plan in pairs for e in plan_entries(plan_id, plan)]
