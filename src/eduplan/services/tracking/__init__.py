"""The implementation loop's read side (issue 18): what is computed from the record without changing
it — work items and their reports, urges and rectifications as lists, every task's status (红黄绿灯)
and each unit's completeness, the dashboard's figures, the 台账 rows and the bulletin.

Nothing here writes except the rollups (`rollups`), which the write side calls inside its own
transaction to keep the dashboard's sums in step.  Nothing here imports `services.loop`: the write
side uses the read side, never the other way round (a test walks the imports).
"""

from eduplan.services.tracking.items import get_item, item_audit, list_items
from eduplan.services.tracking.plans import get_schedule
from eduplan.services.tracking.reports import get_report, list_reports
from eduplan.services.tracking.status import item_status, plan_status
from eduplan.services.tracking.supervision import list_rectifications, list_urges

__all__ = [
    "get_item",
    "get_report",
    "get_schedule",
    "item_audit",
    "item_status",
    "list_items",
    "list_rectifications",
    "list_reports",
    "list_urges",
    "plan_status",
]
