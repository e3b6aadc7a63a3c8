"""专栏 boxes (columns) of five-year plans and the key projects (重点项目) they list."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base


class Column(Base):
    """A 专栏 box of a plan version; `chapter` is the number of the chapter it stands in."""

    __tablename__ = "plan_columns"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    number: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    chapter: Mapped[str | None] = mapped_column(String(40))

    projects: Mapped[list[Project]] = relationship(order_by="Project.position")


class Project(Base):
    """A key project of a 专栏 box; `number` is None when the box does not number it."""

    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    column_id: Mapped[int] = mapped_column(ForeignKey("plan_columns.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    number: Mapped[str | None] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
