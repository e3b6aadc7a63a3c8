"""Plans, their versions and the source documents they were read from.

A `Plan` is one planning document of one organisation across its editions (same kind and year or
period, same or similar title); each imported edition is a `PlanVersion` holding the plan-level
metadata of that edition and pointing at the `SourceDocument` it was parsed from (original bytes,
sha256, file name, the normalized lines for linking a task to its paragraph).  Versions are
immutable once written: a revision is a new version, so a version's Plan JSON is kept beside it.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from eduplan.db.base import Base
from eduplan.db.orgs import Organisation


class SourceDocument(Base):
    """An imported file exactly as received; `sha256` makes a second import of the same bytes a no-op."""

    __tablename__ = "source_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(500))
    media_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int]
    content: Mapped[bytes] = mapped_column(LargeBinary)
    lines: Mapped[list[str]] = mapped_column(JSON)
    imported_at: Mapped[datetime]


class Plan(Base):
    """A plan of an organisation across its editions (规划 / 工作要点)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    org_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="RESTRICT"), index=True)
    title: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int | None]
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    created_at: Mapped[datetime]

    organisation: Mapped[Organisation] = relationship()
    versions: Mapped[list[PlanVersion]] = relationship(
        back_populates="plan", order_by="PlanVersion.number", cascade="all, delete-orphan"
    )


class PlanVersion(Base):
    """One edition of a plan: its metadata as parsed, and the document it came from."""

    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    document_id: Mapped[int] = mapped_column(
        ForeignKey("source_documents.id", ondelete="RESTRICT"), unique=True
    )
    title: Mapped[str] = mapped_column(String(500))
    place: Mapped[str | None] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int | None]
    period_start: Mapped[int | None]
    period_end: Mapped[int | None]
    issuer: Mapped[list[str]] = mapped_column(JSON)
    doc_number: Mapped[str | None] = mapped_column(String(200))
    issued_on: Mapped[date | None]
    toc: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    warnings: Mapped[list[str]] = mapped_column(JSON)
    fingerprint: Mapped[str] = mapped_column(String(64))
    imported_at: Mapped[datetime]
    plan_json: Mapped[str | None] = mapped_column(Text, deferred=True)
    """The Plan JSON as served, written at import (versions never change); None for versions
    imported before revision 0002, whose document is rebuilt from their rows."""

    plan: Mapped[Plan] = relationship(back_populates="versions")
    document: Mapped[SourceDocument] = relationship()


class NumberedPassage:
    """The columns of a numbered passage of a plan's text (a chapter, a sub-item): its place among
    its siblings, its number as printed (一、, （1）), title, text and source line.

    A mixin: its columns follow the class's own, where the migrations put them."""

    position: Mapped[int]
    number: Mapped[str] = mapped_column(String(40))
    title: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    line: Mapped[int | None]


class Chapter(NumberedPassage, Base):
    """A top-level section (一、…) of a plan version."""

    __tablename__ = "chapters"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("plan_versions.id", ondelete="CASCADE"), index=True)
