"""Size limits that keep a hostile or accidental upload from exhausting memory.

`MAX_BYTES` bounds the file itself; the zip limits bound what a docx may expand to (zip bombs),
checked from the archive's declared sizes before anything is decompressed; the PDF limits bound
pages, characters and decoded page content (`pdf_limits`, PDF bombs).
"""

from __future__ import annotations

from eduplan.readers.errors import ReadError

MAX_BYTES = 50 * 1024 * 1024
"""Largest file accepted (50 MB): far above any real plan, small enough to hold in memory."""

MAX_UNZIPPED = 200 * 1024 * 1024
"""Largest total uncompressed size of a docx's parts."""

MAX_RATIO = 200
"""Largest compression ratio of one sizeable part; real Word XML stays well under 50."""

RATIO_MIN_SIZE = 2 * 1024 * 1024
"""Parts smaller than this are not ratio-checked (tiny repetitive parts compress very well)."""

MAX_ZIP_ENTRIES = 10_000


def megabytes(size: int) -> str:
    """A size for messages: ``60 MB``, ``1.5 MB``."""
    mb = size / (1024 * 1024)
    return f"{mb:.0f} MB" if mb >= 10 or mb == int(mb) else f"{mb:.1f} MB"


def check_size(size: int) -> None:
    """Refuse a file larger than `MAX_BYTES`."""
    if size > MAX_BYTES:
        raise ReadError(
            f"文件过大（{megabytes(size)}），上限为 {megabytes(MAX_BYTES)}，请删去图片或拆分后再导入",
            "too_large",
        )


MAX_PAGES = 2_000
"""Most pages read from one PDF (a 十四五规划 with its annexes has a few hundred)."""

MAX_CHARS = 2_000_000
"""Most characters read from one PDF (several times the longest real plan)."""

MAX_PAGE_CONTENT = 4 * 1024 * 1024
"""Largest decoded content (operators) of one PDF page with its forms; a dense text page is < 100 KB."""

MAX_PDF_CONTENT = 64 * 1024 * 1024
"""Largest decoded content of all pages of one PDF."""

MAX_PAGE_TEXT = 100_000
"""Most bytes of shown strings on one PDF page: a page of 6-point text has < 10,000 glyphs (≤ 4 bytes each)."""
