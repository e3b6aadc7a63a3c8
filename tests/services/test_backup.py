"""Backup and restore (services/backup.py) on SQLite and PostgreSQL: every table and file comes back,
a damaged archive or a wrong target changes nothing."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, inspect, text
from tests.conftest import TEST_ARGON2, Server

from eduplan.commands.backup import backup_command, restore_command
from eduplan.config import Settings
from eduplan.db import make_engine
from eduplan.samples.loop import World
from eduplan.services.backup import BackupError, backup_name, make_backup, prune_backups, restore_backup


def _tables(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, sorted, by table name."""
    with engine.connect() as conn:
        names = sorted(inspect(conn).get_table_names())
        out = {}
        for name in names:
            rows = conn.execute(text(f'SELECT * FROM "{name}"')).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _empty_target(server: Server, tmp_path: Path) -> Settings:
    data = tmp_path / "restored"
    url = "" if server.name == "sqlite" else server.make_empty()
    return Settings(database_url=url, data_dir=data, **TEST_ARGON2)  # type: ignore[arg-type]


@pytest.fixture
def stored(world: World, settings: Settings) -> Settings:
    """The sample world with an evidence file and a draft on disk besides the database."""
    evidence = settings.data_dir / "evidence" / "ab" / ("ab" + "0" * 62)
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF-1.4 evidence of a report")
    draft = settings.data_dir / "drafts" / "d1" / "meta.json"
    draft.parent.mkdir(parents=True)
    draft.write_text('{"filename": "要点.docx"}', encoding="utf-8")
    return settings


def test_a_restored_backup_has_every_table_and_file(
    stored: Settings, engine: Engine, server: Server, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    made = make_backup(stored, archive)
    assert (made.database, made.files) == (server.name, 2) and made.revision
    target = _empty_target(server, tmp_path)
    restored = restore_backup(target, archive)
    assert restored.files == 2 and restored.revision == made.revision
    again = make_engine(target.database_url)
    try:
        before, after = _tables(engine), _tables(again)
    finally:
        again.dispose()
    assert "plans" in after and after["plans"] and after == before
    assert _files(target.data_dir) == {
        k: v for k, v in _files(stored.data_dir).items() if not k.startswith("eduplan.db")
    } | ({"eduplan.db": (target.data_dir / "eduplan.db").read_bytes()} if server.name == "sqlite" else {})


def test_restore_refuses_a_target_that_is_not_empty(stored: Settings, tmp_path: Path) -> None:
    archive = make_backup(stored, tmp_path / "b.tar.gz").path
    with pytest.raises(BackupError, match=r"不是空的|已存在"):
        restore_backup(stored, archive)


def _rewrite(archive: Path, out: Path, change: str) -> Path:
    """A copy of `archive` with one member's bytes altered (manifest kept) or one member dropped."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for info in src.getmembers():
            data = src.extractfile(info).read()  # type: ignore[union-attr]
            if info.name.startswith("files/evidence"):
                if change == "drop":
                    continue
                data = data[:-1] + b"X"
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


@pytest.mark.parametrize("change", ["alter", "drop", "truncate", "not a backup"])
def test_a_damaged_archive_changes_nothing(
    stored: Settings, server: Server, tmp_path: Path, change: str
) -> None:
    archive = make_backup(stored, tmp_path / "b.tar.gz").path
    if change in ("alter", "drop"):
        bad = _rewrite(archive, tmp_path / "bad.tar.gz", change)
    elif change == "truncate":
        bad = tmp_path / "bad.tar.gz"
        bad.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    else:
        bad = tmp_path / "bad.tar.gz"
        with tarfile.open(bad, "w:gz") as tar:
            data = json.dumps({"hello": 1}).encode()
            info = tarfile.TarInfo("notes.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    target = _empty_target(server, tmp_path)
    with pytest.raises(BackupError, match=r"未作任何改动|损坏"):
        restore_backup(target, bad)
    assert not target.data_dir.exists() or not any(target.data_dir.rglob("*"))
    if server.name == "postgresql":
        engine = make_engine(target.database_url)
        try:
            with engine.connect() as conn:
                assert inspect(conn).get_table_names() == []
        finally:
            engine.dispose()


def test_commands_print_one_line_each(stored: Settings, server: Server, tmp_path: Path) -> None:
    said: list[str] = []
    archive = tmp_path / "cli.tar.gz"
    assert backup_command(archive, stored, said.append) == 0
    assert said[-1].startswith(f"已写出备份：{archive}") and "文件 2 个" in said[-1]
    assert restore_command(archive, _empty_target(server, tmp_path), said.append) == 0
    assert said[-1].startswith("已恢复：") and "文件 2 个" in said[-1]
    assert restore_command(tmp_path / "missing.tar.gz", _empty_target(server, tmp_path), said.append) == 1
    assert said[-1].startswith("错误：找不到备份文件")


def test_prune_keeps_the_newest(tmp_path: Path) -> None:
    from datetime import datetime

    names = [backup_name(datetime(2024, 5, day, 3, 0)) for day in (1, 2, 3, 4)]
    for name in names:
        (tmp_path / name).write_bytes(b"x")
    gone = prune_backups(tmp_path, 2)
    assert sorted(p.name for p in gone) == names[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == names[2:]


def test_scheduled_backups_keep_the_newest(stored: Settings) -> None:
    from datetime import datetime

    from eduplan.services.backup_schedule import backup_folder, scheduled_backup

    settings = stored.model_copy(update={"backup_keep": 2})
    made = [scheduled_backup(settings, datetime(2024, 5, day, 3, 0)) for day in (1, 2, 3)]
    assert all(made)
    kept = sorted(p.name for p in backup_folder(settings).iterdir())
    assert kept == [p.name for p in made[1:] if p]
    # a backup of a data directory with backups in it does not hold the earlier backups
    with tarfile.open(made[-1], "r:gz") as tar:  # type: ignore[arg-type]
        assert not [n for n in tar.getnames() if "backups/" in n]
