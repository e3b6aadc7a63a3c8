"""The document's own table of contents (目录): recognised, kept, never parsed as content."""

from __future__ import annotations

import re

from eduplan.domain import TocEntry
from eduplan.parsing.numbering import match_marker

_LEADER = re.compile(r"[.…·．•]{3,}|…{2,}")  # …… is six dots (OCR reads long leaders as a few …)
_TOC_HEADING = re.compile(r"^目\s*录$")
# leader dots (…… ..... ·····) or a tab before a page number at the end of the line
_TOC_ENTRY = re.compile(
    r"^(.+?)\s*(?:[.…·．。•\-—_]{3,}\s*|…{2,}\s*|\t\s*|\s{2,}|\s+(?=[-—–]))[-—–]?\s*([0-9]{1,4})\s*[-—–]?$"
)


def _entry(line: str) -> TocEntry | None:
    m = _TOC_ENTRY.match(line.strip())
    if not m:
        return None
    title = re.sub(r"[.…·．•]{2,}$", "", m.group(1)).strip()
    marker = match_marker(title)
    number = marker.number if marker and marker.style in ("part", "chapter", "paren_cn", "arabic") else None
    if marker and number:
        title = marker.rest.strip()
    return TocEntry(number=number, title=title, page=int(m.group(2)))


def find_toc(lines: list[str]) -> tuple[list[TocEntry], int, int]:
    """(TOC entries, first line, line after the TOC).  A TOC is a 目录 heading followed by entries
    with page numbers, or a run of at least three entries with leader dots near the start."""
    start = None
    for i, ln in enumerate(lines[:80]):
        if _TOC_HEADING.match(ln.strip()):
            start = i
            break
    first_entry = start + 1 if start is not None else None
    if first_entry is None:
        run = 0
        for i, ln in enumerate(lines[:80]):
            run = run + 1 if _entry(ln) and _LEADER.search(ln) else 0
            if run >= 3:
                first_entry = start = i - 2
                break
    if first_entry is None or start is None:
        return [], 0, 0
    entries: list[TocEntry] = []
    i = first_entry
    while i < len(lines):
        e = _entry(lines[i])
        if e is None:
            # an entry wrapped onto two lines: this line and the next one together
            if i + 1 < len(lines) and len(lines[i]) < 40 and (e2 := _entry(lines[i] + lines[i + 1])):
                entries.append(e2)
                i += 2
                continue
            break
        entries.append(e)
        i += 1
    if not entries and start is not None and first_entry == start + 1:
        return _unpaged_toc(lines, start)
    if not entries:
        return [], 0, 0
    return entries, start, i


def _unpaged_toc(lines: list[str], start: int) -> tuple[list[TocEntry], int, int]:
    """A 目录 without page numbers (web pages): short heading lines whose titles recur later."""
    entries: list[TocEntry] = []
    i = start + 1
    while i < len(lines) and len(lines[i]) <= 50 and "。" not in lines[i].rstrip("。"):
        marker = match_marker(lines[i])
        if marker is None:
            break
        title = marker.rest.strip().rstrip("。")
        if entries and title and title == entries[0].title:
            break  # the body begins: the first heading again
        entries.append(TocEntry(number=marker.number, title=title))
        i += 1
    if len(entries) < 2 or not any(entries[0].title in ln for ln in lines[i:]):
        return [], 0, 0
    return entries, start, i
