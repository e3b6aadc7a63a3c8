"""Registry database fixtures (tests/db, tests/services, tests/web): a migrated database per test.

`engine` is parametrized over SQLite and PostgreSQL.  SQLite: each test gets a copy of a database
file migrated once per session.  PostgreSQL (only when ``EDUPLAN_TEST_POSTGRES_URL`` is set and the
server answers): a database with a UTF-8 aware ``LC_CTYPE`` (needed by pg_trgm for Chinese) is
created and migrated once per session, emptied before each test, and dropped at the end.
Nothing here is autouse: tests that do not ask for a database do not get one.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url

from eduplan.config import Settings
from eduplan.db import Base, make_engine, make_session_factory
from eduplan.db.engine import SessionFactory
from eduplan.db.migrate import upgrade
from eduplan.samples.loop import World, build_world
from eduplan.samples.plan_text import sample_lines

POSTGRES_ENV = "EDUPLAN_TEST_POSTGRES_URL"
CHANGED_BODY = "深化集团化办学，新组建教育集团8个，9月底前完成省级督导评估申报。"
NEW_ITEM = "11.建设家校社协同育人机制。成立市级家庭教育指导中心，年内开展家长学校培训不少于200场。"


def revised_lines() -> list[str]:
    """The sample plan revised: item 3 reworded, item 11 replaced by a different task."""
    lines = sample_lines()
    for i, line in enumerate(lines):
        if line.startswith("3."):
            lines[i] = "3.促进义务教育优质均衡发展。" + CHANGED_BODY
        elif line.startswith("11."):
            lines[i] = NEW_ITEM
    return lines


def as_bytes(lines: list[str]) -> bytes:
    """A plain-text document of `lines`."""
    return ("\n".join(lines) + "\n").encode("utf-8")


@dataclass
class Server:
    """Where test databases of one backend are made."""

    name: str
    make_empty: Callable[[], str]
    drop_all: Callable[[], None]


def postgres_admin() -> tuple[Engine, str] | str:
    """An autocommit engine on the server of EDUPLAN_TEST_POSTGRES_URL, or why there is none."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return f"{POSTGRES_ENV} is not set (e.g. postgresql://postgres@127.0.0.1:5432/postgres)"
    engine = make_engine(url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as exc:
        engine.dispose()
        return f"PostgreSQL at {POSTGRES_ENV} is unreachable: {type(exc).__name__}: {exc}"
    return engine, url


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    if request.param == "sqlite":
        folder = tmp_path_factory.mktemp("sqlite")
        yield Server("sqlite", lambda: f"sqlite:///{folder / (uuid.uuid4().hex + '.db')}", lambda: None)
        return
    admin = postgres_admin()
    if isinstance(admin, str):
        pytest.skip(admin)
    engine, url = admin
    created: list[str] = []
    base = make_engine(url).url

    def make_empty() -> str:
        name = f"eduplan_test_{uuid.uuid4().hex[:12]}"
        with engine.connect() as conn:
            conn.execute(
                text(
                    f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_CTYPE 'C.UTF-8' LC_COLLATE 'C.UTF-8'"
                )
            )
        created.append(name)
        return base.set(database=name).render_as_string(hide_password=False)

    def drop_all() -> None:
        with engine.connect() as conn:
            for name in created:
                conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        engine.dispose()

    server = Server("postgresql", make_empty, drop_all)
    yield server
    server.drop_all()


@pytest.fixture(scope="session")
def migrated_url(server: Server, tmp_path_factory: pytest.TempPathFactory) -> str:
    """A database of `server` at the head revision, made once per session."""
    url = server.make_empty()
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def engine(server: Server, migrated_url: str, tmp_path: Path) -> Iterator[Engine]:
    """An engine on a migrated, empty database of its own (SQLite) or emptied for this test (PostgreSQL)."""
    if server.name == "sqlite":
        source = Path(make_url(migrated_url).database or "")
        target = tmp_path / "registry.db"
        shutil.copyfile(source, target)
        eng = make_engine(f"sqlite:///{target}")
    else:
        eng = make_engine(migrated_url)
        tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
        with eng.begin() as conn:
            conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield eng
    eng.dispose()


@pytest.fixture
def sessions(engine: Engine) -> SessionFactory:
    return make_session_factory(engine)


@pytest.fixture
def sample_bytes() -> bytes:
    """The sample 示例市 plan as a UTF-8 text file."""
    return as_bytes(sample_lines())


@pytest.fixture
def revised_plan_lines() -> list[str]:
    """The lines of the revised edition."""
    return revised_lines()


@pytest.fixture
def revised_bytes() -> bytes:
    """A revised edition of the sample plan (one task changed, one replaced)."""
    return as_bytes(revised_lines())


TEST_ARGON2 = {"argon2_time_cost": 1, "argon2_memory_kib": 64, "argon2_parallelism": 1}
"""argon2id at its cheapest: the tests hash dozens of passwords."""


@pytest.fixture
def settings(engine: Engine, tmp_path: Path) -> Settings:
    """Settings on the test's database, data under tmp_path, cheap password hashing."""
    return Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        data_dir=tmp_path / "data",
        max_upload_bytes=200_000,
        **TEST_ARGON2,  # type: ignore[arg-type]
    )


@pytest.fixture
def world(sessions: SessionFactory, settings: Settings, sample_bytes: bytes) -> World:
    """The sample plans opened for monthly reporting, with one account per role (see samples.loop)."""
    return build_world(sessions, settings, sample_bytes)
