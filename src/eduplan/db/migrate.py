"""Run the registry's Alembic migrations from code: `upgrade(url)` brings a database to the head.

The migrations ship inside the package (``eduplan.db:migrations``), so no alembic.ini is needed;
`revision(message, url)` is what a developer uses to draft a new one, e.g.
``python -c "from eduplan.db.migrate import revision; revision('add x', 'sqlite:////tmp/x.db')"``
against a database already at the head; review the draft by hand (PostgreSQL too).
"""

from __future__ import annotations

from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine

SCRIPT_LOCATION = "eduplan.db:migrations"
SEARCH_PREFIXES = ("task_search",)
"""Tables the migrations create by hand (FTS5 and its shadow tables): not models."""
HEAD = "head"
MIGRATION_LOCK = 170_014
"""The PostgreSQL advisory lock key held while migrating."""


def include_object(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Alembic filter: leave out what the migrations create by hand (FTS5 tables, trigram indexes)."""
    if type_ == "table" and name and name.startswith(SEARCH_PREFIXES):
        return False
    return not (type_ == "index" and name and name.startswith("ix_trgm_"))


def alembic_config(url: str | None = None) -> Config:
    """An Alembic config for the packaged migrations, against `url` (default: `Settings`)."""
    cfg = Config()
    cfg.set_main_option("script_location", SCRIPT_LOCATION)
    if url:
        # ConfigParser interpolation would read % in a password as a placeholder.
        cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = HEAD) -> None:
    """Bring the database of `engine` to `revision` (the head by default), in one transaction."""
    cfg = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # several `eduplan serve` processes starting together: one migrates, the others wait
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


def downgrade(engine: Engine, revision: str) -> None:
    """Take the database of `engine` back to `revision` (``base`` empties it)."""
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, revision)


def current(engine: Engine) -> str | None:
    """The revision the database of `engine` is at, or None for an unmigrated database."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str:
    """The newest revision the packaged migrations reach."""
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def revision(message: str, url: str) -> None:
    """Autogenerate a new revision against the database at `url` (developers only; review it by hand)."""
    command.revision(alembic_config(url), message=message, autogenerate=True)
