"""The loop's three homes keep their direction (issue 18): the read side (`services.tracking`) never
imports the write side (`services.loop`) or the page models (`services.pages`), and page models never
import the write side — so a page cannot change state and a query cannot grow a use case."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import eduplan

SERVICES = Path(eduplan.__file__).parent / "services"
FORBIDDEN = {
    "tracking": ("eduplan.services.loop", "eduplan.services.pages"),
    "pages": ("eduplan.services.loop",),
}


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{a.name}" for a in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
    return found


@pytest.mark.parametrize("side", sorted(FORBIDDEN))
def test_a_side_imports_only_inward(side: str) -> None:
    wrong = {
        f"{path.relative_to(SERVICES)} → {name}"
        for path in (SERVICES / side).glob("*.py")
        for name in _imports(path)
        if name.startswith(FORBIDDEN[side])
    }
    assert not wrong, sorted(wrong)


def test_the_write_side_holds_no_list_or_get_use_case() -> None:
    """Reads that a page or the API makes (`get_*`, `list_*`) live on the read side."""
    readers = {
        f"loop/{path.name}: {node.name}"
        for path in (SERVICES / "loop").glob("*.py")
        for node in ast.parse(path.read_text(encoding="utf-8")).body
        if isinstance(node, ast.FunctionDef) and node.name.startswith(("get_", "list_"))
    }
    assert not readers, sorted(readers)
