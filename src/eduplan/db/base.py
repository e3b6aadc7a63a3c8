"""The declarative base: one `MetaData` with a naming convention, so migrations name constraints alike
on SQLite and PostgreSQL (batch mode on SQLite needs named constraints to alter them)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, MetaData
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """Base class of every model."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    # The column type of a plain annotation, in one place: every moment is stored with its zone, and
    # a number is the database's FLOAT (SQLAlchemy 2.1 would make `float` a DOUBLE).
    type_annotation_map: dict[Any, Any] = {datetime: DateTime(timezone=True), float: Float()}  # noqa: RUF012
