"""Progress reports (进展报送): one per work item, responsible unit and reporting cycle.

A report goes draft → submitted → accepted, or back to `returned` for revision and submitted again;
`first_submitted_at` decides whether it came in on time.  Actual values of the item's targets and
evidence files (stored on disk under the data directory by sha256) hang off the report.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base
from eduplan.db.versioned import Versioned
from eduplan.db.work import ItemRow


class ProgressReport(ItemRow, Versioned, Base):
    """What a unit reports for one cycle: status, percent done, narrative, target actuals."""

    __tablename__ = "progress_reports"
    __table_args__ = (UniqueConstraint("item_id", "unit_id", "cycle"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"), index=True)
    cycle: Mapped[int]
    state: Mapped[str] = mapped_column(String(20))
    progress: Mapped[str] = mapped_column(String(20))
    percent: Mapped[float]
    narrative: Mapped[str] = mapped_column(Text)
    review_note: Mapped[str | None] = mapped_column(Text)
    first_submitted_at: Mapped[datetime | None]

    values: Mapped[list[ReportValue]] = relationship(order_by="ReportValue.id", cascade="all, delete-orphan")
    evidence: Mapped[list[EvidenceFile]] = relationship(order_by="EvidenceFile.id")


class ReportValue(Base):
    """The actual value of one of the item's targets, as reported."""

    __tablename__ = "report_values"
    __table_args__ = (
        UniqueConstraint("report_id", "target_id"),
        # covering: the dashboard reads the latest reports' values by report id, index only
        Index("ix_report_values_dashboard", "report_id", "target_id", "actual"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("item_targets.id", ondelete="CASCADE"), index=True)
    actual: Mapped[float]


class EvidenceFile(Base):
    """A file attached to a report or to a rectification (整改) — one of the two; the bytes live at
    ``<data_dir>/evidence/<sha256[:2]>/<sha256>``."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="CASCADE"), index=True
    )
    rectification_id: Mapped[int | None] = mapped_column(
        ForeignKey("rectifications.id", ondelete="CASCADE"), index=True
    )
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    uploaded_by: Mapped[str] = mapped_column(String(100))
    uploaded_at: Mapped[datetime]
