"""`eduplan import` and `eduplan serve`: plain functions the CLI registers as commands.

Both work on the database of `Settings` (``EDUPLAN_DATABASE_URL``, default a SQLite file under
``EDUPLAN_DATA_DIR``) and bring its schema to the latest migration first, so a fresh machine needs
nothing but the command.  They print in Chinese and return an exit code rather than exiting.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from eduplan.config import Settings
from eduplan.services.database import prepare_database as prepare_database
from eduplan.services.registry import FileOutcome

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
STATUS_LABELS = {"created": "已导入", "revised": "新版本", "duplicate": "已存在", "unchanged": "内容未变"}


def describe(outcome: FileOutcome) -> str:
    """One line about one file of an import."""
    if outcome.error is not None or outcome.result is None:
        return f"✗ {outcome.path}：{outcome.error}"
    r = outcome.result
    line = f"✓ {outcome.path}：{STATUS_LABELS[r.status]} 《{r.title}》 计划 {r.plan_id} 第 {r.version} 版"
    if r.status == "revised" and r.diff is not None:
        line += f"（新增 {len(r.diff.added)}，删除 {len(r.diff.removed)}，修改 {len(r.diff.changed)}）"
    elif r.status == "created" and r.diff is not None:
        line += f"，{len(r.diff.added)} 项任务"
    return line


def import_command(
    paths: Sequence[str | Path],
    org: str | None = None,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Import files and folders into the registry; 0 when every file went in, 1 otherwise.

    Example: ``eduplan import 2024要点.docx 规划/ --org 江苏省/常州市``
    """
    from eduplan.db import make_engine, make_session_factory
    from eduplan.services.registry import import_paths

    settings = settings or Settings()
    prepare_database(settings)
    engine = make_engine(settings.database_url)
    try:
        outcomes = import_paths(
            make_session_factory(engine), paths, org, progress=lambda o: echo(describe(o))
        )
    finally:
        engine.dispose()
    failed = sum(1 for o in outcomes if not o.ok)
    echo(f"共 {len(outcomes)} 个文件：成功 {len(outcomes) - failed}，失败 {failed}")
    return 1 if failed or not outcomes else 0


def serve_command(
    host: str = DEFAULT_HOST,
    port: int = DEFAULT_PORT,
    settings: Settings | None = None,
    access_log: bool = True,
) -> int:
    """Serve the registry's API (and its docs at /api/docs) with uvicorn; loopback only by default.
    When no administrator exists yet, one is made first and its one-time password printed.  The
    reminder job runs in the background every `scheduler_minutes` (0: off, use `eduplan remind`).
    `access_log` off: no line per request (the demo, whose logins must stay on screen).

    Example: ``eduplan serve --port 8000`` then open http://127.0.0.1:8000/api/docs
    """
    import uvicorn

    from eduplan.commands.access import ensure_admin_on_start
    from eduplan.db import make_engine, make_session_factory
    from eduplan.web.app import create_app

    settings = settings or Settings()
    prepare_database(settings)
    engine = make_engine(settings.database_url)
    try:
        ensure_admin_on_start(make_session_factory(engine), settings)
    finally:
        engine.dispose()
    uvicorn.run(
        create_app(settings, scheduler=True),
        host=host,
        port=port,
        log_level="info",
        access_log=access_log,
        proxy_headers=False,  # the app applies them itself, from `trusted_proxies`
    )
    return 0
