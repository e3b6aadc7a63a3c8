"""Stored files as database rows, so that every `eduplan serve` process sees them (issue 17).

A `Blob` is a file's bytes, keyed by their sha256 and cut into `BlobChunk` rows of at most
`CHUNK_BYTES` (a 20 MB evidence file is 20 rows, never one huge value in memory on the server);
the same bytes stored twice are one blob.  An `ImportDraft` is an upload being checked before
import (导入草稿): its state and parse results as JSON, its corrections with a revision counter (a
save is a compare-and-swap on it), and its source as a blob.  Both live in the database, so they
are in every backup (`pg_dump`, SQLite's online backup) with nothing beside it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from eduplan.db.base import Base

CHUNK_BYTES = 1024 * 1024


class Blob(Base):
    """The bytes of one stored file (an evidence file, a draft's source), by content."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]


class BlobChunk(Base):
    """One piece of a blob, in order of `seq`."""

    __tablename__ = "blob_chunks"

    sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class ImportDraft(Base):
    """An uploaded document kept until staff confirm or discard it (see `services.drafts`)."""

    __tablename__ = "import_drafts"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int | None]
    username: Mapped[str] = mapped_column(String(100))
    expires_at: Mapped[datetime] = mapped_column(index=True)
    source_sha256: Mapped[str] = mapped_column(ForeignKey("blobs.sha256", ondelete="RESTRICT"), index=True)
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    corrections: Mapped[dict[str, Any]] = mapped_column(JSON)
    revision: Mapped[int]
    plans: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    plan: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    doubts: Mapped[list[Any] | None] = mapped_column(JSON)
    lines: Mapped[list[str] | None] = mapped_column(JSON, deferred=True)
    """The document's normalized lines as the parse read them (the import stores them; never read twice)."""


class StagedFile(Base):
    """An upload or a form kept for one person between two requests (暂存): a 台账 between its
    preview and its confirmation, a 填报模板 likewise, evidence files chosen for a row that could not
    be saved yet, a form typed when the session ended.  `kind` says which; the bytes, if any, are a
    blob; `meta` is what the feature keeps beside them.  Swept once expired (`services.staging`)."""

    __tablename__ = "staged_files"

    token: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    user_id: Mapped[int | None]
    name: Mapped[str] = mapped_column(String(500))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON)
    sha256: Mapped[str | None] = mapped_column(ForeignKey("blobs.sha256", ondelete="RESTRICT"), index=True)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
