"""CLI help is documentation: every command has a docstring with an example; start-up stays light."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from eduplan.cli import app

COMMANDS = [c.callback for c in app.registered_commands]
NAMES = {c.callback: c.name or c.callback.__name__ for c in app.registered_commands}  # type: ignore[union-attr]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c.__name__)
def test_every_command_has_a_docstring_with_an_example(command) -> None:  # type: ignore[no-untyped-def]
    doc = command.__doc__ or ""
    assert doc.strip(), f"{command.__name__} has no docstring"
    assert "Example" in doc and f"eduplan {NAMES[command]}" in doc


@pytest.mark.parametrize("name", list(NAMES.values()))
def test_help_shows_the_example(name: str) -> None:
    result = CliRunner().invoke(app, [name, "--help"], terminal_width=120)
    assert result.exit_code == 0
    assert f"eduplan {name}" in result.stdout


def test_commands_exist() -> None:
    assert set(NAMES.values()) >= {"parse", "demo", "import", "serve"}


def test_importing_the_cli_does_not_import_heavy_libraries() -> None:
    heavy = ["openpyxl", "pdfplumber", "docx", "bs4", "opencc", "lxml", "charset_normalizer", "reportlab"]
    code = f"import sys, eduplan.cli; print([m for m in {heavy!r} if m in sys.modules])"
    src = str(Path(__file__).resolve().parents[2] / "src")
    env = {**os.environ, "PYTHONPATH": src}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip() == "[]"
