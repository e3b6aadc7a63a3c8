"""CLI help is documentation: every command has a docstring with an example; start-up stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app


def _commands() -> dict[object, str]:
    """Every command's callback and its full name (`admin create` for a command of a group)."""
    found = {c.callback: c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]
    for group in app.registered_groups:
        assert group.typer_instance is not None
        for c in group.typer_instance.registered_commands:
            found[c.callback] = f"{group.name} {c.name or c.callback.__name__}"  # type: ignore[union-attr]
    return found


NAMES = _commands()
COMMANDS = list(NAMES)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.__name__)  # type: ignore[attr-defined]
def test_every_command_has_a_docstring_with_an_example(command) -> None:  # type: ignore[no-untyped-def]
    doc = command.__doc__ or ""
    assert doc.strip(), f"{command.__name__} has no docstring"
    assert "Example" in doc and f"eduplan {NAMES[command]}" in doc


@pytest.mark.parametrize("name", list(NAMES.values()))
def test_help_shows_the_example(name: str) -> None:
    result = CliRunner().invoke(app, [*name.split(), "--help"], terminal_width=120)
    assert result.exit_code == 0
    assert f"eduplan {name}" in result.stdout


def test_commands_exist() -> None:
    assert set(NAMES.values()) >= {"parse", "demo", "import", "serve", "assign", "remind", "admin create"}


def test_importing_the_cli_does_not_import_heavy_libraries() -> None:
    heavy = [
        "openpyxl",
        "pdfplumber",
        "docx",
        "bs4",
        "opencc",
        "lxml",
        "charset_normalizer",
        "reportlab",
        "argon2",
        "sqlalchemy",
        "fastapi",
    ]
    code = f"import sys, eduplan.cli; print([m for m in {heavy!r} if m in sys.modules])"
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
