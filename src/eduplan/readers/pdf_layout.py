"""From positioned PDF lines to paragraphs: running headers, page numbers, wrapped lines.

Pure functions over `PdfLine`s (no pdfplumber here), so the rules can be tested on made-up pages.
- Page numbers (``- 3 -``, ``— 3 —``, ``第3页``, ``3/10``, a bare number) are dropped from the top
  two and bottom two lines of a page.
- Running headers and footers are lines of the same text (digits aside) at the same height near
  the top or bottom of at least half the pages; a line of that text elsewhere (a cover's 版头) stays.
- A line of only leader dots and a page number (or only a page number, under an entry ending in
  leader dots) ends the table-of-contents entry above it.
- Wrapped lines are joined: a line that reaches the right margin continues on the next one, also
  across a page break, unless the next one is indented, starts a numbering mark or a label such as
  责任单位, changes font size, or sits after a wider gap than usual.  A title in a larger font
  wrapped onto centred lines is joined too.
Limits: single-column layouts only; a paragraph whose last line happens to fill the width and
whose next paragraph is neither indented nor numbered is joined to it.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass

from eduplan.readers.normalize import starts_new_unit

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－―─·•\s]*\d{1,4}[-—–－―─·•\s]*"
    r"|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?"
    r"|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:page\s*)?\d{1,4}\s*of\s*\d{1,4}"
    r"|[-—–－\s]*[ivxlc]{1,6}[-—–－\s]*)$",
    re.IGNORECASE,
)
# the rest of a wrapped table-of-contents entry: leader dots and its page number (……… 23)
_LEADER_TAIL = re.compile(r"^[.…·．•]{2,}\s*[0-9]{1,4}$")
_LEADER_END = re.compile(r"[.…·．•]{2,}\s*$")
_EDGE_LINES = 2
_EDGE_BAND = 0.2
_SAME_PLACE = 6.0


@dataclass(kw_only=True)
class PdfLine:
    """A line of text on a page with its box (PDF points, top measured from the page top)."""

    page: int
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    page_height: float
    is_table: bool = False
    confidence: float = 1.0
    """How sure OCR is of the text (0–1); 1 for a text layer."""

    @property
    def height(self) -> float:
        return self.bottom - self.top


def is_page_number(text: str) -> bool:
    """Whether a line is only a page number in one of the usual styles."""
    return _PAGE_NUMBER.match(text.strip()) is not None


def _edges(lines: list[PdfLine]) -> list[tuple[PdfLine, str]]:
    """The first and last few text lines of a page, each tagged as top or bottom."""
    body = [line for line in lines if not line.is_table]
    out = [(line, "top") for line in body[:_EDGE_LINES] if line.top < line.page_height * _EDGE_BAND]
    out += [
        (line, "bottom")
        for line in body[-_EDGE_LINES:]
        if line.bottom > line.page_height * (1 - _EDGE_BAND) and all(line is not o for o, _ in out)
    ]
    return out


def remove_page_furniture(pages: list[list[PdfLine]]) -> list[list[PdfLine]]:
    """Pages without their page numbers and running headers/footers."""
    drop: set[int] = set()
    groups: dict[tuple[str, str], list[PdfLine]] = defaultdict(list)
    for lines in pages:
        for line, band in _edges(lines):
            if is_page_number(line.text):
                drop.add(id(line))
            else:
                groups[(re.sub(r"\d+", "#", line.text.replace(" ", "")), band)].append(line)
    needed = max(2, (len(pages) + 1) // 2)
    for group in groups.values():
        if len({line.page for line in group}) < needed:
            continue
        typical = statistics.median(line.top for line in group)
        same_place = [line for line in group if abs(line.top - typical) <= _SAME_PLACE]
        if len({line.page for line in same_place}) >= needed:
            drop.update(id(line) for line in same_place)
    return [[line for line in lines if id(line) not in drop] for lines in pages]


@dataclass
class _Margins:
    left: float
    right: float
    char: float
    spacing: float


def _margins(lines: list[PdfLine]) -> _Margins:
    text = [line for line in lines if not line.is_table and line.text.strip()]
    char = statistics.median(line.height for line in text) if text else 10.0
    char = max(char, 1.0)
    starts = Counter(round(line.x0) for line in text)
    frequent = [x for x, n in starts.items() if n >= max(2, len(text) * 0.1)] or list(starts) or [0]
    ends = sorted(line.x1 for line in text) or [0.0]
    right = ends[int(0.95 * (len(ends) - 1))]
    steps = [
        b.top - a.top
        for a, b in itertools.pairwise(text)
        if a.page == b.page and 0 < b.top - a.top < 4 * char
    ]
    spacing = statistics.median(steps) if steps else 2 * char
    return _Margins(float(min(frequent)), right, char, spacing)


def _centred(line: PdfLine, m: _Margins) -> bool:
    left_gap, right_gap = line.x0 - m.left, m.right - line.x1
    return left_gap > m.char and abs(left_gap - right_gap) < m.char


def _title_continues(prev: PdfLine, line: PdfLine, m: _Margins) -> bool:
    """A title in a larger font wrapped onto a second centred line."""
    same_size = abs(line.height - prev.height) <= 0.1 * prev.height
    return (
        prev.height > 1.1 * m.char
        and same_size
        and _centred(line, m)
        and (_centred(prev, m) or prev.x0 <= m.left + m.char)
        and line.page == prev.page
        and line.top - prev.bottom < prev.height
    )


def _continues(prev: PdfLine, line: PdfLine, m: _Margins) -> bool:
    """Whether `line` carries on the paragraph whose last line so far is `prev`."""
    if prev.is_table or line.is_table:
        return False
    if _LEADER_TAIL.match(line.text.strip()) or (
        _LEADER_END.search(prev.text) and line.text.strip().isdigit() and len(line.text.strip()) <= 4
    ):
        return True
    if _title_continues(prev, line, m):
        return True
    if prev.height > 1.1 * m.char and _centred(prev, m):  # a title's last line, however far it reaches
        return False
    if prev.x1 < m.right - 1.5 * m.char:  # a short line ends its paragraph
        return False
    if line.x0 > m.left + 0.5 * m.char:  # indented: a new paragraph (or a centred line)
        return False
    if abs(line.height - prev.height) > 0.2 * max(prev.height, 1.0):
        return False
    if line.page == prev.page and line.top - prev.top > 1.6 * m.spacing:
        return False
    return not starts_new_unit(line.text.strip())


def _join(a: str, b: str) -> str:
    # Latin words wrap at spaces, so one is restored; a number broken by CJK wrapping is not split
    words = a and b and a[-1].isascii() and a[-1].isalnum() and b[0].isascii() and b[0].isalnum()
    if words and not (a[-1].isdigit() and b[0].isdigit()):
        return f"{a} {b}"
    return a + b


def paragraphs(pages: list[list[PdfLine]]) -> list[str]:
    """Lines of the document with wrapped lines joined into paragraphs (tables rows unchanged)."""
    return [text for text, _ in paragraph_confidences(pages)]


def paragraph_confidences(pages: list[list[PdfLine]]) -> list[tuple[str, float]]:
    """`paragraphs` with each one's lowest line confidence (OCR; 1 for a text layer)."""
    lines = [line for page in pages for line in page]
    m = _margins(lines)
    out: list[tuple[str, float]] = []
    prev: PdfLine | None = None
    for line in lines:
        text = line.text.strip()
        if not text:
            continue
        if prev is not None and out and _continues(prev, line, m):
            joined, confidence = out[-1]
            out[-1] = (_join(joined, text), min(confidence, line.confidence))
        else:
            out.append((text if line.is_table else text.replace("\t", " "), line.confidence))
        prev = line
    return out
