"""Taking an office file (docx, odt, ofd: all zip packages) apart and putting it back together, for
the tests that tamper with one part and check how the reader refuses or reads the result."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def parts_of(path: Path) -> dict[str, bytes]:
    """Every member of the package at `path`, by name, in package order."""
    with zipfile.ZipFile(path) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    """A package of `parts` (deflated), in their order."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()
