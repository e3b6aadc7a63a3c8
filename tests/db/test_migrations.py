"""Migrations: from an empty database to the head and back, on SQLite and PostgreSQL; the models and
the migrated schema agree; the search structures exist."""

from __future__ import annotations

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect, text

from eduplan.db import Base, make_engine
from eduplan.db.migrate import current, downgrade, head_revision, include_object, upgrade


def _fresh(server: Any) -> Engine:
    return make_engine(server.make_empty())


def test_upgrade_from_empty_reaches_head_and_matches_models(server: Any) -> None:
    engine = _fresh(server)
    try:
        assert current(engine) is None
        upgrade(engine)
        assert current(engine) == head_revision()
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include_object, "compare_type": True}
            )
            assert compare_metadata(context, Base.metadata) == []
    finally:
        engine.dispose()


def test_downgrade_to_base_empties_and_upgrade_again_works(server: Any) -> None:
    engine = _fresh(server)
    try:
        upgrade(engine)
        downgrade(engine, "base")
        assert current(engine) is None
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert current(engine) == head_revision()
    finally:
        engine.dispose()


def test_search_structures_exist(engine: Engine) -> None:
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = conn.execute(text("SELECT name FROM sqlite_master")).scalars().all()
            assert {"task_search", "task_search_ai", "task_search_ad", "task_search_au"} <= set(names)
        else:
            indexes = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'tasks'"))
            assert {"ix_trgm_tasks_title", "ix_trgm_tasks_text"} <= set(indexes.scalars())
            assert conn.execute(text("SELECT show_trgm('幼儿园')")).scalar(), "LC_CTYPE is not UTF-8 aware"
