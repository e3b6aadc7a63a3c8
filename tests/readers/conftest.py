"""Fixtures for the reader tests: the sample plan built once per session in every format."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.readers.normalize import normalize_lines
from eduplan.samples import build
from eduplan.samples.ofd_render import render_sample_ofd
from eduplan.samples.plan_text import sample_lines


@pytest.fixture(scope="session")
def expected_lines() -> list[str]:
    """What every reader must give back for the sample plan."""
    return normalize_lines(sample_lines())


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A directory holding the sample as docx (typed, auto), pdf, scanned pdf, html and ofd."""
    d = tmp_path_factory.mktemp("sample")
    build.write_docx(d / "typed.docx", numbering="typed")
    build.write_docx(d / "auto.docx", numbering="auto")
    build.write_pdf(d / "plan.pdf")
    build.write_scanned_pdf(d / "scan.pdf")
    build.write_html(d / "plan.html")
    build.write_html(d / "plan-gb.html", encoding="gb18030")
    render_sample_ofd(d / "plan.ofd")
    return d


@pytest.fixture(scope="session")
def office_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample with Word automatic numbering as .docx, made from it by LibreOffice itself into
    auto.doc and auto.odt, and typed.rtf and typed.xml (Word 2003 XML) from the typed .docx
    (LibreOffice 7.4 writes a Chinese list number such as 一、 into RTF as "一?"); one soffice run
    per format, once per session.  Skipped without soffice."""
    from eduplan.readers.convert import INSTALL_HINT, run_soffice, soffice_path

    if soffice_path() is None:
        pytest.skip(f"LibreOffice (soffice) is not installed: {INSTALL_HINT}")
    d = tmp_path_factory.mktemp("office")
    auto = build.write_docx(d / "auto.docx", numbering="auto")
    typed = build.write_docx(d / "typed.docx", numbering="typed")
    run_soffice([auto], "doc:MS Word 97", d)
    run_soffice([auto], "odt:writer8", d)
    run_soffice([typed], "rtf:Rich Text Format", d)
    run_soffice([typed], "xml:MS Word 2003 XML", d)
    return d
