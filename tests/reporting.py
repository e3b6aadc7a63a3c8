"""A unit's reporter saving (and submitting) the reports of their own unit, for tests that need
reports on file before they look at what the services make of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from eduplan.db.engine import SessionFactory
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput
from eduplan.services.tracking.views import ReportView


@dataclass(frozen=True)
class OwnReports:
    """`who`'s reports of their own unit, written as of `today`."""

    sessions: SessionFactory
    who: Principal
    today: date

    def save(self, item: int, cycle: int, data: ReportInput, version: int | None = None) -> ReportView:
        """Save the report of `item` for `cycle` (a new draft when `version` is None)."""
        unit = self.who.unit_id or 0
        return loop.save_report(self.sessions, self.who, item, unit, cycle, data, version, self.today)

    def file(
        self, item: int, cycle: int, data: ReportInput, submitted_at: datetime | None = None
    ) -> ReportView:
        """Save a new report of `item` for `cycle` and submit it (at `submitted_at`, or now)."""
        draft = self.save(item, cycle, data)
        return loop.submit_report(self.sessions, self.who, draft.id, draft.version, now=submitted_at)
