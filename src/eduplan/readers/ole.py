"""What an OLE compound file (the container of Office 97-2003 files) holds, from its directory.

Word 97-2003 and WPS 文字 files keep their text in a ``WordDocument`` stream, Excel (and WPS 表格
.et) in ``Workbook`` or ``Book``, PowerPoint in ``PowerPoint Document``.  A password-protected
.docx/.xlsx is an OLE file too (``EncryptionInfo`` + ``EncryptedPackage``), and a protected .doc
says so in its File Information Block (fEncrypted, or fObfuscated for XOR obfuscation).
"""

from __future__ import annotations

import io
import struct
from typing import Literal

from eduplan.readers.errors import ReadError

OleKind = Literal["word", "excel", "powerpoint", "encrypted", "other"]

_WORD_MAGICS = (0xA5EC, 0xA5DC)
_F_ENCRYPTED = 0x0100
_F_OBFUSCATED = 0x8000
_CORRUPT = (
    "这份旧版 Office 文件（.doc/.wps/.xls）已损坏，无法打开；请用 Word 或 WPS 打开后另存为 .docx 再导入"
)


def _word_encrypted(fib: bytes) -> bool:
    if len(fib) < 12:
        raise ReadError(_CORRUPT)
    ident, flags = struct.unpack_from("<H", fib, 0)[0], struct.unpack_from("<H", fib, 10)[0]
    # Word 97+ and Word 6/95 keep fEncrypted in the same place; other idents are left to LibreOffice
    return ident in _WORD_MAGICS and bool(flags & (_F_ENCRYPTED | _F_OBFUSCATED))


def ole_kind(data: bytes) -> OleKind:
    """The kind of Office file in an OLE container; `ReadError` when the container is broken."""
    import olefile

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            if not ole.listdir():  # a header and nothing behind it
                raise ReadError(_CORRUPT)
            if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
                return "encrypted"
            if ole.exists("WordDocument"):
                with ole.openstream("WordDocument") as stream:
                    return "encrypted" if _word_encrypted(stream.read(32)) else "word"
            if ole.exists("Workbook") or ole.exists("Book"):
                return "excel"
            if ole.exists("PowerPoint Document"):
                return "powerpoint"
            return "other"
    except ReadError:
        raise
    except Exception as exc:  # olefile raises OSError, struct.error, IndexError… on a damaged file
        raise ReadError(_CORRUPT) from exc
