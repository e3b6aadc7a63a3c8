"""Evidence files (佐证材料) as the pages and the API show them, and the headers of a download.

Storing a file is the write side's (`loop.evidence`); this only reads rows."""

from __future__ import annotations

from urllib.parse import quote

from eduplan.db.reports import EvidenceFile
from eduplan.services.tracking import views as v
from eduplan.services.view_rows import from_row


def download_headers(view: v.EvidenceView) -> dict[str, str]:
    """Headers of an evidence download: always an attachment (never shown inline) and not sniffed."""
    return {
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(view.filename)}",
        "ETag": f'"{view.sha256}"',
        "X-Content-Type-Options": "nosniff",
    }


def evidence_view(row: EvidenceFile) -> v.EvidenceView:
    return from_row(v.EvidenceView, row)
