"""Use case: make a database ready to serve — the data directory, the schema at the latest revision,
and the dashboard's derived tables (report_slots, rollups) built, late reports counted in the
deployment's zone.  Migrations only shape tables; derived data is built here with the live rules.

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
    from eduplan.services.loop import report_slots
    from eduplan.services.tracking.rollups import ensure_zone, stored_zone

    if settings.is_sqlite:
        settings.ensure_data_dir()
    engine = make_engine(settings.database_url)
    try:
        upgrade(engine)
        with engine.begin() as conn:  # the dashboard's late counts in this deployment's zone
            if stored_zone(conn) is None:  # upgraded through 0006/0008: the summaries are not built yet
                report_slots.rebuild(conn)
            ensure_zone(conn, settings.timezone)
    finally:
        engine.dispose()
