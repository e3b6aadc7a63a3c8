"""Matching the tasks of a revised edition to those of the previous version (pure, no database).

A new task is the same piece of work as an old one when (in this order):
1. their text is identical;
2. they carry the same number and their texts are at least `SAME_NUMBER_RATIO` alike (a revision
   usually keeps the numbering and rewords a little);
3. otherwise the most similar remaining pair, at least `MOVED_RATIO` alike (a task moved or
   renumbered), best pairs first.
Similarity is difflib's ratio over title and text; the cheap upper bounds (`real_quick_ratio`,
`quick_ratio`) skip most pairs, so a plan of a few hundred tasks matches in well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

SAME_NUMBER_RATIO = 0.5
MOVED_RATIO = 0.6


@dataclass(frozen=True)
class TaskText:
    """What matching looks at: a task's number and words."""

    number: str
    title: str
    text: str

    @property
    def words(self) -> str:
        return f"{self.title}\n{self.text}"


def similarity(a: str, b: str, floor: float = 0.0) -> float:
    """difflib's ratio of `a` and `b`, or 0.0 as soon as an upper bound shows it is below `floor`."""
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    if matcher.real_quick_ratio() < floor or matcher.quick_ratio() < floor:
        return 0.0
    return matcher.ratio()


def match_tasks(old: Sequence[TaskText], new: Sequence[TaskText]) -> dict[int, int]:
    """Pairs of indexes ``{new_index: old_index}`` of the tasks that are the same piece of work."""
    pairs: dict[int, int] = {}
    taken: set[int] = set()

    by_words: dict[str, list[int]] = {}
    for i, task in enumerate(old):
        by_words.setdefault(task.words, []).append(i)
    for j, task in enumerate(new):
        for i in by_words.get(task.words, []):
            if i not in taken:
                pairs[j] = i
                taken.add(i)
                break

    by_number: dict[str, list[int]] = {}
    for i, task in enumerate(old):
        by_number.setdefault(task.number, []).append(i)
    for j, task in enumerate(new):
        if j in pairs:
            continue
        candidates = [i for i in by_number.get(task.number, []) if i not in taken]
        scored = [(similarity(old[i].words, task.words, SAME_NUMBER_RATIO), i) for i in candidates]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SAME_NUMBER_RATIO:
            pairs[j] = best[1]
            taken.add(best[1])

    rest_new = [j for j in range(len(new)) if j not in pairs]
    rest_old = [i for i in range(len(old)) if i not in taken]
    scored_pairs = []
    for j in rest_new:
        for i in rest_old:
            score = similarity(old[i].words, new[j].words, MOVED_RATIO)
            if score >= MOVED_RATIO:
                scored_pairs.append((score, j, i))
    for _score, j, i in sorted(scored_pairs, key=lambda p: (-p[0], p[1], p[2])):
        if j not in pairs and i not in taken:
            pairs[j] = i
            taken.add(i)
    return pairs
