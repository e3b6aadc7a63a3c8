"""Organisations (省 → 市 → 县区 → 学校) and their units (科室, 直属单位) with aliases.

An organisation is an education authority or school named by its place (常州市 stands for 常州市教育局);
`path` (江苏省/常州市) makes it unique, since place names repeat across China (朝阳区).  A unit
belongs to one organisation and is found by any of its aliases' keys, so that 教师进修学院 and
市教师进修学院, or 市招办（市教育发展服务中心） and 市教育发展服务中心, are one unit.
"""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base


class Organisation(Base):
    """An education authority (教育局) or school, in the 省 → 市 → 县区 → 学校 tree."""

    __tablename__ = "organisations"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    level: Mapped[str] = mapped_column(String(20))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisations.id", ondelete="RESTRICT"), index=True
    )
    path: Mapped[str] = mapped_column(String(600), unique=True)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id])
    units: Mapped[list[Unit]] = relationship(back_populates="organisation", order_by="Unit.id")


class Unit(Base):
    """A unit of an organisation (科室, 直属单位): what 责任单位 names."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))

    organisation: Mapped[Organisation] = relationship(back_populates="units")
    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit", order_by="UnitAlias.id", cascade="all, delete-orphan"
    )


class UnitAlias(Base):
    """Another name of a unit; `key` is the normalized form looked up (unique per organisation)."""

    __tablename__ = "unit_aliases"
    __table_args__ = (UniqueConstraint("org_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(200))
    key: Mapped[str] = mapped_column(String(200))

    unit: Mapped[Unit] = relationship(back_populates="aliases")
