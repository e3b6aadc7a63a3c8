"""What is particular to a plan, and what changed between two years (or editions) of one city.

- `distinctive(index, plan_id)`: the few tasks of a plan that no other plan resembles (特色工作),
  least alike first — judged on the words alone, since a plan's 特色 is what others do not write.
  Plans of different cities share little wording, so "under a fixed cosine" alone would call most
  of a plan distinctive; a task must also stand out within its own plan: among the `SHARE` least
  alike of its tasks (at least `AT_LEAST`), and clearly below the plan's typical closeness;
- `year_over_year(before, after)`: tasks carried over (延续), dropped (删去) and new (新增).  Each task
  of the later plan is paired with the most similar unpaired task of the earlier one, best pairs
  first; a pair counts as carried over from `CARRIED` cosine (or with the same title).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from eduplan.compare.entries import Entry, plan_entries
from eduplan.compare.similar import Match, SimilarityIndex
from eduplan.domain import Plan

DISTINCT = 0.25  # best cosine to any task of another plan below which a task is distinctive
SHARE = 0.15  # at most this share of a plan's tasks is called distinctive …
AT_LEAST = 3  # … but a plan may always show its three least alike
STANDS_OUT = 0.75  # and each scores below this fraction of the plan's median closeness
CARRIED = 0.3  # cosine from which a task of the later plan continues one of the earlier
_CANDIDATES = 5


@dataclass(frozen=True)
class Distinctive:
    """A task with nothing like it in the other plans: its closest match elsewhere, if any."""

    entry: Entry
    best: Match | None

    @property
    def score(self) -> float:
        """Cosine to the closest task of another plan (0.0 when none shares a word)."""
        return self.best.score if self.best else 0.0


def distinctive(index: SimilarityIndex, plan_id: str, *, threshold: float = DISTINCT) -> list[Distinctive]:
    """The entries of `plan_id` that stand out: their closest entry in another plan scores under
    `threshold` and well under the plan's median, and they are among its least alike (see above)."""
    scored = []
    for entry in index.entries:
        if entry.plan != plan_id:
            continue
        best = index.most_similar(entry, 1, use_topics=False)
        scored.append(Distinctive(entry, best[0] if best else None))
    if not scored:
        return []
    scores = sorted(d.score for d in scored)
    median = scores[len(scores) // 2]
    keep = max(AT_LEAST, math.ceil(SHARE * len(scored)))
    found = [d for d in scored if d.score < threshold and d.score < STANDS_OUT * median]
    return sorted(found, key=lambda d: (d.score, d.entry.title))[:keep]


@dataclass(frozen=True)
class Carried:
    """A task of the earlier plan continued in the later one."""

    before: Entry
    after: Entry
    score: float
    shared: tuple[str, ...]


@dataclass(frozen=True)
class YearChanges:
    """Tasks carried over, dropped and new between two plans of one city."""

    carried: tuple[Carried, ...]
    dropped: tuple[Entry, ...]
    new: tuple[Entry, ...]


def _same_title(a: Entry, b: Entry) -> bool:
    def norm(s: str) -> str:
        return re.sub(r"[\s“”\"'。.]", "", s)

    return norm(a.title) == norm(b.title)


def year_over_year(
    before: Plan,
    after: Plan,
    *,
    threshold: float = CARRIED,
    ids: tuple[str, str] = ("before", "after"),
) -> YearChanges:
    """Carried-over, dropped and new tasks (and key projects) from `before` to `after`.

    `ids` are the plan ids the returned entries carry (e.g. ("2023", "2024")).
    """
    old, new = plan_entries(ids[0], before), plan_entries(ids[1], after)
    index = SimilarityIndex([*old, *new])
    pairs: list[tuple[float, int, int, Match]] = []
    position = {e: i for i, e in enumerate(old)}
    for j, entry in enumerate(new):
        for match in index.most_similar(entry, _CANDIDATES, within=ids[0], use_topics=False):
            score = 1.0 if _same_title(entry, match.entry) else match.score
            if score >= threshold:
                pairs.append((score, position[match.entry], j, match))
    used_old: set[int] = set()
    used_new: set[int] = set()
    carried: list[Carried] = []
    for score, i, j, match in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if i in used_old or j in used_new:
            continue
        used_old.add(i)
        used_new.add(j)
        carried.append(Carried(old[i], new[j], round(score, 4), match.shared))
    carried.sort(key=lambda c: position[c.before])
    return YearChanges(
        carried=tuple(carried),
        dropped=tuple(e for i, e in enumerate(old) if i not in used_old),
        new=tuple(e for j, e in enumerate(new) if j not in used_new),
    )
