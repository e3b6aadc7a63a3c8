"""The README's settings table lists every field of `Settings`, so an operator finds each knob (and
its environment variable) without reading config.py; a field added without a row fails here."""

from __future__ import annotations

import re
from pathlib import Path

from eduplan.config import Settings

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_setting_has_a_row_in_the_readme_table() -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## 设置 / Settings") :]
    section = section[: section.index("\n## ")]
    rows = set(re.findall(r"^\| `(EDUPLAN_[A-Z0-9_]+)` \|", section, flags=re.M))
    expected = {f"EDUPLAN_{name.upper()}" for name in Settings.model_fields}
    assert expected - rows == set(), "add these to the README's settings table"
    assert rows - expected == set(), "these rows name no setting of config.py"
