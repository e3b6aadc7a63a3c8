"""Alembic environment: the URL comes from the Alembic config when set, else from `Settings`.

A caller may hand over an open connection in ``config.attributes["connection"]`` (the tests and
`eduplan.db.migrate.upgrade` do), so that migrations run inside its transaction.  SQLite runs in
batch mode (``render_as_batch``) because it cannot alter tables in place.  The FTS5 search table and
its shadow tables are not models, so autogenerate leaves them alone.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from eduplan.db import Base
from eduplan.db.engine import make_engine
from eduplan.db.migrate import include_object

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from eduplan.config import Settings

    return Settings().database_url


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_offline() -> None:
    """Emit SQL to stdout (``alembic upgrade head --sql``)."""
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=url.startswith("sqlite"),
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    """Run against the given connection, or a new engine for the configured URL."""
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    try:
        with engine.connect() as conn:
            _run(conn)
            conn.commit()
    finally:
        engine.dispose()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
