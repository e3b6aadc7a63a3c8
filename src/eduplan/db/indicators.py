"""Indicator tables (主要指标) of a plan version: rows with their values by year.

A value's `key` is the year column as the table names it ("2020", "2025"); `year` is that key as a
number when it is one, for queries across plans.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base


class IndicatorTable(Base):
    """A table of indicators, with its header as printed and the 专栏 it stands in, if any."""

    __tablename__ = "indicator_tables"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    column: Mapped[int | None]
    header: Mapped[list[Any]] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)

    rows: Mapped[list[IndicatorRow]] = relationship(order_by="IndicatorRow.position")


class IndicatorRow(Base):
    """One indicator: label, group, unit, 预期性/约束性."""

    __tablename__ = "indicator_rows"

    id: Mapped[int] = mapped_column(primary_key=True)
    table_id: Mapped[int] = mapped_column(ForeignKey("indicator_tables.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    label: Mapped[str] = mapped_column(Text)
    group: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(40))
    attribute: Mapped[str | None] = mapped_column(String(40))

    values: Mapped[list[IndicatorValue]] = relationship(order_by="IndicatorValue.position")


class IndicatorValue(Base):
    """The value of an indicator for one year column (None where the table leaves it blank)."""

    __tablename__ = "indicator_values"

    id: Mapped[int] = mapped_column(primary_key=True)
    row_id: Mapped[int] = mapped_column(ForeignKey("indicator_rows.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    key: Mapped[str] = mapped_column(String(40))
    year: Mapped[int | None] = mapped_column(index=True)
    value: Mapped[float | None]
