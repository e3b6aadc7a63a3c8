"""The columns of a row that people edit under optimistic locking: its `version` (SQLAlchemy's
version counter: an UPDATE of a stale version changes nothing and raises `StaleDataError`), and who
changed it last and when.

A mixin, so that every edited row (schedules, work items, reports, rubrics, assessments, urges,
rectifications) locks and records alike.  It adds the three columns after the class's own, where
the migrations put them; it changes no schema.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column


class Versioned:
    """Mixed into a model before `Base`: ``class Urge(Versioned, Base)``."""

    version: Mapped[int]
    updated_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime]

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        return {"version_id_col": cls.version}
