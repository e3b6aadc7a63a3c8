"""Year-end evaluation (年终考核) of the units of a plan: the plan's scoring rubric, and each unit's
self-assessment and reviewer score beside the score computed from its reports."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base
from eduplan.db.versioned import Versioned


class EvaluationRubric(Versioned, Base):
    """Weights of completion, timeliness and target achievement, and supervision penalties."""

    __tablename__ = "evaluation_rubrics"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), unique=True)
    completion_weight: Mapped[float]
    timeliness_weight: Mapped[float]
    target_weight: Mapped[float]
    urge_penalty: Mapped[float]
    rectification_penalty: Mapped[float]
    max_penalty: Mapped[float]


class UnitAssessment(Versioned, Base):
    """A unit's self-assessment (自评) and the reviewer's score (复核) for a plan."""

    __tablename__ = "unit_assessments"
    __table_args__ = (UniqueConstraint("plan_id", "unit_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="RESTRICT"))
    self_score: Mapped[float | None]
    self_note: Mapped[str | None] = mapped_column(Text)
    reviewer_score: Mapped[float | None]
    reviewer_note: Mapped[str | None] = mapped_column(Text)
    reviewed_by: Mapped[str | None] = mapped_column(String(100))
