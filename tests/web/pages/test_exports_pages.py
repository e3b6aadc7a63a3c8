"""导出 pages: the exports page with its cycle choice and the bulletin's figures, its .json twin, and
the two downloads (Chinese file names) opened again with openpyxl and python-docx; scoped by role."""

from __future__ import annotations

import io
from urllib.parse import quote

import pytest
from docx import Document
from fastapi.testclient import TestClient
from httpx2 import Response
from openpyxl import load_workbook
from tests.export.progress_scenario import SCRIPT, file_april
from tests.web.pages.conftest import PagesFor

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World

ON = "on=2024-05-10"


@pytest.fixture
def filed(world: World, sessions: SessionFactory) -> World:
    """The world with its units' April reports filed (tests/export/progress_scenario.py)."""
    file_april(sessions, world)
    return world


def download(client: TestClient, url: str, filename: str) -> Response:
    """A download that succeeds and is named `filename` (UTF-8, RFC 5987) for the browser."""
    response = client.get(url)
    assert response.status_code == 200, response.text
    assert f"filename*=UTF-8''{quote(filename)}" in response.headers["content-disposition"]
    return response


def plan_download(client: TestClient, world: World, path: str, named: str) -> Response:
    """A download of the sample plan (`/plans/<id>/<path>`), named after the plan's title + `named`."""
    return download(client, f"/plans/{world.plan_id}/{path}", f"示例市教育局2024年教育工作要点-{named}")


def test_the_exports_page_lists_both_downloads_and_previews_the_bulletin(
    pages_for: PagesFor, filed: World
) -> None:
    world = filed
    leader = pages_for("leader", world.password)
    page = leader.get(f"/plans/{world.plan_id}/exports?{ON}")
    assert page.status_code == 200, page.text
    html = page.text
    assert "下载工作台账（xlsx）" in html and "下载进展通报（docx）" in html
    assert f'href="/plans/{world.plan_id}/ledger.xlsx?on=2024-05-10"' in html
    assert f'href="/plans/{world.plan_id}/bulletin.docx?cycle=3&amp;on=2024-05-10"' in html
    assert "关于2024年4月（第4期）示例市教育局教育工作要点落实情况的通报" in html
    assert '<option value="3" selected>第4期（2024年4月）</option>' in html
    assert "严重滞后任务" in html and "7. 建设智慧校园" in html and "有单位报告受阻" in html
    assert "本期无逾期未完成任务。" in html
    ranking = html[html.index("四、责任单位排名") :]
    assert ranking.index("发展规划科") < ranking.index("学前教育科") < ranking.index("基础教育科")
    assert "30%" in html and "应报 20，按时 5，逾期 1，未报 14" in html
    assert SCRIPT not in html  # narratives are not on the page; nothing typed comes back raw


def test_choosing_an_earlier_cycle_and_the_json_twin(pages_for: PagesFor, filed: World) -> None:
    world = filed
    office = pages_for("office", world.password)
    data = office.get(f"/plans/{world.plan_id}/exports.json?cycle=1&{ON}").json()
    b = data["bulletin"]
    assert b["cycle"]["label"] == "2024年2月" and b["as_of"] == "2024-02-26"
    assert data["bulletin_url"] == f"/plans/{world.plan_id}/bulletin.docx?cycle=1&on=2024-05-10"
    assert [c["number"] for c in data["cycles"]] == [4, 3, 2, 1]
    latest = office.get(f"/plans/{world.plan_id}/exports.json?{ON}").json()["bulletin"]
    assert (latest["tasks"], latest["completed"], latest["counts"]) == (
        11,
        1,
        {"green": 2, "amber": 1, "red": 8},
    )
    assert latest["chart_categories"][:2] == ["发展规划科", "学前教育科"]


def test_the_ledger_download_opens_with_openpyxl(pages_for: PagesFor, filed: World) -> None:
    office = pages_for("office", filed.password)
    response = plan_download(office, filed, f"ledger.xlsx?{ON}", "工作台账-20240510.xlsx")
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    sheet = load_workbook(io.BytesIO(response.content))["工作台账"]
    assert [c.value for c in sheet[2]][7:10] == ["灯号", "序时进度", "完成进度"]
    assert sheet["H3"].value == "正常" and sheet.max_row == 2 + 11


def test_the_bulletin_download_opens_with_python_docx(pages_for: PagesFor, filed: World) -> None:
    leader = pages_for("leader", filed.password)
    response = plan_download(leader, filed, f"bulletin.docx?cycle=3&{ON}", "第4期进展通报.docx")
    assert 'filename="bulletin-' in response.headers["content-disposition"]  # ASCII fallback
    doc = Document(io.BytesIO(response.content))
    texts = [p.text for p in doc.paragraphs]
    assert "关于2024年4月（第4期）示例市教育局教育工作要点落实情况的通报" in texts
    assert any(r.reltype.endswith("/chart") for r in doc.part.rels.values())


def test_a_reporter_exports_only_its_own_tasks_and_unit(pages_for: PagesFor, filed: World) -> None:
    world = filed
    caiwu = pages_for("caiwu", world.password)
    sheet = load_workbook(io.BytesIO(caiwu.get(f"/plans/{world.plan_id}/ledger.xlsx?{ON}").content))[
        "工作台账"
    ]
    assert [sheet.cell(r, 3).value for r in range(3, sheet.max_row + 1)] == [
        "7. 建设智慧校园",
        "9. 落实教育经费投入",
    ]
    text = "".join(str(c.value) for row in sheet.iter_rows() for c in row)
    assert (
        "资金尚未下达" in text and "教育技术装备中心：" not in text
    )  # the other unit's report is not its to read
    data = caiwu.get(f"/plans/{world.plan_id}/exports.json?{ON}").json()["bulletin"]
    assert [u["unit_name"] for u in data["ranking"]] == ["计划财务科"] and data["tasks"] == 2


def test_refusals_are_chinese_pages(pages_for: PagesFor, browser, world: World) -> None:  # type: ignore[no-untyped-def]
    login = browser.get(f"/plans/{world.plan_id}/ledger.xlsx")
    assert login.status_code == 303 and login.headers["location"].startswith("/login?next=")
    office = pages_for("office", world.password)
    not_due = office.get(f"/plans/{world.plan_id}/bulletin.docx?cycle=4&{ON}")
    assert not_due.status_code == 404 and "第 5 期尚未到报送日" in not_due.text
    early = office.get(f"/plans/{world.plan_id}/exports?on=2024-01-10")
    assert early.status_code == 200 and "还没有到期的报送周期" in early.text
    assert 'aria-disabled="true">下载进展通报（docx）' in early.text
    assert office.get(f"/plans/{world.plan_id}/bulletin.docx?on=2024-01-10").status_code == 422
    assert office.get("/plans/9999/exports").status_code == 404
    bad = office.get(f"/plans/{world.plan_id}/exports?on=%3Cscript%3E")
    assert bad.status_code == 400 and "请求参数有误" in bad.text and "<script>" not in bad.text


def test_a_plan_not_open_for_reporting_says_so(
    pages_for: PagesFor, world: World, sessions: SessionFactory
) -> None:
    from eduplan.services.registry import import_document

    text = "示例市教育局2025年校园安全工作要点\n一、筑牢校园安全防线\n1.开展应急演练。年内组织应急演练不少于4次。\n责任单位：安全稳定科\n2.排查安全隐患。全面排查校园安全隐患。\n责任单位：安全稳定科\n"
    other = import_document(sessions, text.encode(), "安全.txt")
    assert other.plan_id not in (world.plan_id, world.district_plan_id)
    office = pages_for("office", world.password)
    page = office.get(f"/plans/{other.plan_id}/exports")
    assert page.status_code == 200 and "该计划尚未开启报送" in page.text
    assert f'href="/plans/{other.plan_id}/schedule">去开启报送' in page.text
    assert 'aria-disabled="true">下载工作台账（xlsx）' in page.text
    assert office.get(f"/plans/{other.plan_id}/ledger.xlsx").status_code == 422  # 尚未安排报送周期
    reporter = pages_for("caiwu", world.password)
    assert reporter.get(f"/plans/{other.plan_id}/exports").status_code == 404  # none of its tasks


def test_a_narrative_with_a_control_character_or_a_formula_exports_as_text(
    pages_for: PagesFor, world: World, sessions: SessionFactory
) -> None:
    """Issue 13: one control character in a narrative made the 台账 a 500 for everyone."""
    from tests.export.progress_scenario import APRIL, ON_TIME, TODAY, reporter

    from eduplan.db.orgs import Unit
    from eduplan.services import loop
    from eduplan.services.loop import ReportInput

    who = reporter(world, "jichu", "基础教育科")
    assert who.unit_id is not None
    narrative = '=HYPERLINK("http://evil.example","点此查看")\x07新开工项目5个'
    made = loop.save_report(
        sessions,
        who,
        world.items["1"],
        who.unit_id,
        APRIL,
        ReportInput("in_progress", 70, narrative),
        None,
        TODAY,
    )
    loop.submit_report(sessions, who, made.id, made.version, now=ON_TIME)
    office = pages_for("office", world.password)
    response = office.get(f"/plans/{world.plan_id}/ledger.xlsx?{ON}")
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["工作台账"]
    cells = [c for row in sheet.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert any('=HYPERLINK("http://evil.example","点此查看")新开工项目5个' in str(c.value) for c in cells)
    with sessions.begin() as session:  # a name that came in with a control character (older data)
        session.get(Unit, world.units["基础教育科"]).name = "基础教育科\x01"  # type: ignore[union-attr]
    response = office.get(f"/plans/{world.plan_id}/bulletin.docx?cycle=3&{ON}")
    assert response.status_code == 200, response.text
    assert "基础教育科" in "".join(
        c.text for t in Document(io.BytesIO(response.content)).tables for c in t._cells
    )


def test_the_office_sets_the_number_and_signer_of_the_bulletin(
    world: World, sessions: SessionFactory, pages_for: PagesFor
) -> None:
    file_april(sessions, world)
    office = pages_for("office", world.password)
    page = office.get(f"/plans/{world.plan_id}/exports?on=2024-05-10")
    assert 'name="number"' in page.text and 'name="signer"' in page.text and 'name="printed_by"' in page.text
    got = office.get(
        f"/plans/{world.plan_id}/bulletin.docx",
        params={
            "on": "2024-05-10",
            "number": "示教督〔2024〕9号",
            "signer": "李明",
            "printed_by": "示例市教育局办公室",
        },
    )
    assert got.status_code == 200
    texts = [p.text for p in Document(io.BytesIO(got.content)).paragraphs]
    assert "示教督〔2024〕9号" in texts and "签发人：李明" in texts
    assert any(t.startswith("示例市教育局办公室") and t.endswith("印发") for t in texts)
