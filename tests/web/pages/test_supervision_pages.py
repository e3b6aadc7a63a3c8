"""督办 board and 整改 pages: office staff issue, see, close and escalate urges, raise a
rectification; the unit submits measures with evidence; the office signs it off or sends it back.
Each role sees and may do only its part, and typed text comes back escaped."""

from __future__ import annotations

import re

import httpx2 as httpx
from fastapi.testclient import TestClient
from tests.web.pages.conftest import PagesFor, csrf_of, post_form

from eduplan.samples.loop import World

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16
XSS = "<script>alert(1)</script>"


def issue(office: TestClient, item: int, **data: object):
    """Issue an urge through the form; a success's one-time message is read off the next page."""
    response = post_form(
        office, "/supervision/new", {"item_id": item, **data}, page=f"/supervision/new?item={item}"
    )
    if response.status_code == 303:
        assert "已发出" in office.get(response.headers["location"]).text
    return response


def test_office_issues_a_red_urge_and_sees_it_first_on_the_board(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    item, unit = world.items["9"], world.units["计划财务科"]
    form = office.get(f"/supervision/new?item={item}")
    assert form.status_code == 200 and "计划财务科" in form.text and 'for="f-due_on"' in form.text
    done = issue(office, item, note="请报送绩效评价进展", due_on="5月20日前", unit_id=unit, level="yellow")
    assert done.status_code == 303 and done.headers["location"] == "/supervision"
    issue(office, item, note="支出进度严重滞后", due_on="2099-12-31", unit_id=unit, level="red")
    board = office.get("/supervision")
    text = board.text
    assert text.index("支出进度严重滞后") < text.index("请报送绩效评价进展")  # 督办 first
    assert f'href="/items/{item}"' in text and "计划财务科" in text
    overdue_row = re.search(r'<tr class="urge-yellow overdue"[^>]*>.*?</tr>', text, re.S)
    assert overdue_row and "已逾期" in overdue_row.group(0) and "2024年5月20日" in overdue_row.group(0)
    red_row = re.search(r'<tr class="urge-red"[^>]*>.*?</tr>', text, re.S)
    assert red_row and "已逾期" not in red_row.group(0)
    only_red = office.get("/supervision?level=red").text
    assert "支出进度严重滞后" in only_red and "请报送绩效评价进展" not in only_red
    data = office.get("/supervision.json?level=yellow").json()
    assert [(u["urge"]["level"], u["overdue"]) for u in data["board"]["urges"]] == [("yellow", True)]
    assert data["board"]["counts"] == {"red": 0, "yellow": 1}


def test_the_board_filters_by_unit_and_plan(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    issue(office, world.items["9"], note="财务催办", due_on="2099-01-01", unit_id=world.units["计划财务科"])
    issue(office, world.items["9"], note="整体催办", due_on="2099-01-01")
    by_unit = office.get(f"/supervision?unit={world.units['计划财务科']}").text
    assert "财务催办" in by_unit and "整体催办" not in by_unit
    other_plan = office.get(f"/supervision?plan={world.district_plan_id}").text
    assert "财务催办" not in other_plan and "没有符合条件的督办事项" in other_plan
    assert "全部责任单位" in office.get(f"/supervision?plan={world.plan_id}").text


def test_office_closes_an_urge_and_a_viewer_may_not(pages_for: PagesFor, world: World) -> None:
    office, viewer = pages_for("office", world.password), pages_for("viewer", world.password)
    issue(office, world.items["9"], note="请尽快推进", due_on="2099-01-01", level="red")
    urge = office.get("/supervision.json").json()["board"]["urges"][0]["urge"]
    seen = viewer.get("/supervision")
    assert "请尽快推进" in seen.text and "办结</button>" not in seen.text
    token = csrf_of(seen.text)
    refused = viewer.post(
        f"/supervision/urges/{urge['id']}/close", data={"csrf_token": token, "version": urge["version"]}
    )
    assert refused.status_code == 403 and "只有办公室/督查人员" in refused.text
    assert viewer.get("/supervision/new").status_code == 403
    closed = post_form(
        office, f"/supervision/urges/{urge['id']}/close", {"version": urge["version"]}, page="/supervision"
    )
    assert closed.status_code == 303
    after = office.get(closed.headers["location"])
    assert "已办结该督办事项" in after.text and "请尽快推进" not in after.text
    assert "请尽快推进" in office.get("/supervision?state=closed").text
    again = post_form(
        office, f"/supervision/urges/{urge['id']}/close", {"version": urge["version"]}, page="/supervision"
    )
    assert "已办结" in office.get(again.headers["location"]).text


def test_a_reporter_sees_only_its_units_urges(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    issue(
        office, world.items["9"], note="财务专项督办", due_on="2099-01-01", unit_id=world.units["计划财务科"]
    )
    caiwu, jichu = pages_for("caiwu", world.password), pages_for("jichu", world.password)
    assert "财务专项督办" in caiwu.get("/supervision").text
    assert "财务专项督办" not in jichu.get("/supervision").text
    assert jichu.get("/supervision.json").json()["board"]["urges"] == []


def test_overdue_yellow_urges_are_escalated_from_the_board(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    issue(office, world.items["9"], note="逾期催办", due_on="2024-05-01")
    done = post_form(office, "/supervision/escalate", {}, page="/supervision")
    assert "已将 1 项逾期催办升级为督办" in office.get(done.headers["location"]).text
    urges = office.get("/supervision.json").json()["board"]["urges"]
    assert [u["urge"]["level"] for u in urges] == ["red"]


def test_a_rejected_urge_keeps_the_input_and_escapes_it(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    bad = issue(office, world.items["9"], note=XSS, due_on="某个时候" + XSS)
    assert bad.status_code == 422
    assert "无法识别完成时限" in bad.text and 'id="e-due_on"' in bad.text
    assert XSS not in bad.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in bad.text
    empty = issue(office, world.items["9"], note="", due_on="")
    assert empty.status_code == 422 and "请写明督办事项" in empty.text and "请填写答复时限" in empty.text
    issue(office, world.items["9"], note=XSS, due_on="2099-01-01")
    board = office.get("/supervision").text
    assert XSS not in board and "&lt;script&gt;" in board


def test_rectification_from_finding_to_sign_off(pages_for: PagesFor, world: World) -> None:
    office, caiwu = pages_for("office", world.password), pages_for("caiwu", world.password)
    item, unit = world.items["9"], world.units["计划财务科"]
    missing = post_form(
        office,
        "/rectifications/new",
        {"item_id": item, "finding": "支出滞后", "deadline": ""},
        page=f"/rectifications/new?item={item}",
    )
    assert missing.status_code == 422 and "请选择整改责任单位" in missing.text and "支出滞后" in missing.text
    made = post_form(
        office,
        "/rectifications/new",
        {"item_id": item, "unit_id": unit, "finding": "支出进度滞后" + XSS, "deadline": "6月底前"},
        page=f"/rectifications/new?item={item}",
    )
    assert made.status_code == 303
    url = made.headers["location"]
    detail = office.get(url)
    assert "2024年6月30日" in detail.text and "整改中" in detail.text and XSS not in detail.text
    assert "已逾期" in detail.text  # the sample plan's 2024 is past
    listed = office.get("/rectifications").text
    assert "支出进度滞后" in listed and "已逾期" in listed
    assert "支出进度滞后" not in pages_for("jichu", world.password).get("/rectifications").text

    own = caiwu.get(url)
    assert 'for="f-measures"' in own.text and 'enctype="multipart/form-data"' in own.text
    version = str(caiwu.get(url + ".json").json()["row"]["rectification"]["version"])

    def measures(text: str, action: str, file: tuple[str, bytes, str] | None = None) -> httpx.Response:
        data = {"csrf_token": csrf_of(own.text), "version": version, "measures": text, "action": action}
        return caiwu.post(url + "/measures", data=data, files={"file": file} if file else None)

    no_evidence = measures("已加快支出" + XSS, "submit")
    assert no_evidence.status_code == 422 and "请先上传整改佐证材料" in no_evidence.text
    assert "已加快支出&lt;script&gt;" in no_evidence.text
    bad_file = measures("已加快支出", "upload", ("说明.txt", b"plain text", "text/plain"))
    assert bad_file.status_code == 422 and "佐证材料只接受" in bad_file.text and "已加快支出" in bad_file.text
    submitted = measures("已加快支出", "submit", ("照片.png", PNG, "image/png"))
    assert submitted.status_code == 303
    assert "待销号" in caiwu.get(url).text and "照片.png" in caiwu.get(url).text

    review = office.get(url)
    assert "同意销号" in review.text and "退回整改" in review.text
    version = str(office.get(url + ".json").json()["row"]["rectification"]["version"])
    no_reason = post_form(
        office, url + "/sign-off", {"version": version, "decision": "return", "note": ""}, page=url
    )
    assert no_reason.status_code == 422 and "退回整改时请写明原因" in no_reason.text
    returned = post_form(
        office,
        url + "/sign-off",
        {"version": version, "decision": "return", "note": "佐证不足" + XSS},
        page=url,
    )
    assert returned.status_code == 303
    page = caiwu.get(url).text
    assert "整改中" in page and "佐证不足&lt;script&gt;" in page
    version = str(caiwu.get(url + ".json").json()["row"]["rectification"]["version"])
    caiwu.post(
        url + "/measures",
        data={"csrf_token": csrf_of(page), "version": version, "measures": "补充了照片", "action": "submit"},
    )
    version = str(office.get(url + ".json").json()["row"]["rectification"]["version"])
    signed = post_form(office, url + "/sign-off", {"version": version, "decision": "accept"}, page=url)
    assert signed.status_code == 303
    assert "已销号" in office.get(url).text
    assert "已销号" in office.get("/rectifications?state=signed_off").text


def test_only_office_staff_raise_rectifications(pages_for: PagesFor, world: World) -> None:
    viewer = pages_for("viewer", world.password)
    assert viewer.get(f"/rectifications/new?item={world.items['9']}").status_code == 403
    assert pages_for("caiwu", world.password).get("/rectifications/999999").status_code == 404
