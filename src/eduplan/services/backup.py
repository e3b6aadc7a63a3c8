"""Backup and restore (备份与恢复): one archive holding the database and every stored file.

An archive is a gzip'd tar with, first, ``manifest.json``: the format, when it was made, the
database's kind and migration revision, and the size and sha256 of every other member; then the
database (``database.sqlite``, a consistent copy made by SQLite's online backup while the server
may be writing; or ``database.pgdump``, ``pg_dump --format=custom`` of a PostgreSQL database) and
the stored files under ``files/`` (everything in the data directory but the SQLite database itself
and the backups folder: since revision 0014 evidence and drafts are database rows, `services.blobs`,
so this holds only files stored before it).

`restore_backup` checks the whole archive against its manifest before it writes anything, and
restores only into an empty target (no tables in the database, no files in the data directory),
so a damaged archive or a wrong target never half-overwrites a registry.  `prune_backups` keeps
the newest N archives of a folder (scheduled backups of `eduplan serve`).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from sqlalchemy import inspect
from sqlalchemy.engine import make_url

from eduplan.config import Settings
from eduplan.db.engine import make_engine, sqlite_file
from eduplan.services.errors import Invalid

FORMAT = "eduplan.backup/1"
MANIFEST = "manifest.json"
BACKUPS_DIR = "backups"
_CHUNK = 1024 * 1024
_DUMP_SECONDS = 3600


class BackupError(Invalid):
    """A backup that cannot be made, or an archive that cannot be restored (one Chinese line)."""


@dataclass(frozen=True)
class BackupResult:
    """What an archive holds."""

    path: Path
    database: str
    files: int
    size: int
    revision: str | None


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _revision(url: str) -> str | None:
    """The registry's Alembic revision, or None when it has none."""
    engine = make_engine(url, create_dir=False)
    try:
        with engine.connect() as conn:
            if "alembic_version" not in inspect(conn).get_table_names():
                return None
            row = conn.exec_driver_sql("SELECT version_num FROM alembic_version").first()
            return str(row[0]) if row else None
    finally:
        engine.dispose()


def _libpq(url: str) -> tuple[str, dict[str, str]]:
    """A libpq connection string for pg_dump/pg_restore, with the password in the environment."""
    u = make_url(url)
    env = dict(os.environ)
    if u.password:
        env["PGPASSWORD"] = str(u.password)
    parts = {"host": u.host, "port": u.port, "user": u.username, "dbname": u.database}
    return " ".join(f"{k}={v}" for k, v in parts.items() if v), env


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, timeout=_DUMP_SECONDS, check=False)
    except FileNotFoundError as exc:
        raise BackupError(
            f"找不到 {command[0]}，无法{what}；请安装 PostgreSQL 客户端（Debian：apt-get install postgresql-client）"
        ) from exc
    except subprocess.TimeoutExpired as exc:
        raise BackupError(f"{what}超过 {_DUMP_SECONDS} 秒仍未完成，已停止") from exc
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        raise BackupError(f"{what}失败：{detail[0]}")


def _stored_files(settings: Settings) -> Iterator[tuple[Path, str]]:
    """Every stored file of the data directory (not the database, not the backups), by archive name."""
    root = settings.data_dir
    if not root.is_dir():
        return
    database = sqlite_file(settings.database_url)
    skip = set()
    if database is not None:
        skip = {database.resolve(), *(Path(f"{database.resolve()}{s}") for s in ("-wal", "-shm", "-journal"))}
    backups = (root / BACKUPS_DIR).resolve()
    for path in sorted(root.rglob("*")):
        real = path.resolve()
        if not path.is_file() or path.is_symlink() or real in skip or backups in real.parents:
            continue
        yield path, "files/" + path.relative_to(root).as_posix()


def make_backup(settings: Settings, output: Path, now: datetime | None = None) -> BackupResult:
    """Write one archive of the registry's database and stored files to `output` (atomically)."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    url = settings.database_url
    with tempfile.TemporaryDirectory(prefix="eduplan-backup-") as tmp:
        work = Path(tmp)
        database = sqlite_file(url)
        if database is not None:
            if not database.is_file():
                raise BackupError(f"找不到数据库文件：{database}")
            dump, name = work / "database.sqlite", "database.sqlite"
            source = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
            target = sqlite3.connect(dump)
            try:
                source.backup(target)  # a consistent copy, while others may write
            finally:
                target.close()
                source.close()
            kind = "sqlite"
        elif make_url(url).get_backend_name() == "postgresql":
            dump, name = work / "database.pgdump", "database.pgdump"
            conninfo, env = _libpq(url)
            _run(
                ["pg_dump", "--format=custom", "--no-owner", "--file", str(dump), conninfo], env, "导出数据库"
            )
            kind = "postgresql"
        else:
            raise BackupError(f"不支持备份这种数据库：{make_url(url).get_backend_name()}")
        members = [(dump, name), *_stored_files(settings)]
        revision = _revision(url)
        manifest: dict[str, Any] = {
            "format": FORMAT,
            "created_at": (now or datetime.now(UTC)).isoformat(),
            "database": {"kind": kind, "member": name, "revision": revision},
            "members": [{"name": n, "size": p.stat().st_size, "sha256": _sha256(p)} for p, n in members],
        }
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode("utf-8")
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for path, member in members:
                tar.add(path, arcname=member, recursive=False)
        shutil.move(str(partial), output)
    return BackupResult(
        output, kind, len(members) - 1, output.stat().st_size, manifest["database"]["revision"]
    )


def _read_manifest(tar: tarfile.TarFile) -> dict[str, Any]:
    first = tar.next()
    if first is None or first.name != MANIFEST or not first.isfile():
        raise BackupError("这不是 eduplan 备份文件（缺少 manifest.json），未作任何改动")
    handle = tar.extractfile(first)
    assert handle is not None
    try:
        manifest = json.loads(handle.read(1024 * 1024 * 16).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise BackupError("备份文件的 manifest.json 已损坏，未作任何改动") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"备份格式不是 {FORMAT}，无法恢复，未作任何改动")
    return manifest


def _safe_name(name: str) -> PurePosixPath:
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise BackupError(f"备份中的文件名不安全：{name}，未作任何改动")
    return path


def _copy_checked(handle: IO[bytes], target: Path, size: int, sha256: str, name: str) -> None:
    digest = hashlib.sha256()
    written = 0
    with target.open("wb") as out:
        while chunk := handle.read(_CHUNK):
            written += len(chunk)
            if written > size:
                break
            digest.update(chunk)
            out.write(chunk)
    if written != size or digest.hexdigest() != sha256:
        raise BackupError(f"备份已损坏：{name} 与清单不符（校验和不一致），未作任何改动")


def _unpack(archive: Path, work: Path) -> dict[str, Any]:
    """Every member of `archive` into `work`, each checked against the manifest; the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            manifest = _read_manifest(tar)
            expected = {m["name"]: m for m in manifest.get("members") or []}
            seen: set[str] = set()
            for info in tar:
                if info.name == MANIFEST and not seen:
                    continue  # read above
                if info.name not in expected or not info.isfile() or info.name in seen:
                    raise BackupError(f"备份中有清单外的内容：{info.name}，未作任何改动")
                seen.add(info.name)
                target = work / _safe_name(info.name)
                target.parent.mkdir(parents=True, exist_ok=True)
                handle = tar.extractfile(info)
                assert handle is not None
                entry = expected[info.name]
                _copy_checked(handle, target, int(entry["size"]), str(entry["sha256"]), info.name)
    except FileNotFoundError as exc:
        raise BackupError(f"找不到备份文件：{archive}") from exc
    except (tarfile.TarError, EOFError, gzip.BadGzipFile, zlib.error, KeyError, TypeError, ValueError) as exc:
        raise BackupError("备份文件已损坏或不完整，无法恢复，未作任何改动") from exc
    missing = set(expected) - seen
    if missing:
        raise BackupError(f"备份不完整：缺少 {sorted(missing)[0]} 等 {len(missing)} 项，未作任何改动")
    return manifest


def _target_is_empty(settings: Settings, kind: str) -> None:
    url = settings.database_url
    database = sqlite_file(url)
    if (kind == "sqlite") != (database is not None):
        raise BackupError("备份的数据库类型与当前设置（EDUPLAN_DATABASE_URL）不同，无法恢复")
    if database is not None and database.exists() and database.stat().st_size > 0:
        raise BackupError(f"目标数据库已存在：{database}；请恢复到空的数据目录")
    if database is None:
        engine = make_engine(url, create_dir=False)
        try:
            with engine.connect() as conn:
                if inspect(conn).get_table_names():
                    raise BackupError("目标数据库不是空的；请先新建一个空数据库再恢复")
        finally:
            engine.dispose()
    if settings.data_dir.is_dir() and any(
        p for p in settings.data_dir.rglob("*") if p.is_file() and p.resolve() != (database or p).resolve()
    ):
        raise BackupError(f"数据目录不是空的：{settings.data_dir}；请恢复到空的数据目录")


def restore_backup(settings: Settings, archive: Path) -> BackupResult:
    """Restore `archive` into the empty database and data directory of `settings`."""
    archive = Path(archive)
    with tempfile.TemporaryDirectory(prefix="eduplan-restore-") as tmp:
        work = Path(tmp)
        manifest = _unpack(archive, work)
        db = manifest.get("database") or {}
        kind = str(db.get("kind"))
        _target_is_empty(settings, kind)
        dump = work / _safe_name(str(db.get("member")))
        if kind == "sqlite":
            database = sqlite_file(settings.database_url)
            assert database is not None
            database.parent.mkdir(parents=True, exist_ok=True)
            partial = database.with_name(database.name + ".restoring")
            shutil.copyfile(dump, partial)
            os.replace(partial, database)
        else:
            conninfo, env = _libpq(settings.database_url)
            _run(
                ["pg_restore", "--no-owner", "--exit-on-error", "--dbname", conninfo, str(dump)],
                env,
                "恢复数据库",
            )
        files = work / "files"
        count = 0
        if files.is_dir():
            for path in sorted(files.rglob("*")):
                if path.is_file():
                    target = settings.data_dir / path.relative_to(files)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target)
                    count += 1
    return BackupResult(archive, kind, count, archive.stat().st_size, db.get("revision"))


def backup_name(now: datetime) -> str:
    """The file name of a scheduled backup: eduplan-备份-20240510-0300.tar.gz."""
    return f"eduplan-备份-{now:%Y%m%d-%H%M%S}.tar.gz"


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest `keep` archives of `folder` (scheduled backups); the deleted ones."""
    archives = sorted(folder.glob("eduplan-备份-*.tar.gz"), key=lambda p: p.name, reverse=True)
    gone = archives[max(keep, 1) :]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone
