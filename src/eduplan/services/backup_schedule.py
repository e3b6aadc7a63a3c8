"""Scheduled backups inside `eduplan serve`: a daemon thread that writes an archive (`backup`) every
`backup_hours` into `backup_dir` (default ``<data_dir>/backups``) and keeps the newest `backup_keep`.

Turn it on in one server process only (several processes behind a proxy would each write one);
`eduplan backup` from cron does the same job from outside.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from eduplan.config import Settings
from eduplan.services.backup import BACKUPS_DIR, BackupError, backup_name, make_backup, prune_backups
from eduplan.services.periodic import Periodic

log = logging.getLogger("eduplan.backup")


def backup_folder(settings: Settings) -> Path:
    """Where scheduled backups go."""
    return settings.backup_dir or settings.data_dir / BACKUPS_DIR


def scheduled_backup(settings: Settings, now: datetime | None = None) -> Path | None:
    """Write one backup into the backup folder and prune it; the archive, or None when it failed."""
    now = now or datetime.now()
    folder = backup_folder(settings)
    try:
        result = make_backup(settings, folder / backup_name(now), now)
    except (BackupError, OSError) as exc:  # logged; the next tick tries again
        log.error("scheduled backup failed: %s", exc)
        return None
    prune_backups(folder, settings.backup_keep)
    log.info("backup written: %s (%d files)", result.path, result.files)
    return result.path


class BackupSchedule(Periodic):
    """Writes a backup every `settings.backup_hours` until stopped (the first one after one period)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__("eduplan-backup", settings.backup_hours * 3600, at_start=False)
        self.settings = settings

    def tick(self) -> None:
        scheduled_backup(self.settings)
