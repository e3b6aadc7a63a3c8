"""The implementation loop (issue 4): a plan opened for reporting, its tasks assigned to units and
handed down to districts, progress reports drafted, submitted and reviewed, supervision (督办 urges
and 整改 rectifications), every task's status and every unit's completeness computed from them, and
the year-end evaluation of the units.

Use cases take a `SessionFactory` and the acting `Principal` and open their own transaction;
everything they read is scoped by organisation and unit (`scope`).
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
from eduplan.services.loop.items import get_item, item_audit, list_items
from eduplan.services.loop.plans import ScheduleInput, get_schedule, open_plan
from eduplan.services.loop.rectifications import (
    add_rectification_evidence,
    list_rectifications,
    raise_rectification,
    sign_off,
    submit_rectification,
)
from eduplan.services.loop.reports import (
    ReportInput,
    get_report,
    list_reports,
    review_report,
    save_report,
    submit_report,
)
from eduplan.services.loop.status import item_status, plan_status
from eduplan.services.loop.supervision import (
    answer_urge,
    close_urge,
    escalate_overdue,
    issue_urge,
    list_urges,
)

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
    "get_item",
    "get_report",
    "get_schedule",
    "hand_down",
    "issue_urge",
    "item_audit",
    "item_status",
    "list_items",
    "list_rectifications",
    "list_reports",
    "list_urges",
    "open_evidence",
    "open_plan",
    "plan_status",
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
