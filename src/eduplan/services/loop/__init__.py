"""The implementation loop's write side (issue 4, issue 18): the use cases that change state — a plan
opened for reporting, its tasks assigned to units and handed down to districts, progress reports
drafted, submitted and reviewed, supervision (督办 urges and 整改 rectifications), the year-end
evaluation's rubric, self-assessment and review.

What only reads (statuses, lists, the dashboard, the 台账 rows) is in `services.tracking`; what a
page shows is assembled in `services.pages`.  Use cases take a `SessionFactory` and the acting
`Principal` and open their own transaction; everything they touch is scoped by organisation and
unit (`tracking.scope`).
"""

from eduplan.services import archive as _archive
from eduplan.services.loop.assign import AssignmentInput, set_assignments, set_deadline
from eduplan.services.loop.directory import AddedUnit, add_unit
from eduplan.services.loop.evaluation import (
    Evaluation,
    Rubric,
    UnitScore,
    evaluate,
    review,
    self_assess,
    set_rubric,
)
from eduplan.services.loop.evidence import add_evidence, open_evidence
from eduplan.services.loop.handdown import HandDownResult, hand_down
from eduplan.services.loop.plans import ScheduleInput, open_plan
from eduplan.services.loop.rectifications import (
    add_rectification_evidence,
    raise_rectification,
    sign_off,
    submit_rectification,
)
from eduplan.services.loop.reports import ReportInput, review_report, save_report, submit_report
from eduplan.services.loop.supervision import answer_urge, close_urge, escalate_overdue, issue_urge

__all__ = [
    "AddedUnit",
    "AssignmentInput",
    "Evaluation",
    "HandDownResult",
    "ReportInput",
    "Rubric",
    "ScheduleInput",
    "UnitScore",
    "add_evidence",
    "add_rectification_evidence",
    "add_unit",
    "answer_urge",
    "close_urge",
    "escalate_overdue",
    "evaluate",
    "hand_down",
    "issue_urge",
    "open_evidence",
    "open_plan",
    "raise_rectification",
    "review",
    "review_report",
    "save_report",
    "self_assess",
    "set_assignments",
    "set_deadline",
    "set_rubric",
    "sign_off",
    "submit_rectification",
    "submit_report",
]

_archive.install()  # archived years are read-only for every use case (services/archive.py)
