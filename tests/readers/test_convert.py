"""Legacy Word/WPS, RTF and ODT read through headless LibreOffice (needs soffice; skipped without it).

The files are made from the project's own sample by LibreOffice itself (`office_dir`); a .doc
keeps Word's automatic numbering, so it reads exactly as the typed text and the .docx do.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from tests.readers.zip_parts import parts_of, zipped

from eduplan.plan_json import plan_to_dict
from eduplan.readers import ReadError, convert, read_bytes, read_path
from eduplan.readers.detect import detect_format
from eduplan.services.parse import parse_lines

HELPER = Path(__file__).with_name("uno_save_with_password.py")
SYSTEM_PYTHON = Path("/usr/bin/python3")


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary root of its own, to see that conversions leave nothing behind."""
    root = tmp_path / "tmp"
    root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(root))
    monkeypatch.setenv("TMPDIR", str(root))  # inherited by LibreOffice unless the converter moves it
    return root


@pytest.mark.parametrize("name", ["auto.doc", "typed.rtf", "auto.odt", "typed.xml"])
def test_converted_formats_read_as_the_docx(office_dir: Path, expected_lines: list[str], name: str) -> None:
    assert read_path(office_dir / name) == expected_lines


def test_doc_with_automatic_numbering_parses_as_the_docx(office_dir: Path, private_tmp: Path) -> None:
    doc = plan_to_dict(parse_lines(read_bytes((office_dir / "auto.doc").read_bytes(), "要点.doc")))
    docx = plan_to_dict(parse_lines(read_path(office_dir / "auto.docx")))
    assert doc == docx and len(docx["chapters"]) >= 3
    assert list(private_tmp.iterdir()) == []  # the conversion's folder and profile are gone


def test_formats_are_told_by_content(office_dir: Path) -> None:
    data = (office_dir / "auto.doc").read_bytes()
    assert detect_format(data, "plan.wps") == "doc"  # a WPS 文字 file is the same OLE Word format
    assert detect_format(data, "plan.txt") == "doc"
    assert detect_format((office_dir / "typed.rtf").read_bytes()) == "rtf"
    assert detect_format((office_dir / "typed.xml").read_bytes(), "plan.doc") == "doc"  # Word 2003 XML
    assert detect_format((office_dir / "auto.odt").read_bytes(), "plan.zip") == "odt"


def test_password_protected_doc_is_refused_without_starting_libreoffice(
    office_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import uno"], capture_output=True, check=False)
    if probe.returncode != 0:
        pytest.skip("python3-uno is not installed (needed to save a .doc with a password)")
    secret = tmp_path / "secret.doc"
    subprocess.run(
        [
            str(SYSTEM_PYTHON),
            str(HELPER),
            str(office_dir / "auto.docx"),
            str(secret),
            "MS Word 97",
            "密码123",
            str(tmp_path / "profile"),
        ],
        check=True,
        timeout=120,
        capture_output=True,
    )
    monkeypatch.setenv("EDUPLAN_SOFFICE", "/nonexistent/soffice")  # refused before any conversion
    with pytest.raises(ReadError, match="密码") as error:
        read_path(secret)
    assert error.value.reason == "encrypted"


def test_executable_named_doc_is_refused() -> None:
    exe = Path(shutil.which("true") or "/bin/true").read_bytes()
    with pytest.raises(ReadError, match=r"\.doc") as error:
        read_bytes(exe, "红头文件.doc")
    assert "\n" not in str(error.value)


def test_damaged_doc_gets_one_line(office_dir: Path, private_tmp: Path) -> None:
    data = bytearray((office_dir / "auto.doc").read_bytes())
    data[512:] = bytes(len(data) - 512)  # the OLE header survives, the sectors are gone
    with pytest.raises(ReadError) as error:
        read_bytes(bytes(data), "plan.doc")
    assert "损坏" in str(error.value) and "\n" not in str(error.value)
    assert list(private_tmp.iterdir()) == []


def test_libreoffice_rejecting_the_content_gets_one_line(office_dir: Path, private_tmp: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", "<<< not xml")
    with pytest.raises(ReadError, match="LibreOffice 无法打开") as error:
        read_bytes(buffer.getvalue(), "plan.odt")
    assert error.value.reason == "corrupt" and "\n" not in str(error.value)
    assert list(private_tmp.iterdir()) == []


def test_odt_carrying_macros_is_refused_before_libreoffice_opens_it(
    office_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parts = parts_of(office_dir / "auto.odt")
    parts["Basic/Standard/Module1.xml"] = (
        b'<script:module script:name="Module1">Sub Main\nEnd Sub</script:module>'
    )
    monkeypatch.setenv("EDUPLAN_SOFFICE", "/bin/false")  # LibreOffice would fail the test if started
    with pytest.raises(ReadError, match="含有宏") as error:
        read_bytes(zipped(parts), "plan.odt")
    assert error.value.reason == "unsafe"


def test_time_limit_kills_libreoffice(office_dir: Path, private_tmp: Path) -> None:
    out = private_tmp / "out"
    out.mkdir()
    with pytest.raises(ReadError, match="超时") as error:
        convert.run_soffice([office_dir / "auto.doc"], "docx:MS Word 2007 XML", out, timeout=0.3)
    assert error.value.reason == "timeout"
    left = [
        pid
        for pid in os.listdir("/proc")
        if pid.isdigit()
        and _cmdline_mentions(pid, "eduplan-lo-profile-")
        and _cmdline_mentions(pid, str(private_tmp))
    ]
    assert left == []
    assert [p.name for p in private_tmp.iterdir()] == ["out"]


def _cmdline_mentions(pid: str, text: str) -> bool:
    try:
        return text in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
    except OSError:
        return False


def test_missing_libreoffice_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("EDUPLAN_SOFFICE", "/nonexistent/soffice")
    with pytest.raises(ReadError, match="apt-get install libreoffice-writer-nogui") as error:
        read_bytes(b"{\\rtf1\\ansi 2024\\par}", "plan.rtf")
    assert error.value.reason == "converter"
