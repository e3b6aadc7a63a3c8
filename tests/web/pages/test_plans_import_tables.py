"""The web import of task tables (xlsx, csv) and of a notice bundling several plans: upload →
preview (with the choice of plan) → confirm → the registry holds the plan chosen."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.pages.conftest import PagesFor, csrf_of, post_form, wait_parsed

from eduplan.config import Settings
from eduplan.db.blobs import ImportDraft
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan
from eduplan.samples import task_table
from eduplan.samples.bundle_text import TITLES, bundle_lines
from eduplan.samples.loop import World
from eduplan.services import blobs

BUNDLE = "\n".join(bundle_lines()).encode()


@pytest.fixture
def office(world: World, pages_for: PagesFor) -> TestClient:
    return pages_for("office", world.password)


def _upload(client: TestClient, name: str, data: bytes):  # type: ignore[no-untyped-def]
    """Upload as the form does; like the page that refreshes itself, wait until the background parse is done
    (the form waits two seconds, which a loaded machine can miss)."""
    token = csrf_of(client.get("/plans/import").text)
    sent = client.post(
        "/plans/import", data={"csrf_token": token}, files={"file": (name, data, "application/octet-stream")}
    )
    if sent.status_code == 303:
        wait_parsed(client, sent.headers["location"])
    return sent


def _titles(sessions: SessionFactory) -> list[str]:
    with sessions() as s:
        return list(s.scalars(select(Plan.title).order_by(Plan.id)))


def test_the_upload_form_accepts_task_tables(office: TestClient, world: World) -> None:
    form = office.get("/plans/import").text
    assert ".xlsx,.xls,.et,.csv" in form and "任务分工表" in form


def test_a_task_table_is_previewed_and_imported_with_its_units(
    office: TestClient, world: World, sessions: SessionFactory, tmp_path: Path
) -> None:
    data = task_table.write_xlsx(tmp_path / "分工.xlsx").read_bytes()
    sent = _upload(office, "分工.xlsx", data)
    assert sent.status_code == 303, sent.text
    draft_url = sent.headers["location"]
    preview = office.get(draft_url)
    assert f"导入预览：{task_table.TITLE}" in preview.text
    assert "牵头 组织科" in preview.text and 'id="plan-choice"' not in preview.text
    done = post_form(office, f"{draft_url}/confirm", {}, page=draft_url)
    assert done.status_code == 303, done.text
    document = office.get(f"/api/v1/plans/{done.headers['location'].rsplit('/', 1)[1]}/document").json()
    first = document["chapters"][0]["items"][0]
    assert (document["title"], first["lead_units"], first["support_units"]) == (
        task_table.TITLE,
        ["组织科"],
        ["办公室"],
    )


def test_a_workbook_that_is_no_task_table_is_refused_beside_the_file_field(
    office: TestClient, world: World, settings: Settings
) -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["学校", "学生数"])
    ws.append(["示例市第一中学", 1200])
    out = io.BytesIO()
    wb.save(out)
    refused = _upload(office, "统计.xlsx", out.getvalue())
    assert refused.status_code == 422
    assert 'id="e-file"' in refused.text and "重点任务" in refused.text
    with blobs.sessions_for(settings)() as session:  # no draft was kept
        assert session.scalars(select(ImportDraft.id)).all() == []


def test_a_bundled_notice_offers_each_plan_and_imports_the_one_chosen(
    office: TestClient, world: World, sessions: SessionFactory
) -> None:
    draft_url = _upload(office, "三个方案.txt", BUNDLE).headers["location"]
    preview = office.get(draft_url)
    assert 'id="plan-choice"' in preview.text and "此文件包含 3 份计划" in preview.text
    assert all(title in preview.text for title in TITLES)
    assert f"导入预览：{TITLES[0]}" in preview.text  # the first, until another is chosen
    assert office.get(draft_url + ".json").json()["choices"][1] == {"title": TITLES[1], "tasks": 3}

    chosen = post_form(office, f"{draft_url}/choice", {"plan": "1"}, page=draft_url)
    assert chosen.status_code == 303
    preview = office.get(draft_url)
    assert f"导入预览：{TITLES[1]}" in preview.text
    assert 'value="1" checked' in preview.text
    done = post_form(office, f"{draft_url}/confirm", {}, page=draft_url)
    assert done.status_code == 303, done.text
    assert TITLES[1] in _titles(sessions) and TITLES[0] not in _titles(sessions)

    # the same file again: another of its plans is a new import, not a duplicate of the first
    again = _upload(office, "三个方案.txt", BUNDLE).headers["location"]
    missing = post_form(office, f"{again}/choice", {"plan": "7"}, page=again)
    assert missing.status_code == 303 and f"导入预览：{TITLES[0]}" in office.get(again).text
    post_form(office, f"{again}/choice", {"plan": "2"}, page=again)
    assert post_form(office, f"{again}/confirm", {}, page=again).status_code == 303
    assert _titles(sessions)[-2:] == [TITLES[1], TITLES[2]]
