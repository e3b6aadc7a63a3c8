"""Staged files (services.staging): what one person's next request needs back is a database row that
any server process can read, given only to its owner and only until it expires (SQLite and PostgreSQL)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from eduplan.config import Settings
from eduplan.db.blobs import Blob, StagedFile
from eduplan.db.engine import SessionFactory
from eduplan.services import held_files, kept_forms, staging
from eduplan.services.clock import utcnow


def test_a_staged_file_comes_back_to_its_owner_only(settings: Settings, sessions: SessionFactory) -> None:
    token = staging.stage(settings, "ledger", 7, data=b"PK\x03\x04 ledger", name="台账.xlsx", meta={"a": 1})
    found = staging.fetch(settings, "ledger", token, 7)
    assert found is not None and (found.name, found.meta, found.data) == (
        "台账.xlsx",
        {"a": 1},
        b"PK\x03\x04 ledger",
    )
    assert staging.fetch(settings, "ledger", token, 8) is None  # another person
    assert staging.fetch(settings, "held", token, 7) is None  # another feature
    assert staging.fetch(settings, "ledger", "../../etc/passwd", 7) is None
    assert not (settings.data_dir / "ledger-uploads").exists()  # nothing on this server's disk
    staging.drop(settings, "ledger", token, 7)
    assert staging.fetch(settings, "ledger", token, 7) is None
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Blob)) == 0  # its bytes went with it


def test_expired_rows_are_never_given_and_are_swept_with_their_bytes(
    settings: Settings, sessions: SessionFactory
) -> None:
    old = staging.stage(settings, "held", 1, data=b"old evidence", name="a.pdf")
    with sessions.begin() as s:
        s.get(StagedFile, old).expires_at = utcnow() - timedelta(minutes=1)  # type: ignore[union-attr]
    assert held_files.held(settings, 1, old) is None
    staging.stage(settings, "held", 1, data=b"new evidence", name="b.pdf")  # staging sweeps
    with sessions() as s:
        assert s.get(StagedFile, old) is None
        assert s.scalar(select(func.count()).select_from(Blob)) == 1


def test_a_kept_form_without_a_known_owner_goes_to_the_next_sign_in_once(settings: Settings) -> None:
    token = kept_forms.keep(settings, None, "/my/report", [("narrative-1-4", "写了一下午的进展")])
    assert kept_forms.take(settings, token, 5, "/elsewhere") is None
    form = kept_forms.take(settings, token, 5, "/my/report")
    assert form is not None and form.fields == [("narrative-1-4", "写了一下午的进展")]
    assert kept_forms.take(settings, token, 5, "/my/report") is None  # handed back once
    mine = kept_forms.keep(settings, 3, "/my/report", [("narrative-2-4", "x")])
    assert kept_forms.take(settings, mine, 4, "/my/report") is None  # not someone else's
