"""Small real files for upload tests: a one-page PDF (reportlab) and a 1×1 PNG, as a reporter would
attach as evidence.  Built in memory, the same bytes every time (the PDF is made `invariant`)."""

from __future__ import annotations

import io
import struct
import zlib


def pdf_bytes(text: str = "kaigong zhengming") -> bytes:
    """A real one-page PDF with `text` on it, as a reporter would scan or print one."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    c = canvas.Canvas(out, invariant=1)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return out.getvalue()


def png_bytes() -> bytes:
    """A real 1×1 PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
        + chunk(b"IEND", b"")
    )
