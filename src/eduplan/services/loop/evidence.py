"""Evidence files (佐证材料) of a report: type checked by content, size limited, stored by hash.

The type is read from the first bytes, not from the name or the declared media type: PDF, PNG,
JPEG, GIF, WebP, and Office Open XML (docx/xlsx/pptx, a zip with its main part).  Anything else —
scripts, HTML, executables, plain zips, legacy .doc — is refused.  The name must then agree with
the content (`EXTENSIONS`): ``x.html`` or ``x.js`` that starts like a PDF or a GIF is refused, so
that no browser, mail client or file manager ever opens it as a page or a script; a name without an
extension gets the content's.  This one rule (`checked`) serves the API, the report form and the
rectification pages alike; downloads are always sent as attachments with ``nosniff``
(`download_headers`).  The bytes are stored once per sha256 as database rows (`services.blobs`,
in the same transaction as the evidence row), so whichever server process takes the upload, any
other serves the download; files kept on disk before revision 0014 are still read from there.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePath

from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.reports import EvidenceFile
from eduplan.db.work import WorkItem
from eduplan.services import blobs
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Conflict, Invalid, NotFound
from eduplan.services.loop.reports import EDITABLE, require_reporter
from eduplan.services.tracking import views as v
from eduplan.services.tracking.evidence import evidence_view
from eduplan.services.tracking.scope import item_for, report_for

_MAGIC = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)
_OOXML = {
    "word/document.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/workbook.xml": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/presentation.xml": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


EXTENSIONS: dict[str, tuple[str, ...]] = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg"),
    "image/gif": (".gif",),
    "image/webp": (".webp",),
    _OOXML["word/document.xml"]: (".docx",),
    _OOXML["xl/workbook.xml"]: (".xlsx",),
    _OOXML["ppt/presentation.xml"]: (".pptx",),
}
"""The file name extensions each accepted type may carry (the first is added to a bare name)."""


def sniff(data: bytes) -> str | None:
    """The media type of an accepted evidence file, by its content; None when not accepted."""
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"PK\x03\x04"):
        try:
            names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
        except zipfile.BadZipFile:
            return None
        if "[Content_Types].xml" in names:
            return next((t for part, t in _OOXML.items() if part in names), None)
    return None


def stored_path(settings: Settings, sha256: str) -> Path:
    """Where a file attached before revision 0014 was kept (newer ones are in the database)."""
    return blobs.legacy_path(settings, sha256)


def checked(settings: Settings, filename: str, data: bytes) -> tuple[str, str, str]:
    """(safe file name, media type, sha256) of an acceptable evidence file, else `Invalid`."""
    if len(data) > settings.evidence_max_bytes:
        raise Invalid(f"佐证材料超过上限 {settings.evidence_max_bytes} 字节")
    media_type = sniff(data)
    if media_type is None:
        raise Invalid(
            "佐证材料只接受 PDF、图片（PNG/JPEG/GIF/WebP）和 Word/Excel/PowerPoint（docx/xlsx/pptx）文件"
        )
    name = PurePath(filename.replace("\\", "/")).name.strip()[:200] or "evidence"
    suffix = PurePath(name).suffix.lower()
    allowed = EXTENSIONS[media_type]
    if not suffix or not suffix[1:].isascii() or not suffix[1:].isalnum():
        name = name[: 200 - len(allowed[0])] + allowed[0]  # a bare name takes the content's extension
    elif suffix not in allowed:
        raise Invalid(
            f"文件内容与扩展名不符（内容是 {allowed[0][1:].upper()} 文件，扩展名却是 {suffix}），已拒绝；"
            f"请上传扩展名为 {allowed[0]} 的原文件"
        )
    return name, media_type, hashlib.sha256(data).hexdigest()


def store_evidence(
    session: Session,
    settings: Settings,
    actor: Principal,
    data: bytes,
    checked_file: tuple[str, str, str],
    **owner: int,
) -> EvidenceFile:
    """Write the bytes (once per hash) and the row of an evidence file owned by `owner`
    (``report_id=`` or ``rectification_id=``), inside the caller's transaction."""
    name, media_type, sha = checked_file
    blobs.put(session, data, sha)
    row = EvidenceFile(
        filename=name,
        media_type=media_type,
        size=len(data),
        sha256=sha,
        uploaded_by=actor.username,
        uploaded_at=utcnow(),
        **owner,
    )
    session.add(row)
    session.flush()
    return row


def attach(
    session: Session,
    settings: Settings,
    actor: Principal,
    item: WorkItem,
    data: bytes,
    checked_file: tuple[str, str, str],
    **owner: int,
) -> v.EvidenceView:
    """Store an evidence file of `owner` (on a task of `item`) and record it in the audit log; the
    caller has checked that the actor may."""
    row = store_evidence(session, settings, actor, data, checked_file, **owner)
    after = {**owner, "filename": row.filename, "sha256": row.sha256, "size": row.size}
    record(session, actor, "attach", "evidence", row.id, item.id, item.org_id, None, after)
    return evidence_view(row)


def add_evidence(
    sessions: SessionFactory, settings: Settings, actor: Principal, report_id: int, filename: str, data: bytes
) -> v.EvidenceView:
    """Attach a file to a draft or returned report of the actor's unit."""
    found = checked(settings, filename, data)
    with sessions.begin() as session:
        report = report_for(session, actor, report_id)
        item = item_for(session, actor, report.item_id)
        require_reporter(actor, item, report.unit_id)
        if report.state not in EDITABLE:
            raise Conflict("报告已报送，不能再添加佐证材料")
        return attach(session, settings, actor, item, data, found, report_id=report.id)


@dataclass
class EvidenceContent:
    view: v.EvidenceView
    data: bytes


def open_evidence(
    sessions: SessionFactory, settings: Settings, actor: Principal, evidence_id: int
) -> EvidenceContent:
    """An evidence file the actor may read (as its report), and its bytes."""
    with sessions() as session:
        row = session.get(EvidenceFile, evidence_id)
        if row is None:
            raise NotFound(f"找不到佐证材料 {evidence_id}")
        if row.report_id is not None:
            report_for(session, actor, row.report_id)
        else:
            from eduplan.services.tracking.supervision import rectification_for

            rectification_for(session, actor, row.rectification_id or 0)
        view = evidence_view(row)
        data = blobs.get(session, view.sha256, settings)
    if data is None:
        raise NotFound("佐证材料文件已丢失")
    return EvidenceContent(view, data)
