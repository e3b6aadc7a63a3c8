"""The dashboard's rollups (驾驶舱汇总): per work item, and per unit × plan × organisation, what the
organisation dashboard needs of the report slots (`report_slots`) and the assignments, kept by
`services.loop.rollups` in the same transaction as every change to them, so that the dashboard of
1,000 plans reads 40,000 item rows and ~26,000 unit rows instead of every slot with its strings.

Nothing stored depends on the day the dashboard is viewed.  Per cycle index, counts are kept as
`CycleCounts` (an integer array on PostgreSQL; on SQLite fixed-width decimal digits side by side,
``COUNT_WIDTH`` or ``SUM_WIDTH`` characters a cycle), read by the dashboard at the cycle's index:

- `ItemRollup`: the item's assigned units (`slots`), whether one is still 待明确 (`pending`), the
  sum of their latest counted percents, how many are done, whether one is blocked, the 目标达成 of
  the best actual of each target (`achieved`, percent, None when nothing is measured), and how many
  slots filed each cycle (`filed`);
- `UnitRollup`: a unit's slots among one plan's active items of one organisation, per cycle how
  many of them filed (`filed`) and how many filed up to and including that cycle (`filed_upto`).

Late means first submitted after the end of the cycle's due day in the zone recorded in
`RollupZone` (the deployment's when the rollups were built).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Dialect, ForeignKey, Index, Integer, String, Text
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator, TypeEngine

from eduplan.db.base import Base

COUNT_WIDTH = 4
"""Digits per cycle of a count of slots (up to 9,999 slots in one item or one unit's plan)."""
SUM_WIDTH = 7
"""Digits per cycle of `UnitRollup.filed_upto` (slots × cycles)."""


class CycleCounts(TypeDecorator[list[int]]):
    """A count per cycle index: an integer array on PostgreSQL (read at an index in constant time;
    a substring of text walks every character before it), fixed-width digits on SQLite."""

    impl = Text
    cache_ok = True

    def __init__(self, width: int) -> None:
        super().__init__()
        self.width = width

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "postgresql":
            return dialect.type_descriptor(ARRAY(Integer))
        return dialect.type_descriptor(Text())

    def process_bind_param(self, value: list[int] | None, dialect: Dialect) -> Any:
        if value is None or dialect.name == "postgresql":
            return value
        if any(not 0 <= n < 10**self.width for n in value):  # would shift every later cycle
            raise ValueError(f"a count per cycle must have at most {self.width} digits: {value}")
        return "".join(str(n).rjust(self.width, "0") for n in value)

    def process_result_value(self, value: Any, dialect: Dialect) -> list[int] | None:
        if value is None or dialect.name == "postgresql":
            return value  # type: ignore[no-any-return]
        w = self.width
        return [int(value[k : k + w]) for k in range(0, len(value), w)]


class ItemRollup(Base):
    """One work item's assigned slots, summed."""

    __tablename__ = "item_rollups"

    item_id: Mapped[int] = mapped_column(ForeignKey("work_items.id", ondelete="CASCADE"), primary_key=True)
    slots: Mapped[int]
    pending: Mapped[bool]
    percent_sum: Mapped[float]
    done: Mapped[int]
    blocked: Mapped[bool]
    achieved: Mapped[float | None]
    filed: Mapped[list[int]] = mapped_column(CycleCounts(COUNT_WIDTH))
    late: Mapped[list[int]] = mapped_column(CycleCounts(COUNT_WIDTH))


class UnitRollup(Base):
    """One unit's slots among the active items of one plan in one organisation, summed per cycle."""

    __tablename__ = "unit_rollups"
    __table_args__ = (Index("ix_unit_rollups_plan_id_org_id", "plan_id", "org_id"),)

    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    slots: Mapped[int]
    filed: Mapped[list[int]] = mapped_column(CycleCounts(COUNT_WIDTH))
    filed_upto: Mapped[list[int]] = mapped_column(CycleCounts(SUM_WIDTH))


class RollupZone(Base):
    """The one zone the stored rollups counted late reports in (one row)."""

    __tablename__ = "rollup_zone"

    zone: Mapped[str] = mapped_column(String(64), primary_key=True)
