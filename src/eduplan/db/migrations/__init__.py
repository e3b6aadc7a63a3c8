"""Alembic migrations of the registry (``script_location = eduplan.db:migrations``)."""
