"""Single-file web pages (.mht, often named .doc): the HTML part read as the HTML reader reads it."""

from __future__ import annotations

from pathlib import Path

import pytest

from eduplan.readers import ReadError, read_bytes, read_document, read_path
from eduplan.samples import build


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030"])
def test_mht_reads_as_the_html(tmp_path: Path, expected_lines: list[str], encoding: str) -> None:
    path = build.write_mht(tmp_path / "要点.doc", encoding=encoding)  # as downloaded: named .doc
    document = read_document(path.read_bytes(), path.name)
    assert document.format == "mht"
    assert document.lines == read_path(build.write_html(tmp_path / "p.html", encoding))
    assert set(expected_lines) <= set(document.lines)  # the plan whole, beside the site's breadcrumb


def test_mht_without_a_web_page_gets_one_line() -> None:
    data = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b"\r\n\r\n--b\r\n'
    data += b"Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--b--\r\n"
    with pytest.raises(ReadError, match="mht") as error:
        read_bytes(data, "plan.mht")
    assert "\n" not in str(error.value)
