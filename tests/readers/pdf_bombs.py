"""PDF bombs made from raw PDF syntax and zlib (no library), for the limit tests and the benchmark.

`text_bomb(mb)`: one page whose one Flate stream inflates to `mb` MB of ``Tj`` operators (the attack
of issue 13: 77 KB inflating to 30 MB).  `form_bomb(draws, glyphs)`: one page drawing the same small
form XObject `draws` times; every stream is small, so only the time limit stops it.
"""

from __future__ import annotations

import zlib

_FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _flate(content: bytes, extra: bytes = b"") -> bytes:
    packed = zlib.compress(content, 9)
    return (
        b"<< /Length %d /Filter /FlateDecode %s>>\nstream\n" % (len(packed), extra) + packed + b"\nendstream"
    )


def _pdf(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


_CATALOG = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>"]


def text_bomb(mb: float = 30) -> bytes:
    """One page, one Flate stream of `mb` MB of text operators."""
    op = b"BT /F1 12 Tf 72 700 Td (" + b"A" * 40 + b") Tj ET\n"
    content = op * int(mb * 1024 * 1024 // len(op))
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
    )
    return _pdf([*_CATALOG, page, _flate(content), _FONT])


def form_bomb(draws: int = 50_000, glyphs: int = 2_000) -> bytes:
    """One page drawing a form XObject of `glyphs` glyphs `draws` times."""
    form = b"BT /F1 1 Tf 10 10 Td (" + b"A" * glyphs + b") Tj ET"
    extra = b"/Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
    page = (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /XObject << /X1 6 0 R >> >> /Contents 4 0 R >>"
    )
    return _pdf([*_CATALOG, page, _flate(b"q /X1 Do Q\n" * draws), _FONT, _flate(form, extra)])
