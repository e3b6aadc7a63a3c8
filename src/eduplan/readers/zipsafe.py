"""Opening a docx's (or an OFD's, an ODT's) zip safely: no zip bombs, no encrypted or broken
archives, no XML entities.

Checked before anything is decompressed, from the central directory: entry count, total declared
size (`limits.MAX_UNZIPPED`) and per-part compression ratio (`limits.MAX_RATIO`).  Python's zipfile
never inflates a part beyond its declared size and checks its CRC, so a lying header cannot get
past these limits either.  XML parts are then scanned for ``<!DOCTYPE``/``<!ENTITY``: Word never
writes them, and refusing them rules out XXE and entity-expansion attacks whatever the parser does.
"""

from __future__ import annotations

import io
import zipfile
import zlib

from eduplan.readers.errors import ReadError
from eduplan.readers.limits import MAX_RATIO, MAX_UNZIPPED, MAX_ZIP_ENTRIES, RATIO_MIN_SIZE, megabytes

WORD = "Word 文档"
_CORRUPT = "{kind}已损坏，无法解压；{advice}"
_BOMB = "{kind}解压后过大（{size}，上限 {limit}），疑似压缩炸弹，已拒绝读取"
_DECLARATIONS = tuple(
    marker.encode(enc) for marker in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-8", "utf-16-le", "utf-16-be")
)
_CHUNK = 1 << 16


def _corrupt(kind: str) -> str:
    advice = "请用 Word 或 WPS 打开后重新保存再导入" if kind == WORD else "请重新导出该文件后再导入"
    return _CORRUPT.format(kind=kind, advice=advice)


def _encrypted(kind: str) -> str:
    return f"{kind}已加密，请在 Word 或 WPS 中取消密码后再导入" if kind == WORD else f"{kind}已加密，无法读取"


def open_zip(data: bytes, kind: str = WORD) -> zipfile.ZipFile:
    """The archive in `data`, after checking its declared sizes; `ReadError` if unsafe or broken.

    `kind` names the file in messages (``Word 文档``, ``OFD 文件``)."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ReadError(_corrupt(kind)) from exc
    if len(infos) > MAX_ZIP_ENTRIES:
        raise ReadError(f"{kind}包含的部件过多（{len(infos)} 个），疑似恶意文件，已拒绝读取", "unsafe")
    total = sum(info.file_size for info in infos)
    if total > MAX_UNZIPPED:
        raise ReadError(
            _BOMB.format(kind=kind, size=megabytes(total), limit=megabytes(MAX_UNZIPPED)), "unsafe"
        )
    for info in infos:
        if info.flag_bits & 0x1:
            raise ReadError(_encrypted(kind), "encrypted")
        if info.file_size >= RATIO_MIN_SIZE and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise ReadError(
                f"{kind}的部件 {info.filename} 压缩比异常（解压后 {megabytes(info.file_size)}），"
                "疑似压缩炸弹，已拒绝读取",
                "unsafe",
            )
    return zf


def _has_declaration(zf: zipfile.ZipFile, name: str) -> bool:
    tail = b""
    with zf.open(name) as part:
        while chunk := part.read(_CHUNK):
            window = tail + chunk
            if any(marker in window for marker in _DECLARATIONS):
                return True
            tail = window[-32:]
    return False


def refuse_xml_declarations(zf: zipfile.ZipFile, kind: str = WORD) -> None:
    """`ReadError` if any XML part declares a DTD or entities; also catches corrupt parts."""
    try:
        for info in zf.infolist():
            name = info.filename.lower()
            if (name.endswith((".xml", ".rels")) or name == "[content_types].xml") and _has_declaration(
                zf, info.filename
            ):
                raise ReadError(
                    f"{kind}的部件 {info.filename} 含有 DTD 或实体声明，"
                    "正常的文件不会包含这些内容，为安全起见已拒绝读取",
                    "unsafe",
                )
    except ReadError:
        raise
    except RuntimeError as exc:  # zipfile's "password required" for an encrypted member
        raise ReadError(_encrypted(kind), "encrypted") from exc
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
        raise ReadError(_corrupt(kind)) from exc
