"""A real `eduplan import` process killed (SIGKILL) in the middle of a bulk import into SQLite.

Each file is one transaction, so whatever the moment of the kill, the registry holds whole plans
only: every version has exactly the tasks and targets the parser reads from its file, and every
document, plan and tracked task belongs to something complete.  Running the same import again
finishes the rest, and the files that were already in are reported as such.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from eduplan.db import make_engine
from eduplan.db.plans import Plan, PlanVersion, SourceDocument
from eduplan.db.targets import Target
from eduplan.db.tasks import Task, TrackedTask
from eduplan.readers import read_bytes
from eduplan.samples.many_plans import write_plans
from eduplan.services.parse import parse_lines

FILES = 150
KILL_AFTER = (8, 40)  # progress lines seen before each kill
pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL")


def _command() -> list[str]:
    script = Path(sys.executable).with_name("eduplan")
    return [str(script)] if script.exists() else [sys.executable, "-m", "eduplan.cli"]


def _env(data: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("EDUPLAN_")}
    return {**env, "EDUPLAN_DATA_DIR": str(data), "PYTHONUNBUFFERED": "1"}


def _import_and_kill(folder: Path, data: Path, after_lines: int) -> int:
    """Start `eduplan import folder`, SIGKILL it once `after_lines` files were reported; lines seen."""
    proc = subprocess.Popen(
        [*_command(), "import", str(folder)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=_env(data),
    )
    assert proc.stdout is not None
    seen = 0
    try:
        deadline = time.monotonic() + 120
        while seen < after_lines and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            seen += line.startswith("✓".encode())
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
        proc.stdout.close()
    assert proc.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    return seen


def _expected(folder: Path) -> dict[str, tuple[int, int]]:
    """Tasks and targets the parser reads from each file, by file name."""
    out = {}
    for path in sorted(folder.glob("*.txt")):
        tasks = [t for _, t in parse_lines(read_bytes(path.read_bytes(), path.name)).tasks()]
        out[path.name] = (len(tasks), sum(len(t.targets) for t in tasks))
    return out


def _check_complete(engine: Engine, expected: dict[str, tuple[int, int]]) -> int:
    """Assert that the registry holds complete plans only; the number of plans."""
    with engine.connect() as conn:
        versions = conn.execute(
            select(PlanVersion.id, PlanVersion.plan_id, SourceDocument.filename).join(
                SourceDocument, PlanVersion.document_id == SourceDocument.id
            )
        ).all()
        tasks: dict[int, int] = {
            v: n for v, n in conn.execute(select(Task.version_id, func.count()).group_by(Task.version_id))
        }
        targets: dict[int, int] = {
            v: n
            for v, n in conn.execute(
                select(Task.version_id, func.count())
                .select_from(Target)
                .join(Task, Target.task_id == Task.id)
                .where(Target.kind == "target")
                .group_by(Task.version_id)
            )
        }
        for version_id, _plan_id, filename in versions:
            assert (tasks.get(version_id, 0), targets.get(version_id, 0)) == expected[filename], filename
        plans = conn.scalar(select(func.count()).select_from(Plan)) or 0
        documents = conn.scalar(select(func.count()).select_from(SourceDocument)) or 0
        tracked = conn.scalar(select(func.count()).select_from(TrackedTask)) or 0
        assert plans == documents == len(versions) == len({v.plan_id for v in versions})
        assert tracked == sum(tasks.values())
        assert set(tasks) <= {v.id for v in versions}
    return plans


def test_a_killed_bulk_import_leaves_whole_plans_and_a_rerun_finishes(tmp_path: Path) -> None:
    folder, data = tmp_path / "plans", tmp_path / "data"
    write_plans(folder, FILES)
    expected = _expected(folder)
    engine = make_engine(f"sqlite:///{data / 'eduplan.db'}", create_dir=False)
    try:
        counts = []
        for after in KILL_AFTER:
            seen = _import_and_kill(folder, data, after)
            counts.append(_check_complete(engine, expected))
            assert seen <= counts[-1] < FILES  # killed before the end; nothing reported was lost
        assert counts[-1] > counts[0]
        done = subprocess.run(
            [*_command(), "import", str(folder)], capture_output=True, env=_env(data), timeout=300
        )
        out = done.stdout.decode()
        assert done.returncode == 0, out[-2000:]
        assert out.count("已存在") == counts[-1]
        assert out.count("已导入") == FILES - counts[-1]
        assert _check_complete(engine, expected) == FILES
    finally:
        engine.dispose()
