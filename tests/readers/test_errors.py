"""Everything unreadable raises ReadError with one line of Chinese, never another exception."""

from __future__ import annotations

import random
import re
import struct
import zipfile
from pathlib import Path

import pytest
from tests.readers.zip_parts import parts_of, zipped

from eduplan.readers import MAX_BYTES, ReadError, read_bytes, read_path
from eduplan.readers.detect import OLE_MAGIC

CHINESE = re.compile(r"[\u4e00-\u9fff]")


def _refused(data: bytes, filename: str | None = None) -> ReadError:
    with pytest.raises(ReadError) as error:
        read_bytes(data, filename)
    message = str(error.value)
    assert CHINESE.search(message) and "\n" not in message
    return error.value


def _patch_headers(data: bytes, name: bytes, flag: int | None = None, size: int | None = None) -> bytes:
    """Rewrite the flag bits or declared uncompressed size of one member in both zip headers."""
    out = bytearray(data)
    for signature, flag_at, size_at, name_at in ((b"PK\x03\x04", 6, 22, 30), (b"PK\x01\x02", 8, 24, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + name_at : at + name_at + len(name)] == name:
                if flag is not None:
                    out[at + flag_at : at + flag_at + 2] = struct.pack("<H", flag)
                if size is not None:
                    out[at + size_at : at + size_at + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 4)
    return bytes(out)


def test_empty_file() -> None:
    assert str(_refused(b"", "plan.docx")) == "无法读取：文件为空"


def test_whitespace_only_file_has_no_text() -> None:
    assert _refused(" \r\n\t\u3000\n".encode()).reason == "no_text"


def test_random_bytes_named_docx() -> None:
    error = _refused(random.Random(7).randbytes(4096), "plan.docx")
    assert ".docx" in str(error)


def test_broken_legacy_office_file() -> None:
    error = _refused(OLE_MAGIC + bytes(1024), "plan.doc")
    assert error.reason == "corrupt" and "已损坏" in str(error) and ".docx" in str(error)


def test_excel_workbook_is_not_a_plan(tmp_path: Path) -> None:
    import openpyxl

    path = tmp_path / "ledger.xlsx"
    openpyxl.Workbook().save(path)
    assert "Excel" in str(_refused(path.read_bytes(), "plan.docx"))


def test_other_zip_archive() -> None:
    assert _refused(zipped({"readme.txt": b"hello"}), "files.zip").reason == "unsupported"


def test_zip_bomb_of_gigabytes_is_refused_before_inflating(tmp_path: Path) -> None:
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        with zf.open("word/document.xml", "w", force_zip64=True) as part:
            zeros = bytes(1 << 20)
            for _ in range(300):
                part.write(zeros)
    assert path.stat().st_size < 2 * 1024 * 1024
    with pytest.raises(ReadError, match="压缩炸弹") as error:
        read_path(path)
    assert error.value.reason == "unsafe"


def test_highly_compressed_part_is_refused() -> None:
    data = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": bytes(20 * 1024 * 1024)})
    assert "压缩比" in str(_refused(data, "plan.docx"))


def test_huge_declared_size_is_refused(sample_dir: Path) -> None:
    data = _patch_headers((sample_dir / "typed.docx").read_bytes(), b"word/document.xml", size=0xFFFF0000)
    assert _refused(data, "plan.docx").reason == "unsafe"


def test_understated_size_cannot_sneak_past(sample_dir: Path) -> None:
    parts = parts_of(sample_dir / "typed.docx")
    parts["word/document.xml"] = parts["word/document.xml"].replace(
        b"</w:body>", b" " * 3_000_000 + b"</w:body>"
    )
    data = _patch_headers(zipped(parts), b"word/document.xml", size=1000)
    assert _refused(data, "plan.docx").reason == "corrupt"


def test_encrypted_zip_member(sample_dir: Path) -> None:
    data = _patch_headers((sample_dir / "typed.docx").read_bytes(), b"word/document.xml", flag=0x1)
    assert _refused(data, "plan.docx").reason == "encrypted"


@pytest.mark.parametrize(
    "doctype",
    [
        b'<!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
        b'<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>',
    ],
)
def test_xml_entities_are_refused(sample_dir: Path, doctype: bytes) -> None:
    parts = parts_of(sample_dir / "typed.docx")
    xml = parts["word/document.xml"]
    root_at = xml.index(b"<w:document")
    reference = b"&xxe;" if b"xxe" in doctype else b"&b;"
    xml = xml[:root_at] + doctype + xml[root_at:]
    parts["word/document.xml"] = xml.replace(b"<w:t>", b"<w:t>" + reference, 1)
    error = _refused(zipped(parts), "plan.docx")
    assert error.reason == "unsafe" and "root:" not in str(error)


def test_truncated_docx(sample_dir: Path) -> None:
    data = (sample_dir / "typed.docx").read_bytes()
    _refused(data[: len(data) // 2], "plan.docx")


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.pdf"
    with path.open("wb") as f:
        f.truncate(60 * 1024 * 1024)  # sparse: nothing is written to disk
    with pytest.raises(ReadError) as error:
        read_path(path)
    assert str(error.value).startswith("文件过大（60 MB），上限为 50 MB")
    assert error.value.reason == "too_large"


def test_bytes_over_the_size_limit_are_refused() -> None:
    assert _refused(bytes(MAX_BYTES + 1), "big.txt").reason == "too_large"


def test_missing_path(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="找不到文件") as error:
        read_path(tmp_path / "没有这个文件.docx")
    assert error.value.reason == "not_found"


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="文件夹"):
        read_path(tmp_path)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"\x89PNG\r\n\x1a\n" + bytes(64), "corrupt"),
        (b"7z\xbc\xaf\x27\x1c" + bytes(64), "unsupported"),
        (b"\x00\x01\x02\x03" * 100, "binary"),
    ],
)
def test_other_formats_say_what_to_do(data: bytes, reason: str) -> None:
    assert _refused(data).reason == reason
