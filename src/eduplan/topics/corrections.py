"""Staff corrections of topic labels (人工校正), applied to a plan as a pure function.

A member of staff may decide that a task is about 劳动教育 rather than 德育.  The correction names
the entry the way Plan JSON does (a task by chapter and item number, a key project by 专栏 and
project number) and keeps its title, so that it still finds its entry when a revised version of
the plan is parsed and labelled again.  Where corrections are stored is the registry's business;
here they are only applied: `apply_corrections(plan, corrections)` returns a new plan and the
corrections that found no entry.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from eduplan.domain import Chapter, Column, Plan, TopicLabel
from eduplan.topics.taxonomy import TOPIC_IDS

CORRECTED = "人工校正"  # the evidence of a label set by staff
_MAX_SECONDARY = 2


@dataclass(frozen=True)
class TopicCorrection:
    """Topics set by staff for one task (`kind="item"`) or key project (`kind="project"`).

    `section` is the chapter number of a task ("三") or the 专栏 number of a project ("4"), as in
    Plan JSON; `number` the item or project number (None for an unnumbered project).
    """

    kind: Literal["item", "project"]
    section: str
    number: str | None
    title: str
    primary: str
    secondary: tuple[str, ...] = ()
    by: str | None = None

    def __post_init__(self) -> None:
        unknown = [t for t in (self.primary, *self.secondary) if t not in TOPIC_IDS]
        if unknown:
            raise ValueError(f"未知的主题：{'、'.join(unknown)}")
        if self.primary in self.secondary or len(set(self.secondary)) != len(self.secondary):
            raise ValueError("主题重复")
        if len(self.secondary) > _MAX_SECONDARY:
            raise ValueError(f"次要主题最多{_MAX_SECONDARY}个")

    def labels(self, computed: Iterable[TopicLabel] = ()) -> list[TopicLabel]:
        """The labels this correction gives, keeping the computed evidence of topics it confirms."""
        found = {x.id: x.evidence for x in computed}
        mark = f"{CORRECTED}：{self.by}" if self.by else CORRECTED
        return [TopicLabel(t, 1.0, [mark, *found.get(t, [])]) for t in (self.primary, *self.secondary)]


def _norm(title: str) -> str:
    return re.sub(r"[\s“”\"'《》。.；;：:，,]", "", title)


def apply_correction(plan: Plan, correction: TopicCorrection) -> Plan:
    """A copy of `plan` with one entry's topics set by staff; `LookupError` if it has no such entry."""
    corrected, missing = apply_corrections(plan, [correction])
    if missing:
        raise LookupError(
            f"规划中没有这一条：{correction.section} {correction.number or ''} {correction.title}"
        )
    return corrected


def apply_corrections(
    plan: Plan, corrections: Iterable[TopicCorrection]
) -> tuple[Plan, list[TopicCorrection]]:
    """A copy of `plan` with the corrections applied, and those that matched no entry.

    An entry is found by its numbers and title, else by its title alone when only one entry has
    it (a revised plan may renumber); a correction whose title no longer appears is returned
    unapplied, for staff to look at again.  The plan passed in is not changed.
    """
    chapters = list(plan.chapters)
    columns = list(plan.columns)
    missing: list[TopicCorrection] = []
    for c in corrections:
        if c.kind == "item":
            if not _correct_task(chapters, c):
                missing.append(c)
        elif not _correct_project(columns, c):
            missing.append(c)
    return replace(plan, chapters=chapters, columns=columns), missing


def _pick(
    candidates: Sequence[tuple[int, int, str | None, str]], c: TopicCorrection
) -> tuple[int, int] | None:
    """(outer, inner) position of the entry a correction means, among (outer, inner, number, title)."""
    title = _norm(c.title)
    by_title = [(o, i, number) for o, i, number, t in candidates if _norm(t) == title]
    by_number = [(o, i) for o, i, number in by_title if number == c.number]
    if by_number:
        return by_number[0]
    return (by_title[0][0], by_title[0][1]) if len(by_title) == 1 else None


def _correct_in(groups: list[Any], field: str, section: Callable[[Any], str], c: TopicCorrection) -> bool:
    """Relabel the task (or project) `c` names among the `field` of `groups` (chapters' items,
    columns' projects), looked for first in its own `section`; False when none matches."""
    same = [(o, i, x.number, x.title) for o, g in enumerate(groups) for i, x in enumerate(getattr(g, field))]
    inside = [x for x in same if section(groups[x[0]]) == c.section]
    at = _pick(inside, c) or _pick(same, c)
    if at is None:
        return False
    o, i = at
    children = list(getattr(groups[o], field))
    children[i] = replace(children[i], topics=c.labels(children[i].topics))
    groups[o] = replace(groups[o], **{field: children})
    return True


def _correct_task(chapters: list[Chapter], c: TopicCorrection) -> bool:
    return _correct_in(chapters, "items", lambda ch: ch.number, c)


def _correct_project(columns: list[Column], c: TopicCorrection) -> bool:
    return _correct_in(columns, "projects", lambda col: str(col.number), c)
