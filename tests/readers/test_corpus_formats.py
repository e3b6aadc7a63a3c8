"""The five real seeds of ../shared/corpus round-tripped through .doc and OFD, scored against gold.

Seed text → .doc by LibreOffice itself (all five in one soffice run, read as UTF-8 text), and → OFD
by `samples.ofd_render` (justified lines, running header, page numbers); each is then read and
parsed in-process and the predictions are scored by the shared scorer (``--pred DIR``).  Chapters,
items and units must keep F1 ≥ 0.95.  Skipped when ../shared is absent (and the .doc half when
LibreOffice is).
"""

from __future__ import annotations

import json
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from eduplan.plan_json import plan_to_dict
from eduplan.readers.convert import INSTALL_HINT, run_soffice, soffice_path
from eduplan.samples.ofd_render import render_text_ofd
from eduplan.services.parse import parse_file

SHARED = Path(__file__).resolve().parents[3] / "shared"
SEEDS = SHARED / "corpus" / "seeds"
GOLD = SHARED / "corpus" / "gold"
SCORER = SHARED / "tools" / "score_plan.py"
THRESHOLDS = ["chapters=0.95", "items=0.95", "units=0.95"]
TEXT_FILTER = "Text (encoded):UTF8,LF,,,"

pytestmark = pytest.mark.skipif(
    not (SCORER.is_file() and GOLD.is_dir() and SEEDS.is_dir()), reason="../shared/corpus is absent"
)


def _seeds() -> list[Path]:
    return sorted(SEEDS.glob("*.txt"))


def _score(files: list[Path], pred: Path) -> subprocess.CompletedProcess[str]:
    pred.mkdir()

    def parse(path: Path) -> None:
        plan = plan_to_dict(parse_file(path))
        (pred / f"{path.stem}.json").write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")

    with ThreadPoolExecutor(2) as pool:  # two at once, as two web imports would
        list(pool.map(parse, files))
    return subprocess.run(
        [sys.executable, str(SCORER), "--gold", str(GOLD), "--pred", str(pred), "--min", *THRESHOLDS],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_seeds_as_doc_keep_chapters_items_and_units(tmp_path: Path) -> None:
    if soffice_path() is None:
        pytest.skip(f"LibreOffice (soffice) is not installed: {INSTALL_HINT}")
    docs = tmp_path / "doc"
    docs.mkdir()
    run_soffice(_seeds(), "doc:MS Word 97", docs, infilter=TEXT_FILTER)
    files = sorted(docs.glob("*.doc"))
    assert [f.stem for f in files] == [s.stem for s in _seeds()]
    proc = _score(files, tmp_path / "pred")
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_seeds_as_ofd_keep_chapters_items_and_units(tmp_path: Path) -> None:
    files = [
        render_text_ofd(tmp_path / f"{seed.stem}.ofd", seed.read_text(encoding="utf-8").splitlines())
        for seed in _seeds()
    ]
    proc = _score(files, tmp_path / "pred")
    assert proc.returncode == 0, proc.stdout + proc.stderr
