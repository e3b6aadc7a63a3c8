"""The parser against the hand-made gold of the five real plans in ../shared/corpus (F1 thresholds).

Runs the shared scorer over `eduplan parse {file} --format json` in real processes.  The corpus is
read where it lies, beside the repository; the test is skipped when it is absent.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SCORER = SHARED / "tools" / "score_plan.py"
GOLD = SHARED / "corpus" / "gold"
THRESHOLDS = [
    "chapters=1",
    "items=1",
    "item_numbers=1",
    "units=1",
    "projects=1",
    "table_rows=1",
    "targets=0.95",
    "target_comparators=0.90",
    "metadata=0.90",
]


def eduplan_command() -> str:
    """The venv's `eduplan` script when installed, else `python -m eduplan.cli`."""
    script = Path(sys.executable).with_name("eduplan")
    if script.exists():
        return shlex.quote(str(script))
    return f"{shlex.quote(sys.executable)} -m eduplan.cli"


@pytest.mark.skipif(
    not (SCORER.is_file() and GOLD.is_dir()), reason="../shared/corpus (gold and scorer) is absent"
)
def test_parser_meets_the_gold_thresholds() -> None:
    cmd = f"{eduplan_command()} parse {{file}} --format json"
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    proc = subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(GOLD), "--cmd", cmd, "--min", *THRESHOLDS],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
