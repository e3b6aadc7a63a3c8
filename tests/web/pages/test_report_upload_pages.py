"""Excel 填报 pages: a reporter downloads the template, fills it offline, uploads it, sees per row what
will change, confirms; a report edited on the web after the download is a conflict shown with both
versions and kept; a foreign file is refused in words; the report form starts a new cycle from the
unit's last report (最多报一次), marked as carried over."""

from __future__ import annotations

import re
from datetime import date

from fastapi.testclient import TestClient
from tests.services.template_fill import fill

from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop, tracking
from eduplan.services.accounts import Principal
from eduplan.services.loop import ReportInput

from .conftest import PagesFor, csrf_of
from .test_mine_pages import ON, post_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client: TestClient, world: World) -> bytes:
    page = client.get(f"/my/excel?on={ON}")
    assert page.status_code == 200, page.text
    assert f"/my/excel/{world.plan_id}.xlsx?on={ON}" in page.text
    got = client.get(f"/my/excel/{world.plan_id}.xlsx?on={ON}")
    assert got.status_code == 200 and got.headers["content-type"] == XLSX
    assert "%E5%A1%AB%E6%8A%A5%E6%A8%A1%E6%9D%BF" in got.headers["content-disposition"]  # 填报模板
    return got.content


def upload(client: TestClient, data: bytes):
    token = csrf_of(client.get("/my/excel").text)
    return client.post("/my/excel", data={"csrf_token": token}, files={"file": ("填好.xlsx", data, XLSX)})


def confirm(client: TestClient, preview_html: str, action: str = "save"):
    key = re.search(r'name="key" value="([0-9a-f]{64})"', preview_html)
    assert key, preview_html
    return client.post(
        "/my/excel/confirm", data={"csrf_token": csrf_of(preview_html), "key": key.group(1), "action": action}
    )


def reporter(world: World) -> Principal:
    return Principal(
        world.users["jichu"], "jichu", "reporter", world.org_id, "示例市", world.units["基础教育科"]
    )


def mine(sessions: SessionFactory, world: World, number: str) -> loop.views.ReportView | None:
    """基础教育科's report of May (its drafts are its own: read as its reporter)."""
    found = tracking.list_reports(sessions, reporter(world), world.items[number], 4)
    return found[0] if found else None


def test_download_fill_upload_preview_confirm(
    pages_for: PagesFor, world: World, sessions: SessionFactory
) -> None:
    jichu = pages_for("jichu", world.password)
    assert "Excel 填报" in jichu.get(f"/my?on={ON}").text
    listed = jichu.get(f"/my/excel.json?on={ON}").json()  # the page's data, as every page has it
    assert [(p["plan_id"], p["tasks"]) for p in listed["plans"]] == [(world.plan_id, 4)]
    filled = fill(
        download(jichu, world),
        {
            "1": {"status": "推进中", "percent": 40, "narrative": "<b>已开工</b>", "values": [1500]},
            "2": {"status": "推进中", "percent": 30, "values": [850, None]},
        },
    )
    preview = upload(jichu, filled)
    assert preview.status_code == 200, preview.text
    assert "新填报 1 项" in preview.text and "有误 1 项" in preview.text
    assert "「普惠性幼儿园覆盖率」是百分比，须在 0 到 100 之间（填写的是 850）" in preview.text
    assert "&lt;b&gt;已开工&lt;/b&gt;" in preview.text  # escaped
    assert mine(sessions, world, "1") is None  # nothing before the confirmation
    done = confirm(jichu, preview.text, "submit")
    assert done.status_code == 409  # one row was not saved: said so
    assert "已报送 1 项" in done.text and "集中填报" in done.text  # evidence goes on the form
    saved = mine(sessions, world, "1")
    assert saved is not None and (saved.state, saved.narrative) == ("submitted", "<b>已开工</b>")
    again = confirm(jichu, preview.text)
    assert again.status_code == 422 and "已过期或已处理" in again.text  # a confirmation is used once


def test_a_web_edit_after_the_download_is_a_conflict_with_both_versions(
    pages_for: PagesFor, world: World, sessions: SessionFactory
) -> None:
    jichu = pages_for("jichu", world.password)
    data = download(jichu, world)
    form = jichu.get(f"/my/report?on={ON}").text
    prefix = re.search(rf'name="(s\d+-)item" value="{world.items["1"]}"', form)
    assert prefix
    p = prefix.group(1)
    saved = post_report(
        jichu, form, {p + "progress": "in_progress", p + "percent": "55", p + "narrative": "网页上填的"}
    )
    assert saved.status_code == 303, saved.text
    preview = upload(jichu, fill(data, {"1": {"status": "推进中", "percent": 40, "narrative": "表格里填的"}}))
    assert "冲突 1 项" in preview.text and "网页上填的" in preview.text and "表格里填的" in preview.text
    done = confirm(jichu, preview.text)
    assert done.status_code == 409 and "冲突 1 项" in done.text
    kept = mine(sessions, world, "1")
    assert kept is not None and kept.narrative == "网页上填的"


def test_foreign_files_and_other_roles_are_refused(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    refused = upload(jichu, b"PK\x03\x04 junk")
    assert refused.status_code == 422 and "xlsx" in refused.text
    empty = upload(jichu, b"")
    assert empty.status_code == 422 and "请选择填好的模板文件" in empty.text
    office = pages_for("office", world.password)
    assert office.get("/my/excel").status_code == 403
    unit = world.units["基础教育科"]
    made = office.get(f"/my/excel/{world.plan_id}.xlsx?on={ON}&unit={unit}")  # for a unit that files on paper
    assert made.status_code == 200 and made.headers["content-type"] == XLSX
    assert office.get(f"/my/excel/{world.plan_id}.xlsx?on={ON}").status_code == 422  # which unit?
    xueqian = pages_for("xueqian", world.password)
    other = upload(xueqian, download(jichu, world))
    assert other.status_code == 422 and "只能由基础教育科的填报员上传" in other.text


def test_the_form_of_a_new_cycle_starts_from_the_last_report(
    pages_for: PagesFor, world: World, sessions: SessionFactory
) -> None:
    jichu_p = reporter(world)
    office_p = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    data = ReportInput("in_progress", 60, "新建幼儿园 2 所已开工", {2: 80, 3: 2})
    r = loop.save_report(
        sessions, jichu_p, world.items["2"], world.units["基础教育科"], 3, data, None, date(2024, 5, 10)
    )
    r = loop.submit_report(sessions, jichu_p, r.id, r.version)
    loop.review_report(sessions, office_p, r.id, "accept", r.version)
    jichu = pages_for("jichu", world.password)
    form = jichu.get(f"/my/report?on={ON}").text
    assert "已沿用第 4 期报告的内容" in form and "新建幼儿园 2 所已开工</textarea>" in form
    p = re.search(rf'name="(s\d+-)item" value="{world.items["2"]}"', form)
    assert p
    k = p.group(1)
    assert f'name="{k}t2" type="text" value="80"' in form
    chosen = re.search(rf'name="{k}progress".*?<option value="([a-z_]+)" selected>', form, re.S)
    assert chosen and chosen.group(1) == "in_progress"
    browser_sends = {  # what the browser posts back of the prefilled fields, untouched
        k + "progress": chosen.group(1),
        k + "narrative": "新建幼儿园 2 所已开工",
        k + "t2": "80",
        k + "t3": "2",
    }
    saved = post_report(
        jichu, form, browser_sends | {k + "percent": "70"}, action="submit"
    )  # only the change typed
    assert saved.status_code == 303, saved.text
    report = mine(sessions, world, "2")
    assert report is not None and (report.state, report.percent, report.narrative) == (
        "submitted",
        70,
        "新建幼儿园 2 所已开工",
    )
    assert {v.target_id: v.actual for v in report.values} == {2: 80, 3: 2}
