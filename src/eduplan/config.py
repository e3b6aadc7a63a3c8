"""Settings of eduplan, read from the environment (``EDUPLAN_*``) by pydantic-settings.

Nothing is created at import time: `Settings()` only reads values, and `Settings.ensure_data_dir()`
makes the data directory when a command that needs it (``eduplan serve``, ``eduplan import``) runs.
The database defaults to a SQLite file ``eduplan.db`` under ``EDUPLAN_DATA_DIR`` (``./data``);
``EDUPLAN_DATABASE_URL`` selects another one, e.g. ``postgresql://user@host/eduplan``.
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DB_NAME = "eduplan.db"


class Settings(BaseSettings):
    """Where the registry lives and how much an upload may weigh."""

    model_config = SettingsConfigDict(env_prefix="EDUPLAN_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Directory of the default SQLite database.")
    database_url: str = Field(
        default="",
        description="SQLAlchemy URL; empty means sqlite:///<data_dir>/eduplan.db.",
    )
    request_threads: int = Field(
        default=4, ge=1, le=64, description="Threads running the API's database work in `eduplan serve`."
    )
    max_upload_bytes: int = Field(
        default=50 * 1024 * 1024, gt=0, description="Largest document accepted by the import endpoint."
    )

    @model_validator(mode="after")
    def _default_database(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / DEFAULT_DB_NAME}"
        return self

    @property
    def is_sqlite(self) -> bool:
        """Whether the registry is the embedded SQLite file (or another SQLite database)."""
        return self.database_url.startswith("sqlite")

    def ensure_data_dir(self) -> Path:
        """Create the data directory (for the default SQLite file) and return it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        return self.data_dir
