"""Plans × topics: how many tasks and targets each plan has on each topic (对标矩阵).

A task counts in the cell of its primary topic (or of every topic it has, `secondary=True`),
its targets with it.  A five-year plan keeps its commitments in indicator tables rather than in
its tasks, so each indicator row is also counted as a target, in the topic its label reads as
(学前教育毛入园率 → 学前教育).  `cell_entries` opens one column: the tasks of every plan on a topic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from eduplan.compare.entries import Entry, plan_entries
from eduplan.domain import Plan
from eduplan.topics import TOPIC_IDS, default_classifier


@dataclass(frozen=True, kw_only=True)
class Cell:
    """The tasks and targets of one plan on one topic."""

    tasks: int = 0
    targets: int = 0


@dataclass(frozen=True)
class TopicMatrix:
    """Counts by (plan id, topic id); plans and topics in display order, empty topics left out."""

    plans: tuple[str, ...]
    topics: tuple[str, ...]
    cells: Mapping[tuple[str, str], Cell] = field(default_factory=dict)

    def cell(self, plan: str, topic: str) -> Cell:
        """The counts of one cell (zero when the plan has nothing on the topic)."""
        return self.cells.get((plan, topic), Cell())

    def rows(self) -> list[tuple[str, list[Cell]]]:
        """Each plan with its cells in topic order: the table as shown."""
        return [(p, [self.cell(p, t) for t in self.topics]) for p in self.plans]


def _table_row_topics(plan: Plan) -> list[str]:
    """The topic of each indicator row, read from its label with the table's title as context."""
    clf = default_classifier()
    topics = []
    for table in plan.indicator_tables:
        context = clf.context(table.title)
        for row in table.rows:
            labels = clf.classify(f"{row.group or ''}{row.label}", "", context)
            if labels:
                topics.append(labels[0].id)
    return topics


def topic_matrix(plans: Mapping[str, Plan], *, secondary: bool = False) -> TopicMatrix:
    """The plans × topics matrix of task and target counts (a pure function of the plans)."""
    counts: dict[tuple[str, str], list[int]] = {}
    for plan_id, plan in plans.items():
        for entry in plan_entries(plan_id, plan):
            for topic in entry.topics if secondary else entry.topics[:1]:
                cell = counts.setdefault((plan_id, topic), [0, 0])
                cell[0] += 1
                cell[1] += len(entry.targets)
        for topic in _table_row_topics(plan):
            counts.setdefault((plan_id, topic), [0, 0])[1] += 1
    used = {topic for _, topic in counts}
    return TopicMatrix(
        plans=tuple(plans),
        topics=tuple(t for t in TOPIC_IDS if t in used),
        cells={key: Cell(tasks=tasks, targets=targets) for key, (tasks, targets) in counts.items()},
    )


def cell_entries(plans: Mapping[str, Plan], topic: str, *, secondary: bool = False) -> dict[str, list[Entry]]:
    """The entries of each plan on `topic` (primary, or any of its topics with `secondary=True`)."""
    return {
        plan_id: [
            e for e in plan_entries(plan_id, plan) if (topic in e.topics if secondary else e.primary == topic)
        ]
        for plan_id, plan in plans.items()
    }
