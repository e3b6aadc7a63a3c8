"""The web import of an existing 台账: upload → preview (columns as read, unreadable rows with their
row numbers) → change a column's role → confirm → the plan and its historical reports are there."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.services import ledger_books as books
from tests.web.pages.conftest import PagesFor, csrf_of, post_form

from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal
from eduplan.services.tracking import list_items, list_reports

SELECTED = re.compile(r'<select id="f-c(\d+)" name="c\d+">.*?<option value="([^"]+)" selected>', re.S)


@pytest.fixture
def office(world: World, pages_for: PagesFor) -> TestClient:
    return pages_for("office", world.password)


def _codes(html: str) -> list[str]:
    return [code for _, code in SELECTED.findall(html)]


def test_upload_preview_change_mapping_confirm(
    office: TestClient, world: World, pages_for: PagesFor, sessions: SessionFactory
) -> None:
    form = office.get("/plans/ledger-import")
    assert form.status_code == 200 and "导入已有台账" in form.text
    sent = office.post(
        "/plans/ledger-import",
        data={"csrf_token": csrf_of(form.text), "cycle": "monthly"},
        files={"file": ("长春台账.xlsx", books.monthly(months=3, bad=True), "application/octet-stream")},
    )
    assert sent.status_code == 303, sent.text
    url = sent.headers["location"]
    preview = office.get(url)
    assert preview.status_code == 200
    codes = _codes(preview.text)
    assert codes == [
        "number",
        "task",
        "lead",
        "deadline",
        "target",
        "percent",
        "progress:m1",
        "progress:m2",
        "progress:m3",
        "actuals",
    ]
    assert "第 3 行：有进展或目标，但任务列为空，找不到所属任务" in preview.text
    assert "第 5 行：完成进度“约一半”不是百分数（应为 0–100 或 70%）" in preview.text
    assert "将新建计划：<strong>2024年长春市教育工作要点</strong>" in preview.text
    data = office.get(url + ".json").json()
    assert len(data["preview"]["reports"]) == 6
    with sessions() as session:  # nothing written by a preview
        assert session.scalars(select(Plan).where(Plan.title == "2024年长春市教育工作要点")).first() is None

    wrong = post_form(office, url, {f"c{i}": "ignore" for i in range(len(codes))})
    assert wrong.status_code == 422 and "请至少把一列设为“任务”或“主要内容”" in wrong.text
    codes[8] = "ignore"  # March's column is not to be imported
    changed = post_form(office, url, {f"c{i}": c for i, c in enumerate(codes)} | {"cycle": "monthly"})
    assert changed.status_code == 303
    again = office.get(url)
    assert _codes(again.text)[8] == "ignore"
    assert len(office.get(url + ".json").json()["preview"]["reports"]) == 4

    other = pages_for("jichu", world.password)
    assert other.get(url).status_code in (403, 404)  # a reporter may not; nobody else sees the upload

    done = post_form(office, url + "/confirm", {}, page=url)
    assert done.status_code == 303, done.text
    plan_id = int(done.headers["location"].rsplit("/", 1)[1])
    system = Principal.system()
    items = {i.title: i for i in list_items(sessions, system, plan_id)}
    first = items["推进学前教育普惠发展"]
    assert [(r.cycle, r.state, r.updated_by) for r in list_reports(sessions, system, first.id)] == [
        (0, "accepted", "office"),
        (1, "accepted", "office"),
    ]
    with sessions() as session:
        entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "ledger_import")).one()
        assert (entry.username, entry.entity_id) == ("office", plan_id)
    assert office.get(url).status_code == 404  # the upload is gone once imported


def test_a_file_that_is_no_ledger_is_shown_again_with_the_reason(office: TestClient) -> None:
    form = office.get("/plans/ledger-import")
    sent = office.post(
        "/plans/ledger-import",
        data={"csrf_token": csrf_of(form.text)},
        files={"file": ("说明.txt", "一、总体要求\n".encode(), "text/plain")},
    )
    assert sent.status_code == 422
    assert "无法读取“说明.txt”：台账须为 Excel 表格" in sent.text
