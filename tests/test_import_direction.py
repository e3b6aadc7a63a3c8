"""Dependencies point inward (STYLE.md, "Layout tells the architecture"): every import of one eduplan
package by another, at module level or inside a function, goes from an outer layer to an inner one.

The layers, outermost first; a package may import its own layer's modules and any layer below:

    cli → commands → web → samples → export → services → compare, topics, parsing, readers, db
    → plan_json, config → choices, domain

and migrations may use only what stays true of their revision: db, config, topics, domain (a
migration freezes the rules it needs, as 0002 does).  A new package fails here until it is placed.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "eduplan"

LAYERS: list[set[str]] = [
    {"cli"},
    {"commands"},
    {"web"},
    {"pages"},  # services/pages: the page read models (they may name export files)
    {"samples"},
    {"export"},
    {"services"},
    {"compare"},
    {"topics"},
    {"parsing"},
    {"readers"},
    {"db"},
    {"plan_json"},
    {"config"},
    {"choices", "labels", "domain", "__init__"},
]
MIGRATIONS_MAY_USE = {"db", "config", "topics", "domain", "choices", "labels", "__init__"}


def _layer(package: str) -> int:
    return next(i for i, names in enumerate(LAYERS) if package in names)


def _package(module: str) -> str:
    parts = module.split(".")
    if parts[1:3] == ["services", "pages"]:
        return "pages"
    return parts[1] if len(parts) > 1 else "__init__"


def _imports() -> list[tuple[str, str, int]]:
    """(importing module, imported module, line) for every eduplan import under src/."""
    found = []
    for path in sorted(SRC.rglob("*.py")):
        module = ".".join(path.relative_to(SRC.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                targets = [node.module]
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            found += [(module, t, node.lineno) for t in targets if t.split(".")[0] == "eduplan"]
    return found


def test_every_package_has_a_layer() -> None:
    packages = {
        _package(".".join(p.relative_to(SRC.parent).with_suffix("").parts)) for p in SRC.rglob("*.py")
    }
    placed = set().union(*LAYERS)
    assert packages <= placed, f"place these packages in LAYERS: {sorted(packages - placed)}"


def test_imports_point_inward() -> None:
    upward = []
    for module, target, line in _imports():
        source, imported = _package(module), _package(target)
        if ".db.migrations." in module:
            if imported not in MIGRATIONS_MAY_USE:
                upward.append(f"{module}:{line} imports {target} (a migration freezes what it needs)")
        elif _layer(imported) < _layer(source):
            upward.append(f"{module}:{line} imports {target} ({source} is below {imported})")
    assert upward == []


def test_the_rule_sees_an_upward_import(tmp_path: Path) -> None:
    """The walk finds imports inside functions too (the usual way to hide a cycle)."""
    tree = ast.parse("def f():\n    from eduplan.web.app import create_app\n")
    inner = [n for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)]
    assert [n.module for n in inner] == ["eduplan.web.app"]
    assert _layer(_package("eduplan.web.app")) < _layer(_package("eduplan.services.loop"))
