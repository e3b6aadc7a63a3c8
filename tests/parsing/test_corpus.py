"""The five real seed plans in ../shared/corpus: chapter and item counts against the gold's "counts".

The documents are read where they lie, beside the repository (never copied into it); the test is
skipped when they are absent.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eduplan.parsing import parse_plan
from eduplan.readers.normalize import normalize_lines

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus"
SEEDS = sorted((CORPUS / "seeds").glob("*.txt")) if (CORPUS / "seeds").is_dir() else []

pytestmark = pytest.mark.skipif(not SEEDS, reason=f"the shared corpus is absent ({CORPUS})")


def _gold(seed: Path) -> dict:  # type: ignore[type-arg]
    path = CORPUS / "gold" / f"{seed.stem}.json"
    if not path.is_file():
        pytest.skip(f"no gold for {seed.name}")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem)
def test_seed_counts(seed: Path) -> None:
    counts = _gold(seed)["counts"]
    plan = parse_plan(normalize_lines(seed.read_text(encoding="utf-8").splitlines()))
    assert len(plan.chapters) == counts["chapters"]
    assert sum(len(c.items) for c in plan.chapters) == counts["items"]
    if "columns" in counts:
        assert len(plan.columns) == counts["columns"]
    if "projects" in counts:
        assert sum(len(c.projects) for c in plan.columns) == counts["projects"]


def test_five_seeds_are_there() -> None:
    assert len(SEEDS) == 5
