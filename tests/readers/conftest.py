"""Fixtures for the reader tests: the sample plan built once per session in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.readers.normalize import normalize_lines
from eduplan.samples import build
from eduplan.samples.plan_text import sample_lines


@pytest.fixture(scope="session")
def expected_lines() -> list[str]:
    """What every reader must give back for the sample plan."""
    return normalize_lines(sample_lines())


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the sample as docx (typed, auto), pdf, scanned pdf and html."""
    d = tmp_path_factory.mktemp("sample")
    build.write_docx(d / "typed.docx", numbering="typed")
    build.write_docx(d / "auto.docx", numbering="auto")
    build.write_pdf(d / "plan.pdf")
    build.write_scanned_pdf(d / "scan.pdf")
    build.write_html(d / "plan.html")
    build.write_html(d / "plan-gb.html", encoding="gb18030")
    return d
