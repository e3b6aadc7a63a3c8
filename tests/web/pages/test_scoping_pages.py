"""Who may read and write what, tried from the outside: a district's office, a reporter of another
unit and a read-only viewer sign in and ask for another district's or unit's task page, its .json
twin, its evidence file, its urges, rectifications, reports, evaluation scores and audit entries, and
post to its forms.  Each must be told "not found" (or "no permission") and nothing may be written.

The world (`samples.loop`) is one city, 示例市; here its district plan's first task is handed down
to 甲区 and 乙区, and 甲区 carries it out (its own unit 基础教育股 and reporter, a submitted report
with an evidence file, a 督办 and a rectification), so that 乙区 has something to try to see.
Bad parameters (a negative offset, a plan id that is not a number, a cycle that does not exist)
must give a 400/404 page, never a 500.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

import httpx2 as httpx
import pytest
from fastapi.testclient import TestClient
from tests.web.pages.conftest import PagesFor, csrf_of, post_login

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import accounts, loop, tracking
from eduplan.services.accounts import Principal, UserCreate
from eduplan.services.loop import AssignmentInput, ReportInput

PDF = b"%PDF-1.4\n% secret district evidence\n"
SECRET_NARRATIVE = "甲区内部进展：已开工2个"
SECRET_URGE = "甲区内部督办：开工滞后"
SECRET_FINDING = "甲区内部整改：资金未到位"
TODAY = date(2024, 5, 10)


@dataclass
class Districts:
    """What 甲区 made, and who 乙区 is."""

    plan_id: int
    jia_item: int
    yi_item: int
    jia_unit: int
    report_id: int
    evidence_id: int
    urge_id: int
    urge_version: int
    rect_id: int
    rect_version: int


def _user(
    sessions: SessionFactory,
    settings: Settings,
    world: World,
    name: str,
    role: str,
    org: int,
    unit: int | None = None,
) -> None:
    new = UserCreate(name, role, name, org, unit, world.password)
    accounts.create_user(sessions, settings, Principal.system(), new)


@pytest.fixture
def districts(world: World, sessions: SessionFactory, settings: Settings) -> Districts:
    city = Principal(world.users["office"], "office", "office", world.org_id, "示例市", None)
    made = loop.hand_down(sessions, city, world.district_items["1"], ["甲区", "乙区"]).created
    jia_item = tracking.get_item(sessions, city, made["甲区"])
    yi_item = tracking.get_item(sessions, city, made["乙区"])
    jia = Principal(None, "jia-office", "office", jia_item.org_id, "示例市/甲区", None)
    unit = loop.add_unit(sessions, jia, jia_item.org_id, "基础教育股").unit.id
    loop.set_assignments(sessions, jia, jia_item.id, [AssignmentInput("lead", unit)], jia_item.version)
    _user(sessions, settings, world, "jia-office", "office", jia_item.org_id)
    _user(sessions, settings, world, "jia-rep", "reporter", jia_item.org_id, unit)
    _user(sessions, settings, world, "yi-office", "office", yi_item.org_id)
    _user(sessions, settings, world, "yi-viewer", "viewer", yi_item.org_id)
    rep = accounts.session_principal(
        sessions, settings, accounts.login(sessions, settings, "jia-rep", world.password).token
    )
    report = loop.save_report(
        sessions, rep, jia_item.id, unit, 4, ReportInput("in_progress", 50, SECRET_NARRATIVE), None, TODAY
    )
    evidence = loop.add_evidence(sessions, settings, rep, report.id, "甲区佐证.pdf", PDF)
    loop.submit_report(sessions, rep, report.id, report.version)
    urge = loop.issue_urge(sessions, jia, jia_item.id, SECRET_URGE, "2099-12-31", unit, "red")
    rect = loop.raise_rectification(sessions, jia, jia_item.id, unit, SECRET_FINDING, "2099-12-31")
    return Districts(
        world.district_plan_id,
        jia_item.id,
        yi_item.id,
        unit,
        report.id,
        evidence.id,
        urge.id,
        urge.version,
        rect.id,
        rect.version,
    )


@pytest.fixture
def jia(pages_for: PagesFor, world: World, districts: Districts) -> TestClient:
    """甲区's office staff, signed in."""
    return pages_for("jia-office", world.password)


@pytest.fixture
def yi(pages_for: PagesFor, world: World, districts: Districts) -> TestClient:
    """乙区's office staff, signed in."""
    return pages_for("yi-office", world.password)


def _secret_free(text: str) -> None:
    for secret in (SECRET_NARRATIVE, SECRET_URGE, SECRET_FINDING, "甲区佐证"):
        assert secret not in text, secret


def test_the_district_itself_sees_its_records(jia: TestClient, districts: Districts) -> None:
    """The control: what 乙区 must not see is there for 甲区 (so the checks below can fail)."""
    task = jia.get(f"/items/{districts.jia_item}")
    assert task.status_code == 200
    assert SECRET_NARRATIVE in task.text and SECRET_URGE in task.text and SECRET_FINDING in task.text
    assert SECRET_URGE in jia.get("/supervision").text
    assert SECRET_FINDING in jia.get("/rectifications").text
    assert jia.get(f"/rectifications/{districts.rect_id}").status_code == 200
    got = jia.get(f"/items/{districts.jia_item}/evidence/{districts.evidence_id}")
    assert got.status_code == 200 and got.content == PDF


def test_another_district_gets_not_found_on_every_page(yi: TestClient, districts: Districts) -> None:
    d = districts
    for url in (
        f"/items/{d.jia_item}",
        f"/items/{d.jia_item}.json",
        f"/items/{d.jia_item}/evidence/{d.evidence_id}",
        f"/items/{d.yi_item}/evidence/{d.evidence_id}",  # its own task's URL, another's file
        f"/rectifications/{d.rect_id}",
        f"/rectifications/{d.rect_id}.json",
        f"/rectifications/new?item={d.jia_item}",
        f"/supervision/new?item={d.jia_item}",
        f"/supervision/new.json?item={d.jia_item}",
    ):
        response = yi.get(url)
        assert response.status_code in (403, 404), (url, response.status_code)
        _secret_free(response.text)
    assert yi.get(f"/items/{d.yi_item}").status_code == 200  # its own task opens


def test_another_district_lists_none_of_it(yi: TestClient, districts: Districts) -> None:
    d = districts
    for url in (
        "/supervision",
        "/supervision.json",
        "/rectifications",
        "/rectifications.json",
        "/my",
        "/my.json",
        "/plans",
        "/plans.json",
        f"/plans/{d.plan_id}",
        f"/plans/{d.plan_id}.json",
        f"/plans/{d.plan_id}/assignments",
        f"/plans/{d.plan_id}/assignments.json",
        f"/plans/{d.plan_id}/exports",
        f"/plans/{d.plan_id}/exports.json",
        f"/evaluation?plan={d.plan_id}",
        f"/evaluation.json?plan={d.plan_id}",
        "/search?q=推进重点项目建设",
        "/search.json?q=推进重点项目建设",
        "/admin",
        "/admin.json",
    ):
        response = yi.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        _secret_free(response.text)
        assert "jia-rep" not in response.text and "基础教育股" not in response.text, url
    for url in (f"/plans/{d.plan_id}/ledger.xlsx", f"/plans/{d.plan_id}/bulletin.docx"):
        response = yi.get(url)
        assert response.status_code in (200, 403, 404), (url, response.status_code)
        if response.status_code == 200:
            _secret_free(_office_text(response.content))


def _office_text(data: bytes) -> str:
    """All the text of an xlsx or docx (its XML parts, joined)."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return "".join(z.read(n).decode("utf-8", "replace") for n in z.namelist() if n.endswith(".xml"))


def _post(client: TestClient, url: str, data: dict[str, object], page: str = "/supervision") -> int:
    token = csrf_of(client.get(page).text)
    return client.post(url, data={"csrf_token": token, **data}).status_code


def test_another_district_cannot_write_to_its_records(
    yi: TestClient, districts: Districts, sessions: SessionFactory
) -> None:
    d = districts
    attempts = {
        f"/items/{d.jia_item}/urges": {"level": "red", "due_on": "2099-01-01", "note": "越权督办"},
        f"/items/{d.jia_item}/deadline": {"deadline": "2024-12-31", "version": 1},
        f"/items/{d.jia_item}/assignments": {"rows": 1, "a0-unit": "", "a0-role": "lead", "a0-name": "越权"},
        f"/items/{d.jia_item}/reports/{d.report_id}/review": {
            "decision": "return",
            "note": "越权退回",
            "version": 1,
        },
        f"/items/{d.yi_item}/reports/{d.report_id}/review": {"decision": "accept", "version": 1},
        f"/items/{d.jia_item}/urges/{d.urge_id}/close": {"version": d.urge_version},
        f"/supervision/urges/{d.urge_id}/close": {"version": d.urge_version},
        "/supervision/new": {"item_id": d.jia_item, "note": "越权", "due_on": "2099-01-01", "level": "red"},
        f"/rectifications/{d.rect_id}/sign-off": {"version": d.rect_version, "decision": "sign_off"},
        "/rectifications/new": {
            "item_id": d.jia_item,
            "unit_id": d.jia_unit,
            "finding": "越权",
            "deadline": "2099-01-01",
        },
        f"/evaluation/{d.plan_id}/units/{d.jia_unit}/review": {"score": "1", "note": "越权"},
        f"/evaluation/{d.plan_id}/rubric": {
            "completion_weight": "100",
            "timeliness_weight": "0",
            "target_weight": "0",
            "urge_penalty": "0",
            "rectification_penalty": "0",
            "max_penalty": "0",
        },
    }
    for url, data in attempts.items():
        status = _post(yi, url, data)
        assert status in (403, 404, 422), (url, status)
    city = Principal(None, "system", "admin", None, None, None)
    item = tracking.get_item(sessions, city, d.jia_item)
    assert item.deadline_text != "2024-12-31" and [a.unit_id for a in item.assignments] == [d.jia_unit]
    assert [u.note for u in tracking.list_urges(sessions, city, d.jia_item)] == [SECRET_URGE]
    assert [u.state for u in tracking.list_urges(sessions, city, d.jia_item)] == ["open"]
    assert [r.state for r in tracking.list_reports(sessions, city, d.jia_item)] == ["submitted"]
    assert [r.finding for r in tracking.list_rectifications(sessions, city, d.jia_item)] == [SECRET_FINDING]
    scores = loop.evaluate(sessions, Settings(), city, d.plan_id, TODAY)
    assert all(s.reviewer_score is None for s in scores.units)


def test_a_reporter_of_another_unit_can_neither_read_nor_report(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    mine = world.items["1"]  # 基础教育科's task

    def report(
        client: TestClient, progress: str, percent: str, narrative: str, action: str
    ) -> httpx.Response:
        """One slot of the 集中填报 form on task `mine`, cycle 4, posted as `client`."""
        data = {
            "csrf_token": csrf_of(client.get("/my/report").text),
            "slots": 1,
            "s0-item": mine,
            "s0-cycle": 4,
            "s0-progress": progress,
            "s0-percent": percent,
            "s0-narrative": narrative,
            "action": action,
        }
        return client.post("/my/report", data=data)

    saved = report(jichu, "in_progress", "30", "基础教育科草稿", "draft")
    assert saved.status_code == 303
    xueqian = pages_for("xueqian", world.password)
    page = xueqian.get(f"/items/{mine}")
    assert page.status_code == 404 and "基础教育科草稿" not in page.text
    assert xueqian.get(f"/items/{mine}.json").status_code == 404
    assert "基础教育科草稿" not in xueqian.get("/my/report").text
    office = pages_for("office", world.password)
    assert "基础教育科草稿" not in office.get(f"/items/{mine}").text  # a draft is its unit's own
    wrote = report(xueqian, "done", "100", "越权填报", "submit")
    assert wrote.status_code in (403, 404, 422)
    assert "越权填报" not in jichu.get("/my/report").text


@pytest.mark.parametrize(
    ("who", "url"),
    [
        ("viewer", "/plans/import"),
        ("viewer", "/supervision/new"),
        ("jichu", "/admin"),
        ("jichu", "/my/report.json"),
        ("leader", "/plans/import.json"),
    ],
)
def test_pages_of_another_role_are_refused(pages_for: PagesFor, world: World, who: str, url: str) -> None:
    if url == "/my/report.json":
        who = "office"
    response = pages_for(who, world.password).get(url)
    assert response.status_code == 403, response.text


def test_a_viewer_cannot_post_what_office_staff_post(pages_for: PagesFor, world: World) -> None:
    viewer = pages_for("viewer", world.password)
    item = world.items["9"]
    status = _post(viewer, f"/items/{item}/urges", {"level": "red", "due_on": "2099-01-01", "note": "x"})
    assert status == 403
    status = _post(viewer, "/supervision/escalate", {})
    assert status == 403


@pytest.mark.parametrize(
    "url",
    [
        "/plans?offset=-1",
        "/plans?year=abcd",
        "/plans/abc",
        "/plans/999999",
        "/plans/999999.json",
        "/plans/{plan}?version=999",
        "/plans/{plan}?version=0",
        "/plans/{plan}/bulletin.docx?cycle=999",
        "/plans/{plan}/bulletin.docx?cycle=-1",
        "/plans/{plan}/bulletin.docx?cycle=abc",
        "/plans/999999/ledger.xlsx",
        "/plans/999999/exports",
        "/plans/999999/schedule",
        "/plans/999999/assignments",
        "/plans/{plan}/assignments?item=abc",
        "/plans/{plan}/assignments?item=999999",
        "/items/abc",
        "/items/999999",
        "/items/{item}/evidence/999999",
        "/search?q=教育&offset=-1",
        "/search?q=教育&offset=abc",
        "/search?q=教育&offset=99999999",
        "/search?q=%25%5F%22*&plan=abc",
        "/supervision?plan=abc&unit=-1",
        "/supervision/new?item=999999",
        "/supervision/new?plan=999999",
        "/rectifications?plan=abc",
        "/rectifications/999999",
        "/rectifications/new?item=999999",
        "/rectifications/new?item=abc",
        "/evaluation?plan=999999",
        "/evaluation?plan=abc",
        "/my?on=2024-13-45",
        "/my/report?on=abc",
        "/compare?plan=abc",
        "/compare/plans/999999",
        "/compare/tasks/999999",
        "/compare/topics/不存在的主题",
        "/plans/import/not-a-draft",
        "/plans/import/" + "a" * 30,
        "/plans/import/" + "a" * 30 + "/progress.json",
    ],
)
def test_a_bad_parameter_is_a_400_or_404_page_never_a_500(
    admin_pages: TestClient, world: World, url: str
) -> None:
    url = url.format(plan=world.plan_id, item=world.items["1"])
    response = admin_pages.get(url)
    assert response.status_code in (200, 400, 404, 422), (url, response.status_code, response.text[:300])
    assert "Traceback" not in response.text


def test_the_login_page_never_sends_you_to_another_site(browser: TestClient, world: World) -> None:
    for bad in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "javascript:x",
    ):
        response = post_login(browser, {"username": "office", "password": world.password, "next": bad})
        assert response.status_code == 303
        location = response.headers["location"]
        assert location.startswith("/") and not location.startswith(("//", "/\\")), (bad, location)


def test_closing_from_the_board_never_redirects_off_site(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    item = world.items["9"]
    urge = loop_urge(office, item)
    for back in ("//evil.example", "/\\evil.example", "https://evil.example", "@evil.example"):
        token = csrf_of(office.get("/supervision").text)
        response = office.post(
            f"/supervision/urges/{urge}/close", data={"csrf_token": token, "version": 1, "back": back}
        )
        location = urlsplit(response.headers.get("location", ""))
        assert (location.scheme, location.netloc, location.path) == ("", "", "/supervision"), (back, location)


def loop_urge(office: TestClient, item: int) -> int:
    """Issue an urge through the form and return its id (from the board's .json)."""
    token = csrf_of(office.get(f"/supervision/new?item={item}").text)
    office.post(
        "/supervision/new",
        data={"csrf_token": token, "item_id": item, "note": "催办", "due_on": "2099-01-01"},
    )
    return int(office.get("/supervision.json").json()["board"]["urges"][0]["urge"]["id"])


def _my_slot(page: str, item_id: int) -> tuple[str, str, int]:
    """(row prefix, cycle, number of rows) of a task's row on /my/report."""
    slots = re.findall(r'name="(s\d+)-item" value="(\d+)"', page)
    prefix = next(k for k, v in slots if int(v) == item_id)
    cycle = re.search(rf'name="{prefix}-cycle" value="(\d+)"', page)
    assert cycle
    return prefix, cycle.group(1), len(slots)


@pytest.mark.parametrize("typed", ["nan", "inf", "-Infinity"])
def test_an_actual_value_that_is_not_a_number_is_refused_with_the_input_kept(
    pages_for: PagesFor, world: World, sessions: SessionFactory, typed: str
) -> None:
    """A typed "nan" parses as a float: it used to reach the database (a 500 on its NOT NULL column)."""
    item = tracking.get_item(sessions, Principal.system(), world.items["1"])
    target = item.targets[0].id
    jichu = pages_for("jichu", world.password)
    page = jichu.get("/my/report").text
    k, cycle, count = _my_slot(page, item.id)
    response = jichu.post(
        "/my/report",
        data={
            "csrf_token": csrf_of(page),
            "slots": count,
            f"{k}-item": item.id,
            f"{k}-cycle": cycle,
            f"{k}-progress": "in_progress",
            f"{k}-percent": "30",
            f"{k}-narrative": "非数字测试",
            f"{k}-t{target}": typed,
            "action": "submit",
        },
    )
    assert response.status_code == 422
    assert "请填写数字" in response.text and "非数字测试" in response.text
    assert tracking.list_reports(sessions, Principal.system(), item.id) == []


def test_a_review_score_for_a_unit_outside_the_plan_is_refused(
    pages_for: PagesFor, world: World, districts: Districts, sessions: SessionFactory
) -> None:
    office = pages_for("office", world.password)
    for unit in (999999, districts.jia_unit):  # none, and a unit of 甲区
        status = _post(
            office, f"/evaluation/{world.plan_id}/units/{unit}/review", {"score": "90", "note": "x"}
        )
        assert status in (404, 422), (unit, status)
    status = _post(
        office,
        f"/evaluation/{world.plan_id}/units/{world.units['学前教育科']}/review",
        {"score": "88", "note": "复核"},
    )
    assert status == 303
    scores = {
        s.unit_id: s.reviewer_score
        for s in loop.evaluate(sessions, Settings(), Principal.system(), world.plan_id, TODAY).units
    }
    assert scores[world.units["学前教育科"]] == 88


def test_the_report_form_refuses_more_files_than_it_reads_at_once(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    page = jichu.get("/my/report").text
    k, cycle, count = _my_slot(page, world.items["1"])
    files = [(f"{k}-files", (f"{n}.pdf", PDF, "application/pdf")) for n in range(21)]
    data = {
        "csrf_token": csrf_of(page),
        "slots": str(count),
        f"{k}-item": str(world.items["1"]),
        f"{k}-cycle": cycle,
        f"{k}-progress": "in_progress",
        f"{k}-percent": "30",
        "action": "draft",
    }
    response = jichu.post("/my/report", data=data, files=files)
    assert response.status_code == 400 and "Traceback" not in response.text
    ok = jichu.post("/my/report", data=data, files=files[:2])
    assert ok.status_code == 303


def test_a_district_assigns_its_handed_down_task_to_its_own_units(
    jia: TestClient, districts: Districts
) -> None:
    page = jia.get(f"/plans/{districts.plan_id}/assignments?item={districts.jia_item}")
    assert page.status_code == 200
    assert "基础教育股" in page.text and "计划财务科" not in page.text  # the city's units are not its own
