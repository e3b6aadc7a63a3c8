"""How the benchmarks print their figures: one aligned table, figure / value / target / verdict.

No imports beyond the standard library, so that a benchmark measuring memory or start-up can load
it without changing what it measures.  CJK characters count double, as a terminal shows them.
"""

from __future__ import annotations

from collections.abc import Sequence


def print_table(rows: Sequence[Sequence[str]]) -> None:
    """Rows as aligned columns (CJK characters count double in a terminal)."""

    def width(s: str) -> int:
        return sum(2 if "\u2e80" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef" else 1 for ch in s)

    widths = [max(width(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        print("  ".join(cell + " " * (widths[i] - width(cell)) for i, cell in enumerate(row)).rstrip())


def verdict(good: bool, bad: str = "SLOW") -> str:
    """The last column: "ok", or `bad` when the figure misses its target."""
    return "ok" if good else bad
