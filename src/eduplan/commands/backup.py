"""`eduplan backup` and `eduplan restore`: the registry's database and stored files in one archive.

Plain functions the CLI registers; they print one Chinese line and return an exit code (1 when the
backup cannot be made or the archive cannot be restored — nothing is changed then).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from eduplan.config import Settings


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{max(n // 1024, 1)} KB"


def backup_command(
    output: Path | None, settings: Settings | None = None, echo: Callable[[str], None] = print
) -> int:
    """Write one archive of the database and every stored file.

    Example: ``eduplan backup -o eduplan-备份.tar.gz``
    """
    from eduplan.services.backup import BackupError, backup_name, make_backup

    settings = settings or Settings()
    target = output or Path(backup_name(datetime.now()))
    try:
        result = make_backup(settings, target)
    except BackupError as exc:
        echo(f"错误：{exc}")
        return 1
    echo(
        f"已写出备份：{result.path}（{_size(result.size)}；数据库 {result.database}，"
        f"迁移版本 {result.revision or '无'}，文件 {result.files} 个）"
    )
    return 0


def restore_command(
    archive: Path, settings: Settings | None = None, echo: Callable[[str], None] = print
) -> int:
    """Restore an archive into an empty database and data directory.

    Example: ``EDUPLAN_DATA_DIR=/srv/eduplan eduplan restore eduplan-备份.tar.gz``
    """
    from eduplan.services.backup import BackupError, restore_backup

    settings = settings or Settings()
    try:
        result = restore_backup(settings, archive)
    except BackupError as exc:
        echo(f"错误：{exc}")
        return 1
    echo(f"已恢复：数据库 {result.database}（迁移版本 {result.revision or '无'}），文件 {result.files} 个")
    return 0
