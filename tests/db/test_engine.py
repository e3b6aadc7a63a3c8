"""Engine and settings: SQLite pragmas on every connection, URL handling, nothing made at import."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from eduplan.config import Settings
from eduplan.db.engine import make_engine, normalize_url, sqlite_file


def test_sqlite_connections_get_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
    assert (tmp_path / "sub" / "x.db").exists()


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("postgresql://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgres://u@h/db", "postgresql+psycopg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite:///x.db", "sqlite:///x.db"),
    ],
)
def test_postgres_urls_use_psycopg3(url: str, expected: str) -> None:
    assert normalize_url(url) == expected


def test_sqlite_file_of_urls() -> None:
    assert sqlite_file("sqlite:///data/eduplan.db") == Path("data/eduplan.db")
    assert sqlite_file("sqlite://") is None
    assert sqlite_file("postgresql://u@h/db") is None


def test_settings_default_to_sqlite_under_data_dir_without_creating_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("EDUPLAN_DATABASE_URL", raising=False)
    monkeypatch.setenv("EDUPLAN_DATA_DIR", str(tmp_path / "d"))
    settings = Settings()
    assert settings.database_url == f"sqlite:///{tmp_path / 'd' / 'eduplan.db'}"
    assert settings.is_sqlite
    assert not (tmp_path / "d").exists()
    settings.ensure_data_dir()
    assert (tmp_path / "d").is_dir()


def test_settings_take_the_database_url_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUPLAN_DATABASE_URL", "postgresql://u@h/db")
    assert Settings().database_url == "postgresql://u@h/db"
    assert not Settings().is_sqlite
