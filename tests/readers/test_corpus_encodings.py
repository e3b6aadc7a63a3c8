"""The real seed documents (../shared/corpus, read in place, never copied) in every text encoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.readers import read_bytes
from eduplan.readers.normalize import normalize_lines

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "seeds"
SEED_FILES = sorted(SEEDS.glob("*.txt")) if SEEDS.is_dir() else []


@pytest.mark.skipif(not SEED_FILES, reason="shared/corpus is not beside the repository")
@pytest.mark.parametrize("path", SEED_FILES, ids=lambda p: p.name[:3])
def test_seed_reads_the_same_in_every_encoding(path: Path) -> None:
    text = path.read_text(encoding="utf-8-sig")
    expected = normalize_lines(text.splitlines())
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "utf-16", "utf-16-le", "utf-16-be"):
        assert read_bytes(text.encode(encoding), path.name) == expected, encoding
    assert read_bytes(text.replace("\n", "\r\n").encode("gb18030"), path.name) == expected
