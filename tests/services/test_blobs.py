"""Stored files as database rows (services/blobs.py), on SQLite and PostgreSQL: a large file comes
back whole from its chunks, the same bytes stored at once by two threads are one blob, a blob a
draft or evidence still uses is kept, a file from before revision 0014 is still read from disk,
and a backup of a registry whose evidence and drafts are rows restores them with the database."""

from __future__ import annotations

import hashlib
import os
import threading
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from tests.conftest import TEST_ARGON2, Server

from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.blobs import CHUNK_BYTES, Blob, BlobChunk
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import blobs, drafts, loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.backup import make_backup, restore_backup
from eduplan.services.loop import ReportInput

PDF = b"%PDF-1.4\n" + os.urandom(64) + b"\n%%EOF\n"


def _jichu(world: World) -> Principal:
    return Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )


def _report(sessions: SessionFactory, world: World, jichu: Principal) -> tracking.views.ReportView:
    unit = world.units["基础教育科"]
    return loop.save_report(
        sessions, jichu, world.items["1"], unit, 4, ReportInput(), None, date(2024, 5, 10)
    )


def test_a_large_file_is_stored_in_chunks_and_read_back_whole(sessions: SessionFactory) -> None:
    data = os.urandom(2 * CHUNK_BYTES + 12345)
    with sessions.begin() as session:
        sha = blobs.put(session, data)
    with sessions() as session:
        chunks = session.scalar(select(func.count()).select_from(BlobChunk).where(BlobChunk.sha256 == sha))
        assert chunks == 3 and blobs.get(session, sha) == data and sha == hashlib.sha256(data).hexdigest()
        assert blobs.get(session, "0" * 64) is None


def test_the_same_bytes_stored_at_once_are_one_blob(sessions: SessionFactory) -> None:
    start = threading.Barrier(4)
    failures: list[BaseException] = []

    def store() -> None:
        try:
            start.wait()
            with sessions.begin() as session:
                blobs.put(session, PDF)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=store) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(Blob)) == 1
        assert blobs.get(session, hashlib.sha256(PDF).hexdigest()) == PDF


def test_a_blob_in_use_is_kept_and_an_unused_one_released(
    sessions: SessionFactory, settings: Settings, world: World
) -> None:
    jichu = _jichu(world)
    report = _report(sessions, world, jichu)
    evidence = loop.add_evidence(sessions, settings, jichu, report.id, "进展.pdf", PDF)
    with sessions.begin() as session:
        lone = blobs.put(session, b"nobody uses this")
    with sessions.begin() as session:
        assert not blobs.release(session, evidence.sha256) and blobs.release(session, lone)
    assert loop.open_evidence(sessions, settings, jichu, evidence.id).data == PDF


def test_a_file_stored_on_disk_before_0014_is_still_read(
    sessions: SessionFactory, settings: Settings
) -> None:
    sha = hashlib.sha256(PDF).hexdigest()
    legacy = blobs.legacy_path(settings, sha)
    legacy.parent.mkdir(parents=True)
    legacy.write_bytes(PDF)
    with sessions() as session:
        assert blobs.get(session, sha, settings) == PDF and blobs.get(session, sha) is None


def test_a_backup_restores_evidence_and_drafts_kept_as_rows(
    sessions: SessionFactory, settings: Settings, world: World, server: Server, tmp_path: Path
) -> None:
    jichu = _jichu(world)
    report = _report(sessions, world, jichu)
    evidence = loop.add_evidence(sessions, settings, jichu, report.id, "进展.pdf", PDF)
    system = Principal.system()
    draft = drafts.create_draft(
        settings, system, "示例市2025年教育工作要点\n一、总则\n1.推进学校建设。\n".encode(), "要点.txt"
    )
    drafts.wait_parsed(settings, system, draft.id, 10)
    archive = make_backup(settings, tmp_path / "b.tar.gz").path
    url = "" if server.name == "sqlite" else server.make_empty()
    target = Settings(database_url=url, data_dir=tmp_path / "restored", **TEST_ARGON2)  # type: ignore[arg-type]
    restored = restore_backup(target, archive)
    assert restored.files == 0  # every stored file is in the database now
    engine = make_engine(target.database_url)
    try:
        again = make_session_factory(engine)
        assert loop.open_evidence(again, target, jichu, evidence.id).data == PDF
        copy = drafts.get_draft(target, system, draft.id)
        assert copy.filename == "要点.txt" and drafts._source(target, draft.id).startswith("示例市".encode())
    finally:
        engine.dispose()
