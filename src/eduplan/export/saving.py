"""Turn a built document — a python-docx `Document`, an openpyxl `Workbook`, anything with
`save(path_or_stream)` — into bytes for a download, or into a file written atomically.

Each exporter builds its document and hands it here, so that "as bytes" and "to a path" are the
same document and neither differs between exporters.  Limit: the whole file is held in memory.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any, Protocol

from eduplan.export.atomic import atomic_write


class Saveable(Protocol):
    def save(self, target: Any, /) -> object: ...


def document_bytes(document: Saveable) -> bytes:
    """What `document.save` writes, as bytes."""
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def save_document(document: Saveable, path: str | Path) -> Path:
    """Save `document` to `path` atomically (the old file or the new one, never half of it)."""
    return atomic_write(path, lambda tmp: document.save(tmp))
