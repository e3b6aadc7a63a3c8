"""A whole comparison in one report, and its xlsx export (`export.compare_xlsx`).

`report` loads the selected plans once and gathers the matrix, the tasks of every topic side by
side, the targets side by side, each plan's consistency findings and, when two plans of one city
are named, the year-over-year changes.  `export.compare_xlsx.export_comparison` writes it to a file.
"""

from __future__ import annotations

from eduplan.db.engine import SessionFactory
from eduplan.services.compare import views as v
from eduplan.services.compare.loading import Selection, load_corpus
from eduplan.services.compare.queries import cell_of, consistency_of, matrix_of, targets_of, year_changes

MAX_EXPORT_PLANS = 300
"""Plans one workbook holds at most (300 plans: 12,000 task rows, about 12 s to write)."""


def report(
    sessions: SessionFactory,
    selection: Selection,
    *,
    after: int | None = None,
    before: int | None = None,
    secondary: bool = False,
) -> v.ComparisonReport:
    """The comparison of the selected plans; with `after` (and optionally `before`) also that year's changes."""
    corpus = load_corpus(sessions, selection, MAX_EXPORT_PLANS)
    m = matrix_of(corpus, secondary=secondary)
    return v.ComparisonReport(
        matrix=m,
        cells=[cell_of(corpus, t.id, secondary=secondary) for t in m.topics],
        targets=targets_of(corpus),
        consistency=[consistency_of(corpus, key) for key in corpus.plans],
        changes=year_changes(sessions, after, before) if after is not None else None,
    )
