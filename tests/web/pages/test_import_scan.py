"""导入 a scanned page through the web pages: read by OCR in the background, the preview says so
and marks the tasks whose text OCR was unsure of."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.web.pages.conftest import PagesFor, csrf_of

from eduplan.config import Settings
from eduplan.db.blobs import ImportDraft
from eduplan.readers.ocr import engine_name
from eduplan.samples.build import write_pdf
from eduplan.samples.loop import World
from eduplan.samples.scans import page_images
from eduplan.services import blobs

pytestmark = pytest.mark.skipif(
    engine_name() is None, reason="no OCR engine installed (pip install rapidocr)"
)


def test_scanned_page_imports_with_ocr_note_and_doubtful_task_marked(
    world: World, pages_for: PagesFor, settings: Settings, tmp_path: Path
) -> None:
    office: TestClient = pages_for("office", world.password)
    page = next(page_images(write_pdf(tmp_path / "plan.pdf"), 150, pages=[1]))  # title, 一、, items 1–3
    buffer = io.BytesIO()
    page.save(buffer, "PNG")
    token = csrf_of(office.get("/plans/import").text)
    sent = office.post(
        "/plans/import",
        data={"csrf_token": token, "org": ""},
        files={"file": ("扫描件.png", buffer.getvalue(), "image/png")},
    )
    assert sent.status_code == 303
    url = sent.headers["location"]
    deadline = time.monotonic() + 240
    while (state := office.get(url + "/progress.json").json())["state"] == "parsing":
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["state"] == "ready", state
    preview = office.get(url)
    assert "已经 OCR 文字识别，请对照原件核对" in preview.text
    assert "识别存疑" not in preview.text  # a clean scan: nothing doubtful

    twin = office.get(url + ".json").json()
    first = twin["outline"]["chapters"][0]["tasks"][0]
    with blobs.sessions_for(settings).begin() as session:
        row = session.get_one(ImportDraft, url.rsplit("/", 1)[1])
        doubtful = (row.plan or {})["chapters"][0]["items"][0]
        # what the reader leaves for a paragraph it read with 61 % confidence
        row.doubts = [[doubtful["text"], 0.61]]
    marked = office.get(url).text
    assert marked.count("识别存疑，请核对") == 1
    assert f'id="task-{first["index"]}"' in marked.split("识别存疑，请核对")[0].rsplit("<article", 1)[1]
    assert "OCR 识别把握较低的 1 段" in marked and "61%" in marked
