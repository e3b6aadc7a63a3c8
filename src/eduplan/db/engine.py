"""`make_engine(url)` and the session factory.

SQLite connections get WAL journaling, enforced foreign keys and a busy timeout on every connect
(pragmas are per connection, so a connect event sets them).  A ``postgresql://`` URL is read as
psycopg 3 (``postgresql+psycopg://``), the driver eduplan installs.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

SessionFactory = sessionmaker[Session]


def normalize_url(url: str) -> str:
    """The URL with the psycopg 3 driver named for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL, or None for in-memory and non-SQLite URLs."""
    u = make_url(normalize_url(url))
    if u.get_backend_name() != "sqlite" or not u.database or u.database == ":memory:":
        return None
    return Path(u.database)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
    finally:
        cursor.close()


def make_engine(url: str, *, create_dir: bool = True, **kwargs: Any) -> Engine:
    """An engine for `url`; for a SQLite file its directory is created unless `create_dir` is False."""
    url = normalize_url(url)
    path = sqlite_file(url)
    if path is not None and create_dir:
        path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> SessionFactory:
    """Sessions bound to `engine`; objects stay readable after commit (results outlive the session)."""
    return sessionmaker(engine, expire_on_commit=False)
