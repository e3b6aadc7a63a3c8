"""Use case: make a database ready to serve — the data directory, the schema at the latest revision,
and the dashboard's rollups counting late reports in the deployment's zone.

Every entry point (CLI commands, `serve`, the demo) calls this first; it lives here, below them, so
that none of them reaches up into another's module for it.
"""

from __future__ import annotations

from eduplan.config import Settings


def prepare_database(settings: Settings) -> None:
    """Create the data directory (SQLite), migrate the database to the latest revision, and have
    the dashboard's rollups count late reports in `settings`' zone (rebuilt if they were not)."""
    from eduplan.db import make_engine
    from eduplan.db.migrate import upgrade
    from eduplan.services.loop.rollups import ensure_zone

    if settings.is_sqlite:
        settings.ensure_data_dir()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:  # the dashboard's late counts in this deployment's zone
            ensure_zone(conn, settings.timezone)
    finally:
        engine.dispose()
