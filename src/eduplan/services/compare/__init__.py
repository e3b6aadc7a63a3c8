"""Comparing plans across cities and years (对标), over the registry (issue 6).

Reads (any signed-in user: the registry's plans are published documents): `matrix`, `cell`,
`similar`, `targets`, `distinctive`, `year_changes`, `consistency`, `report` (everything the xlsx
export holds), `entry_topics` and `may_correct`.  Write: `correct_topics` (office staff and administrators, in
their organisation's scope, audited).  Plans are chosen with a `Selection`.  The algorithms are
the pure functions of `eduplan.compare`; the views (`views`) are plain dataclasses the 对标 page
renders and the API returns as JSON.
"""

from eduplan.services.compare import views
from eduplan.services.compare.corrections import correct_topics, entry_topics, may_correct
from eduplan.services.compare.loading import MAX_PLANS, Selection, clear_cache
from eduplan.services.compare.queries import (
    cell,
    check_topic,
    consistency,
    distinctive,
    matrix,
    previous_plan,
    similar,
    targets,
    year_changes,
)
from eduplan.services.compare.report import report

__all__ = [
    "MAX_PLANS",
    "Selection",
    "cell",
    "check_topic",
    "clear_cache",
    "consistency",
    "correct_topics",
    "distinctive",
    "entry_topics",
    "matrix",
    "may_correct",
    "previous_plan",
    "report",
    "similar",
    "targets",
    "views",
    "year_changes",
]
