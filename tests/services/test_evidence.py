"""Evidence files: accepted by content (not by name), size limited, stored once by sha256."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date

import pytest
from sqlalchemy import func, select

from eduplan.config import Settings
from eduplan.db.blobs import Blob
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Invalid, NotFound
from eduplan.services.loop import ReportInput
from eduplan.services.loop.evidence import sniff

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def ooxml(main_part: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr(main_part, "<x/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "media_type"),
    [
        (PDF, "application/pdf"),
        (PNG, "image/png"),
        (b"\xff\xd8\xff\xe0" + b"\x00" * 16, "image/jpeg"),
        (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "image/webp"),
        (
            ooxml("word/document.xml"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (ooxml("xl/workbook.xml"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (ooxml("other.xml"), None),  # a plain zip
        (b"MZ\x90\x00" + b"\x00" * 60, None),  # a Windows program
        (b"<html><script>alert(1)</script></html>", None),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", None),  # legacy .doc
        (b"PK\x03\x04broken", None),
    ],
)
def test_types_are_read_from_content(data: bytes, media_type: str | None) -> None:
    assert sniff(data) == media_type


def test_attach_store_and_read_back(world: World, sessions: SessionFactory, settings: Settings) -> None:
    jichu = Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )
    report = loop.save_report(
        sessions,
        jichu,
        world.items["1"],
        world.units["基础教育科"],
        4,
        ReportInput(),
        None,
        date(2024, 5, 10),
    )
    with pytest.raises(Invalid):  # named .pdf, but a program
        loop.add_evidence(sessions, settings, jichu, report.id, "进展.pdf", b"MZ" + b"\x00" * 100)
    with pytest.raises(Invalid):
        big = Settings(**{**settings.model_dump(), "evidence_max_bytes": 10})
        loop.add_evidence(sessions, big, jichu, report.id, "进展.pdf", PDF)
    first = loop.add_evidence(sessions, settings, jichu, report.id, "../../etc/进展.pdf", PDF)
    again = loop.add_evidence(sessions, settings, jichu, report.id, "副本.pdf", PDF)
    assert first.filename == "进展.pdf" and first.sha256 == hashlib.sha256(PDF).hexdigest()
    with sessions() as s:  # stored once, as database rows (no file under the data directory)
        assert s.scalar(select(func.count()).select_from(Blob).where(Blob.sha256 == first.sha256)) == 1
    assert first.sha256 == again.sha256 and not (settings.data_dir / "evidence").exists()
    content = loop.open_evidence(sessions, settings, jichu, first.id)
    assert content.data == PDF and content.view.media_type == "application/pdf"
    office = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    with pytest.raises(NotFound):  # evidence of a draft is the unit's own, like the draft
        loop.open_evidence(sessions, settings, office, first.id)
    current = tracking.get_report(sessions, jichu, report.id)
    assert [e.filename for e in current.evidence] == ["进展.pdf", "副本.pdf"]
    loop.submit_report(sessions, jichu, report.id, current.version)
    assert loop.open_evidence(sessions, settings, office, first.id).view.id == first.id
    with pytest.raises(Conflict):
        loop.add_evidence(sessions, settings, jichu, report.id, "补充.png", PNG)
