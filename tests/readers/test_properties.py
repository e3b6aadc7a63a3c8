"""Property: on any bytes, with any name, the readers return lines or raise ReadError, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from eduplan.readers import ReadError, read_bytes
from eduplan.readers.detect import OLE_MAGIC

NAMES = st.sampled_from([None, "plan.txt", "plan.docx", "plan.pdf", "plan.html", "plan.doc", "plan.ofd", "x"])
PREFIXES = st.sampled_from(
    [b"", b"%PDF-1.4\n", b"PK\x03\x04", b"<html><body>", b"\xef\xbb\xbf", b"\xff\xfe", OLE_MAGIC]
)


def _lines_or_read_error(data: bytes, name: str | None) -> None:
    try:
        lines = read_bytes(data, name)
    except ReadError as error:
        assert str(error) and "\n" not in str(error)
        return
    assert isinstance(lines, list) and all(isinstance(line, str) and line for line in lines)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=2048), name=NAMES, prefix=PREFIXES)
def test_any_bytes_give_lines_or_read_error(data: bytes, name: str | None, prefix: bytes) -> None:
    _lines_or_read_error(prefix + data, name)


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=500), name=NAMES, encoding=st.sampled_from(["utf-8", "gb18030", "utf-16"]))
def test_any_text_gives_lines_or_read_error(text: str, name: str | None, encoding: str) -> None:
    _lines_or_read_error(text.encode(encoding, errors="ignore"), name)


@pytest.fixture(scope="module")
def sample_bytes(sample_dir: Path) -> dict[str, bytes]:
    return {
        name: (sample_dir / name).read_bytes() for name in ("typed.docx", "plan.pdf", "plan.html", "plan.ofd")
    }


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    name=st.sampled_from(["typed.docx", "plan.pdf", "plan.html", "plan.ofd"]),
    flips=st.lists(st.tuples(st.integers(0, 10**6 - 1), st.integers(0, 255)), min_size=1, max_size=8),
    cut=st.none() | st.integers(1, 10**6),
)
def test_damaged_documents_give_lines_or_read_error(
    sample_bytes: dict[str, bytes], name: str, flips: list[tuple[int, int]], cut: int | None
) -> None:
    data = bytearray(sample_bytes[name])
    for where, value in flips:
        data[where * len(data) // 10**6] = value
    if cut is not None:
        data = data[: cut * len(data) // 10**6]
    _lines_or_read_error(bytes(data), name)
