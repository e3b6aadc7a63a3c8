"""How a 年终考核 score is written out and ranked, so that what the page shows adds up.

- `explain`: each component's share is rounded to one decimal *before* adding, and the score is the
  sum of the shares as shown minus the penalty — the lines read ``完成度 30.9 × 33.3% = 10.3``,
  ``… = 0.0``, ``… = 33.0``, ``合计 10.3 + 0.0 + 33.0 = 43.3`` and never disagree with the score.
  Weights are shown to one decimal (33.3%, not 33%).
- `rank`: units with the same score share a rank (1, 2, 2, 4); a unit with nothing to score (no
  report filed and no reviewer's score) gets no rank at all — ranking sixteen zeros 2…16 says
  something that is not so.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

UNRANKED_NOTE = "尚无任何报送，也无复核得分，不参与排名"


def _pct(share: float) -> str:
    text = f"{100.0 * share:.1f}".rstrip("0").rstrip(".")
    return f"{text}%"


def explain(parts: Sequence[tuple[str, float, float]], penalty: float) -> tuple[float, list[str]]:
    """The computed score (0–100) and one line per component plus the sum, from (name, value,
    weight) with weights on any scale (normalised here) and the penalty in points."""
    total = sum(w for _n, _v, w in parts)
    shares = [round(v * w / total, 1) if total else 0.0 for _n, v, w in parts]
    lines = [
        f"{name} {value:.1f} × {_pct(w / total if total else 0.0)} = {share:.1f}"
        for (name, value, w), share in zip(parts, shares, strict=True)
    ]
    raw = round(sum(shares) - penalty, 1)
    computed = max(0.0, min(100.0, raw))
    terms = " + ".join(f"{s:.1f}" for s in shares) + (f" − {penalty:.1f}" if penalty else "")
    bounded = "" if raw == computed else f"，按 0–100 计为 {computed:.1f}"
    lines.append(f"合计 {terms} = {raw:.1f}{bounded}")
    return computed, lines


class Ranked(Protocol):
    rank: int | None
    score: float
    unit_name: str
    unit_id: int


def rank(scores: Sequence[Ranked], scored: set[int]) -> None:
    """Set each unit's rank in place (ties share one; units not in `scored` get None); the list
    should already be sorted by score, best first."""
    place, last = 0, None
    for n, s in enumerate(x for x in scores if x.unit_id in scored):
        if last is None or s.score != last:
            place, last = n + 1, s.score
        s.rank = place
    for s in scores:
        if s.unit_id not in scored:
            s.rank = None
