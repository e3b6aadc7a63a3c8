"""The registry's storage: SQLAlchemy 2 models, engine and sessions, Alembic migrations beside them.

Importing `eduplan.db` loads every model module so that `Base.metadata` is complete (for Alembic and
the tests); it opens no connection and creates nothing.
"""

from eduplan.db import (
    accounts,
    adhoc,
    archive,
    audit,
    blobs,
    comments,
    evaluation,
    indicators,
    instructions,
    life,
    notifications,
    orgs,
    outbound,
    plans,
    projects,
    report_slots,
    reports,
    rollups,
    supervision,
    targets,
    tasks,
    topics,
    work,
)
from eduplan.db.base import Base
from eduplan.db.engine import SessionFactory, make_engine, make_session_factory

__all__ = [
    "Base",
    "SessionFactory",
    "accounts",
    "adhoc",
    "archive",
    "audit",
    "blobs",
    "comments",
    "evaluation",
    "indicators",
    "instructions",
    "life",
    "make_engine",
    "make_session_factory",
    "notifications",
    "orgs",
    "outbound",
    "plans",
    "projects",
    "report_slots",
    "reports",
    "rollups",
    "supervision",
    "targets",
    "tasks",
    "topics",
    "work",
]
