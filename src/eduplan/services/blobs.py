"""Stored files in the database (issue 17: nothing a request needs on one server's disk).

`put` writes bytes once per sha256, in chunks of `CHUNK_BYTES` rows, inside the caller's
transaction: an evidence row and its bytes commit together, and a failed upload leaves neither.
Two processes storing the same bytes at once are ordered by the primary key (``INSERT … ON
CONFLICT DO NOTHING``: the second waits for the first, then finds the blob).  `get` reads them
back; files stored on disk by eduplan before revision 0014 (``<data_dir>/evidence/…``) are read
from there when the database has no blob of that hash.  `release` deletes a blob nothing refers
to any more (a discarded draft's source).

`sessions_for(settings)` is a session factory on the settings' database for the services that are
given settings only (the import drafts): one engine per database URL and process, made on first use.
Limits: a blob is read whole into memory (evidence ≤ `evidence_max_bytes`, uploads ≤
`max_upload_bytes`); PostgreSQL large objects would stream, but are not in SQLite.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from pathlib import Path

from sqlalchemy import delete, exists, select
from sqlalchemy import insert as insert_rows
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.adhoc import AdhocItem
from eduplan.db.blobs import CHUNK_BYTES, Blob, BlobChunk, ImportDraft, StagedFile
from eduplan.db.engine import SessionFactory, make_engine, make_session_factory
from eduplan.db.reports import EvidenceFile
from eduplan.services.clock import utcnow

_MAX_ENGINES = 8
_factories: OrderedDict[str, SessionFactory] = OrderedDict()
_lock = threading.Lock()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def put(session: Session, data: bytes, sha256: str | None = None) -> str:
    """Store `data` (once per content) in the caller's transaction; its sha256."""
    sha = sha256 or sha256_of(data)
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    created = session.scalar(
        insert(Blob)
        .values(sha256=sha, size=len(data), created_at=utcnow())
        .on_conflict_do_nothing(index_elements=["sha256"])
        .returning(Blob.sha256)
    )  # rowcount is not reliable here (psycopg gives -1): RETURNING says whether this call made it
    if created is not None:
        chunks = [
            {"sha256": sha, "seq": n, "data": data[start : start + CHUNK_BYTES]}
            for n, start in enumerate(range(0, max(len(data), 1), CHUNK_BYTES))
        ]
        session.execute(insert_rows(BlobChunk), chunks)
    return sha


def legacy_path(settings: Settings, sha256: str) -> Path:
    """Where eduplan kept an evidence file before its bytes moved into the database."""
    return settings.data_dir / "evidence" / sha256[:2] / sha256


def get(session: Session, sha256: str, settings: Settings | None = None) -> bytes | None:
    """The bytes stored under `sha256`, or None (after looking on disk for a pre-0014 file)."""
    parts = session.scalars(
        select(BlobChunk.data).where(BlobChunk.sha256 == sha256).order_by(BlobChunk.seq)
    ).all()
    if parts:
        return b"".join(parts)
    if settings is not None and len(sha256) == 64 and sha256.isalnum():
        path = legacy_path(settings, sha256)
        if path.is_file():
            return path.read_bytes()
    return None


def release(session: Session, sha256: str) -> bool:
    """Delete the blob when no evidence file, draft, staged file or 交办 attachment refers to it; whether it was deleted."""
    used = session.scalar(
        select(
            exists().where(EvidenceFile.sha256 == sha256)
            | exists().where(ImportDraft.source_sha256 == sha256)
            | exists().where(StagedFile.sha256 == sha256)
            | exists().where(AdhocItem.attachment_sha256 == sha256)
        )
    )
    if used:
        return False
    session.execute(delete(BlobChunk).where(BlobChunk.sha256 == sha256))
    return session.scalar(delete(Blob).where(Blob.sha256 == sha256).returning(Blob.sha256)) is not None


def sessions_for(settings: Settings) -> SessionFactory:
    """Sessions on the settings' database, one engine per URL in this process."""
    url = settings.database_url
    with _lock:
        found = _factories.get(url)
        if found is not None:
            _factories.move_to_end(url)
            return found
        factory = make_session_factory(make_engine(url, pool_pre_ping=True))
        _factories[url] = factory
        while len(_factories) > _MAX_ENGINES:
            _url, old = _factories.popitem(last=False)
            bind = old.kw.get("bind")
            if bind is not None:
                bind.dispose()
        return factory
