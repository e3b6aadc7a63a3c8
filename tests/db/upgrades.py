"""What the upgrade tests (tests/db/test_upgrade_from_*.py) share: a fresh database of the test
server at the head revision, with the sample world in it, and the step down to an older revision
and back up, each checked to land where it says.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect

from eduplan.config import Settings
from eduplan.db import make_engine, make_session_factory
from eduplan.db.engine import SessionFactory
from eduplan.db.migrate import current, downgrade, head_revision, upgrade
from eduplan.samples.loop import World, build_world
from eduplan.samples.plan_text import SAMPLE_TEXT


@dataclass
class Upgraded:
    engine: Engine
    sessions: SessionFactory
    settings: Settings
    world: World


@contextmanager
def sample_world(server: Any, tmp_path: Path) -> Iterator[Upgraded]:
    """An empty database of `server` migrated to the head, with the sample world; disposed after."""
    url = server.make_empty()
    engine = make_engine(url)
    sessions = make_session_factory(engine)
    settings = Settings(
        database_url=url, data_dir=tmp_path, argon2_time_cost=1, argon2_memory_kib=64, argon2_parallelism=1
    )
    try:
        upgrade(engine)
        yield Upgraded(
            engine, sessions, settings, build_world(sessions, settings, SAMPLE_TEXT.encode("utf-8"))
        )
    finally:
        engine.dispose()


def down_to(engine: Engine, revision: str) -> None:
    """Downgrade to `revision`, and check the database says so."""
    downgrade(engine, revision)
    assert current(engine) == revision


def up_to_head(engine: Engine) -> None:
    """Upgrade to the head, and check the database says so."""
    upgrade(engine)
    assert current(engine) == head_revision()


def columns(engine: Engine, table: str) -> set[str]:
    """The column names `table` has now."""
    return {c["name"] for c in inspect(engine).get_columns(table)}
