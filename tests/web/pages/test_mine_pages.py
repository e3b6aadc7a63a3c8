"""我的任务 and 集中填报: a reporter sees what is due this cycle (returned first), reports on all of it
in one form with evidence files (checked by content), drafts or submits; a wrong row is shown with
its message and nothing typed is lost; two people saving one report: the second is told who changed
what; a reporter can neither read nor write another unit's reports."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from tests.sample_files import pdf_bytes, png_bytes

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.accounts import Principal, UserCreate, create_user

from .conftest import PagesFor, csrf_of

ON = "2024-05-20"  # cycle 5 (May 2024) of the sample plans' monthly reports
XSS = "<script>alert(1)</script>"


def rows_of(html: str) -> dict[str, str]:
    """Row prefix (s0-) by item id, from the hidden fields of the report form."""
    return {m.group(2): m.group(1) for m in re.finditer(r'name="(s\d+-)item" value="(\d+)"', html)}


def row_fields(row: str, progress: str, percent: str, narrative: str | None = None) -> dict[str, str]:
    """The fields of one row of the form (field prefix `row`)."""
    fields = {f"{row}progress": progress, f"{row}percent": percent}
    return fields | ({f"{row}narrative": narrative} if narrative is not None else {})


def in_progress(row: str, percent: str, narrative: str | None = None) -> dict[str, str]:
    """The fields of one row of the form (field prefix `row`) reported as in progress."""
    return row_fields(row, "in_progress", percent, narrative)


def report_form(pages_for: PagesFor, world: World, *numbers: str) -> tuple[TestClient, str, list[str]]:
    """jichu signed in on this cycle's 集中填报 form: the client, the page, and the field prefixes of
    the rows of tasks `numbers`."""
    jichu = pages_for("jichu", world.password)
    html = jichu.get(f"/my/report?on={ON}").text
    prefix = rows_of(html)
    return jichu, html, [prefix[str(world.items[n])] for n in numbers]


def form_fields(html: str) -> dict[str, str]:
    """The hidden fields of the report form (csrf, on, slots, item, cycle, version)."""
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html)
    }


def post_report(
    client: TestClient, html: str, data: dict[str, str], files: list | None = None, action: str = "save"
):
    body = form_fields(html) | data | {"action": action}
    return client.post(
        "/my/report", data=body, files=files or [("unused", ("", b"", "application/octet-stream"))]
    )


def test_my_tasks_lists_the_cycle_with_states(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    page = jichu.get(f"/my?on={ON}")
    assert page.status_code == 200, page.text
    assert "基础教育科" in page.text and "加快中小学幼儿园建设" in page.text
    assert "第 5 期" in page.text and "未报送" in page.text
    data = jichu.get(f"/my.json?on={ON}").json()
    assert data["unit_name"] == "基础教育科" and data["slots"]
    assert all(s["cycle"] == 4 and s["state"] == "missing" for s in data["slots"])
    assert data["counts"]["total"] == len(data["slots"])
    form = jichu.get(f"/my/report.json?on={ON}").json()
    assert [row[0]["item_id"] for row in form["rows"]] == [s["item_id"] for s in data["slots"]]
    assert ("done", "已完成") in [tuple(o) for o in form["progress_options"]]


def test_report_everything_at_once_with_evidence_then_office_accepts(
    pages_for: PagesFor, world: World
) -> None:
    jichu, html, (one, two) = report_form(pages_for, world, "1", "3")
    item = jichu.get(f"/items/{world.items['1']}.json").json()["item"]
    target = item["targets"][0]["id"]
    data = (
        in_progress(one, "40", "新建项目已开工3个")
        | {f"{one}t{target}": "1200"}
        | row_fields(two, "not_started", "")
    )
    files = [
        (f"{one}files", ("开工证明.pdf", pdf_bytes(), "application/pdf")),
        (f"{one}files", ("现场照片.png", png_bytes(), "image/png")),
    ]
    sent = post_report(jichu, html, data, files, action="submit")
    assert sent.status_code == 303, sent.text
    mine = jichu.get(f"/my?on={ON}", follow_redirects=True).text
    assert "已报送 2 项" in mine and "已报送" in mine
    office = pages_for("office", world.password)
    assert "加快中小学幼儿园建设" in office.get("/my").text  # waiting for review
    page = office.get(f"/items/{world.items['1']}").text
    assert "新建项目已开工3个" in page and "开工证明.pdf" in page and "现场照片.png" in page
    evidence = re.findall(rf'href="(/items/{world.items["1"]}/evidence/\d+)"', page)
    download = office.get(evidence[0])
    assert download.status_code == 200 and download.content == pdf_bytes()
    assert download.headers["content-type"] == "application/pdf"
    report = office.get(f"/items/{world.items['1']}.json").json()["timelines"]
    rep = next(r for t in report for r in t["reports"] if r["unit_name"] == "基础教育科")
    action = f"/items/{world.items['1']}/reports/{rep['id']}/review"
    accepted = office.post(
        action, data={"csrf_token": csrf_of(page), "version": rep["version"], "decision": "accept"}
    )
    assert accepted.status_code == 303
    after = office.get(f"/items/{world.items['1']}", follow_redirects=True).text
    assert "报告已审核通过" in after and "已通过" in after
    assert "1,200" in after  # the actual value against the target bar


def test_a_wrong_row_comes_back_as_typed_and_the_right_one_is_saved(
    pages_for: PagesFor, world: World
) -> None:
    jichu, html, (one, two) = report_form(pages_for, world, "1", "3")
    data = in_progress(one, "四十", "第一行的说明") | row_fields(two, "done", "100", "第二行的说明")
    sent = post_report(jichu, html, data)
    assert sent.status_code == 422
    assert (
        "请填写数字" in sent.text and "已保存 1 项；1 项未能保存" in sent.text
    )  # issue 15: the right row is saved
    assert "第一行的说明" in sent.text and 'value="四十"' in sent.text
    slots = {s["item_id"]: s for s in jichu.get(f"/my.json?on={ON}").json()["slots"]}
    assert slots[world.items["1"]]["report"] is None and slots[world.items["3"]]["state"] == "draft"


def test_evidence_whose_content_does_not_match_is_refused(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    html = jichu.get(f"/my/report?on={ON}").text
    one = rows_of(html)[str(world.items["1"])]
    data = in_progress(one, "30", "附照片")
    fake = [(f"{one}files", ("照片.png", b"<html><script>alert(1)</script></html>", "image/png"))]
    sent = post_report(jichu, html, data, fake)
    assert sent.status_code == 422 and "照片.png" in sent.text and "只接受" in sent.text
    assert "附照片" in sent.text
    renamed = [(f"{one}files", ("照片.png", pdf_bytes(), "image/png"))]  # a PDF named .png
    sent = post_report(jichu, html, data, renamed)
    assert sent.status_code == 422 and "内容与扩展名不符" in sent.text


def test_two_people_saving_one_report(
    pages_for: PagesFor, world: World, sessions: SessionFactory, settings: Settings
) -> None:
    new = UserCreate(
        "jichu2", "reporter", "基础教育科二", world.org_id, world.units["基础教育科"], world.password
    )
    create_user(sessions, settings, Principal.system(), new)
    first, second = pages_for("jichu", world.password), pages_for("jichu2", world.password)
    html = first.get(f"/my/report?on={ON}").text
    one = rows_of(html)[str(world.items["1"])]
    assert post_report(first, html, in_progress(one, "10")).status_code == 303
    html1 = first.get(f"/my/report?on={ON}").text
    html2 = second.get(f"/my/report?on={ON}").text  # both read version 1
    assert post_report(first, html1, in_progress(one, "20", "甲的说明")).status_code == 303
    sent = post_report(second, html2, in_progress(one, "25", "乙的说明"))
    assert sent.status_code == 409
    assert "jichu" in sent.text and "修改了" in sent.text and "进展情况" in sent.text
    assert "乙的说明" in sent.text and "甲的说明" in sent.text  # mine kept, theirs shown
    again = post_report(second, sent.text, in_progress(one, "25", "乙的说明"))
    assert again.status_code == 303  # saved deliberately after seeing theirs


def test_a_reporter_cannot_read_or_write_another_units_reports(pages_for: PagesFor, world: World) -> None:
    xueqian, jichu = pages_for("xueqian", world.password), pages_for("jichu", world.password)
    html = xueqian.get(f"/my/report?on={ON}").text
    row = rows_of(html)[str(world.items["2"])]  # 学前教育科 and 基础教育科 share task 2
    assert post_report(xueqian, html, in_progress(row, "50", "学前的草稿")).status_code == 303
    page = jichu.get(f"/items/{world.items['2']}").text
    assert "学前的草稿" not in page  # another unit's draft
    other = world.items["9"]  # 计划财务科 only
    assert jichu.get(f"/items/{other}").status_code == 404
    forged = form_fields(jichu.get(f"/my/report?on={ON}").text) | {
        "slots": "1",
        "s0-item": str(other),
        "s0-cycle": "4",
        "s0-version": "",
        "s0-progress": "in_progress",
        "s0-percent": "90",
        "s0-narrative": "越权填报",
        "action": "save",
    }
    sent = jichu.post("/my/report", data=forged, files=[("unused", ("", b"", "application/octet-stream"))])
    assert sent.status_code == 422 and "找不到任务" in sent.text
    listed = pages_for("caiwu", world.password).get(f"/items/{other}.json").json()["timelines"]
    assert all(r["narrative"] != "越权填报" for t in listed for r in t["reports"])


def test_script_typed_into_every_field_comes_back_escaped(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    html = jichu.get(f"/my/report?on={ON}").text
    one = rows_of(html)[str(world.items["1"])]
    target = jichu.get(f"/items/{world.items['1']}.json").json()["item"]["targets"][0]["id"]
    data = {f"{one}progress": XSS, f"{one}percent": XSS, f"{one}narrative": XSS, f"{one}t{target}": XSS}
    sent = post_report(jichu, html, data)
    assert sent.status_code == 422 and XSS not in sent.text and "&lt;script&gt;" in sent.text
    ok = post_report(jichu, html, in_progress(one, "5", XSS))
    assert ok.status_code == 303
    for url in (f"/my/report?on={ON}", f"/items/{world.items['1']}"):
        page = jichu.get(url).text
        assert XSS not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_office_has_no_report_form(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    assert office.get("/my/report").status_code == 403
    assert "没有待审核的报告" in office.get("/my").text


def test_an_impossible_value_comes_back_beside_its_field_and_a_jump_is_shown_to_the_reviewer(
    pages_for: PagesFor, world: World
) -> None:
    jichu, html, (one, two) = report_form(pages_for, world, "1", "2")
    places = jichu.get(f"/items/{world.items['1']}.json").json()["item"]["targets"][0]["id"]
    targets = jichu.get(f"/items/{world.items['2']}.json").json()["item"]["targets"]
    coverage = next(t["id"] for t in targets if t["unit"] == "%")
    data = (
        in_progress(one, "40")
        | {f"{one}t{places}": "12000"}
        | in_progress(two, "40", "覆盖率已统计")
        | {f"{two}t{coverage}": "850"}
    )
    sent = post_report(jichu, html, data, action="submit")
    assert sent.status_code == 422, sent.text
    beside = re.search(rf'<p class="error" id="e-{two}t{coverage}" role="alert">([^<]+)</p>', sent.text)
    assert beside and "普惠性幼儿园覆盖率" in beside.group(1) and "0 到 100" in beside.group(1)
    assert 'value="850"' in sent.text and "覆盖率已统计" in sent.text  # kept as typed
    slots = {s["item_id"]: s["report"] for s in jichu.get(f"/my.json?on={ON}").json()["slots"]}
    assert slots[world.items["2"]] is None and slots[world.items["1"]]["state"] == "submitted"
    office = pages_for("office", world.password).get(f"/items/{world.items['1']}").text
    assert "数值提示" in office and "超过目标值 3200 的 3 倍" in office


def test_a_saved_jump_tells_the_reporter_it_goes_to_the_reviewer(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    html = jichu.get(f"/my/report?on={ON}").text
    one = rows_of(html)[str(world.items["1"])]
    places = jichu.get(f"/items/{world.items['1']}.json").json()["item"]["targets"][0]["id"]
    data = {f"{one}progress": "in_progress", f"{one}percent": "40", f"{one}t{places}": "12000"}
    sent = post_report(jichu, html, data)
    assert sent.status_code == 303, sent.text
    mine = jichu.get(sent.headers["location"], follow_redirects=True).text
    assert "已保存为草稿 1 项；数值提示 1 条" in mine and "超过目标值 3200 的 3 倍" in mine
