"""规划 pages: the list, the plan page with its filters, and the import journey — upload → preview →
correct → confirm — with what the registry and /api/v1 then hold; bad and oversized files; who may
import; escaping of what staff type; the .json twins."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.web.pages.conftest import PagesFor, csrf_of, post_form, wait_parsed

from eduplan.config import Settings
from eduplan.db.audit import AuditEntry
from eduplan.db.blobs import ImportDraft
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan, PlanVersion
from eduplan.samples.build import write_docx
from eduplan.samples.loop import World
from eduplan.samples.ofd_render import render_sample_ofd
from eduplan.services import blobs

XSS = "<script>alert(1)</script>"
SMALL_PLAN = (
    "示例市教育局2025年教育工作要点\n一、扩大优质教育资源供给\n"
    "1.提高学前教育入园率。全市学前三年毛入园率达到90%以上。\n责任单位：学前教育科\n"
    "2.推进集团化办学。新组建教育集团8个。\n责任单位：基础教育科\n"
).encode()


@pytest.fixture
def office(world: World, pages_for: PagesFor) -> TestClient:
    return pages_for("office", world.password)


def _upload(client: TestClient, name: str, data: bytes, org: str = ""):
    token = csrf_of(client.get("/plans/import").text)
    return client.post(
        "/plans/import",
        data={"csrf_token": token, "org": org},
        files={"file": (name, data, "application/octet-stream")},
    )


def _drafts(settings: Settings) -> list[str]:
    with blobs.sessions_for(settings)() as session:
        return list(session.scalars(select(ImportDraft.id)))


def _plans(sessions: SessionFactory) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(Plan)) or 0


def test_the_list_shows_each_plan_with_its_facts_and_the_import_button(
    office: TestClient, world: World
) -> None:
    page = office.get("/plans")
    assert page.status_code == 200
    assert "示例市教育局2024年教育工作要点" in page.text
    assert "年度工作要点" in page.text and "已开启 · 每月" in page.text
    assert 'href="/plans/import"' in page.text
    data = office.get("/plans.json").json()
    main = next(p for p in data["items"] if p["id"] == world.plan_id)
    assert (main["tasks"], main["opened"], main["version"], main["completion"]) == (11, True, 1, 0.0)
    assert data["total"] == 2 and data["can_import"] is True


def test_the_list_filters_by_title_kind_and_reporting(office: TestClient, world: World) -> None:
    hits = office.get("/plans.json", params={"q": "重点项目"}).json()["items"]
    assert [p["id"] for p in hits] == [world.district_plan_id]
    assert office.get("/plans.json", params={"kind": "five_year_plan"}).json()["total"] == 0
    assert office.get("/plans.json", params={"opened": "no"}).json()["total"] == 0
    empty = office.get("/plans", params={"opened": "no"})
    assert "没有符合条件的规划" in empty.text


def test_a_viewer_sees_plans_but_cannot_import(world: World, pages_for: PagesFor, settings: Settings) -> None:
    viewer = pages_for("viewer", world.password)
    listing = viewer.get("/plans")
    assert "示例市教育局2024年教育工作要点" in listing.text and 'href="/plans/import"' not in listing.text
    assert viewer.get("/plans/import").status_code == 403
    token = csrf_of(listing.text)
    refused = viewer.post(
        "/plans/import",
        data={"csrf_token": token},
        files={"file": ("a.txt", "一、总体\n1.任务。".encode(), "text/plain")},
    )
    assert refused.status_code == 403 and _drafts(settings) == []


def test_upload_preview_correct_one_target_confirm_and_the_registry_holds_it(
    office: TestClient, world: World, sessions: SessionFactory, tmp_path: Path
) -> None:
    docx = write_docx(tmp_path / "示例市2024年教育工作要点.docx").read_bytes()
    sent = _upload(office, "示例市2024年教育工作要点.docx", docx)
    assert sent.status_code == 303
    draft_url = sent.headers["location"]
    wait_parsed(office, draft_url)
    preview = office.get(draft_url)
    assert preview.status_code == 200
    assert "导入预览：示例市教育局2024年教育工作要点" in preview.text
    assert '<span class="target" title="量化目标：3200个">新增学位3200个</span>' in preview.text
    assert "示教发〔2024〕3号" in preview.text and "牵头 教师工作科" in preview.text
    twin = office.get(draft_url + ".json").json()
    first = twin["outline"]["chapters"][0]["tasks"][0]
    assert first["targets"][0]["value"] == 3200 and twin["state"] == "ready"
    assert office.get(draft_url + "/progress.json").json()["state"] == "ready"

    values = twin["forms"]["0"]["values"] | {"g0-value": "3300", "title": "加快中小学幼儿园建设" + XSS}
    saved = post_form(office, f"{draft_url}/tasks/0", values, page=draft_url)
    assert saved.status_code == 303
    again = office.get(draft_url)
    assert "新增学位 =3300个（已校正）" in again.text or "3300个（已校正）" in again.text
    assert XSS not in again.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in again.text

    done = post_form(office, f"{draft_url}/confirm", {}, page=draft_url)
    assert done.status_code == 303 and done.headers["location"] == f"/plans/{world.plan_id}"
    shown = office.get(done.headers["location"])
    assert "已导入为新版本" in shown.text and "第 2 版" in shown.text
    assert XSS not in shown.text and "&lt;script&gt;" in shown.text
    document = office.get(f"/api/v1/plans/{world.plan_id}/document").json()
    task = document["chapters"][0]["items"][0]
    assert task["targets"][0]["value"] == 3300 and task["title"].endswith(XSS)
    targets = office.get("/api/v1/targets", params={"plan_id": world.plan_id}).json()["items"]
    assert targets[0]["value"] == 3300
    with sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "import_corrections")).one()
    assert entry.username == "office" and entry.entity_id == world.plan_id
    assert {c["field"] for c in entry.after["corrected"]} == {"title", "target0"}
    assert office.get(draft_url).status_code == 404  # the draft is gone once imported


def test_a_rejected_correction_is_said_beside_the_field_and_keeps_what_was_typed(
    office: TestClient, world: World
) -> None:
    sent = _upload(
        office,
        "plan.txt",
        SMALL_PLAN,
    )
    draft_url = sent.headers["location"]
    values = office.get(draft_url + ".json").json()["forms"]["0"]["values"]
    bad = values | {"g0-value": "九十" + XSS, "title": XSS}
    refused = post_form(office, f"{draft_url}/tasks/0", bad, page=draft_url)
    assert refused.status_code == 422
    assert "目标值须是数字" in refused.text
    assert 'value="九十&lt;script&gt;alert(1)&lt;/script&gt;"' in refused.text
    assert XSS not in refused.text


def test_a_file_that_is_not_a_document_is_refused_beside_the_file_field(
    office: TestClient, settings: Settings, sessions: SessionFactory, world: World
) -> None:
    before = _plans(sessions)
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
    refused = _upload(office, "scan.png", png, org="示例市")
    assert refused.status_code == 422
    assert re.search(r'id="e-file" role="alert">[^<]+</p>', refused.text)
    assert 'aria-invalid="true"' in refused.text and "导入到本机构：<strong>示例市</strong>" in refused.text
    broken = _upload(office, "broken.docx", b"PK\x03\x04 not really a zip")
    assert broken.status_code == 422 and 'id="e-file"' in broken.text
    assert _drafts(settings) == [] and _plans(sessions) == before


def test_an_ofd_uploads_to_the_same_preview_and_a_broken_one_is_refused(
    office: TestClient, settings: Settings, tmp_path: Path
) -> None:
    form = office.get("/plans/import").text
    assert re.search(r'accept="[^"]*\.doc,\.wps,\.rtf,\.odt,\.ofd[^"]*"', form)
    ofd = render_sample_ofd(tmp_path / "示例市2024年教育工作要点.ofd").read_bytes()
    sent = _upload(office, "示例市2024年教育工作要点.ofd", ofd)
    assert sent.status_code == 303
    preview = office.get(sent.headers["location"])
    assert "导入预览：示例市教育局2024年教育工作要点" in preview.text and "牵头 教师工作科" in preview.text
    broken = _upload(office, "公文.ofd", ofd[:900])
    assert broken.status_code == 422 and "OFD" in broken.text and 'id="e-file"' in broken.text


def test_an_oversized_upload_is_refused_and_nothing_is_written(
    office: TestClient, settings: Settings, sessions: SessionFactory, world: World
) -> None:
    before = _plans(sessions)
    big = ("一、总体\n" + "1.任务。" * 40_000).encode()
    assert len(big) > settings.max_upload_bytes
    refused = _upload(office, "big.txt", big)
    assert refused.status_code == 413  # refused from its Content-Length, unread (web.body_limits)
    assert "文件过大" in refused.text and "上限为" in refused.text
    assert _drafts(settings) == [] and _plans(sessions) == before


def test_a_draft_is_its_uploaders_only(office: TestClient, world: World, pages_for: PagesFor) -> None:
    sent = _upload(office, "plan.txt", SMALL_PLAN)
    other = pages_for("admin2", world.password)
    assert other.get(sent.headers["location"]).status_code == 404
    assert other.get(sent.headers["location"] + "/progress.json").status_code == 404


def test_a_draft_still_parsing_refreshes_itself(office: TestClient, world: World, settings: Settings) -> None:
    sent = _upload(office, "plan.txt", SMALL_PLAN)
    draft_id = sent.headers["location"].rsplit("/", 1)[1]
    with blobs.sessions_for(settings).begin() as session:
        row = session.get_one(ImportDraft, draft_id)
        row.meta = row.meta | {"state": "parsing", "progress": 40, "stage": "正在解析"}
    waiting = office.get(sent.headers["location"])
    assert '<meta http-equiv="refresh" content="2">' in waiting.text
    assert 'src="/static/plans-import.js"' in waiting.text and 'aria-valuenow="40"' in waiting.text
    assert office.get(sent.headers["location"] + "/progress.json").json()["progress"] == 40


def test_the_plan_page_reads_as_the_document_with_lights_and_filters(
    office: TestClient, world: World
) -> None:
    page = office.get(f"/plans/{world.plan_id}")
    assert page.status_code == 200
    assert "一、" in page.text and "<details><summary>正文</summary>" in page.text
    assert f'href="/items/{world.items["1"]}"' in page.text
    assert 'class="light light-' in page.text and "牵头 教师工作科" in page.text
    assert f'href="/plans/{world.plan_id}/exports"' in page.text
    twin = office.get(f"/plans/{world.plan_id}.json").json()
    assert twin["shown"] == 11 and twin["opened"] is True
    every = [t for ch in twin["outline"]["chapters"] for t in ch["tasks"]]
    assert all(t["item_id"] for t in every) and all(t["topics"] for t in every)
    by_unit = office.get(f"/plans/{world.plan_id}.json", params={"unit": "学前教育科"}).json()
    kept = [t for ch in by_unit["outline"]["chapters"] for t in ch["tasks"]]
    assert kept and all("学前教育科" in t["lead_units"] + t["support_units"] + t["units"] for t in kept)
    assert len(kept) < 11
    chapter = every[-1]["chapter"]
    by_chapter = office.get(f"/plans/{world.plan_id}.json", params={"chapter": chapter}).json()
    assert {t["chapter"] for ch in by_chapter["outline"]["chapters"] for t in ch["tasks"]} == {chapter}
    topic = every[0]["topics"][0]["id"]
    by_topic = office.get(f"/plans/{world.plan_id}.json", params={"topic": topic}).json()
    assert all(
        topic in [x["id"] for x in t["topics"]] for ch in by_topic["outline"]["chapters"] for t in ch["tasks"]
    )
    colour = every[0]["light"]
    by_light = office.get(f"/plans/{world.plan_id}.json", params={"status": colour}).json()
    assert by_light["shown"] == twin["counts"][colour]
    none = office.get(f"/plans/{world.plan_id}", params={"unit": "不存在的科"})
    assert "没有符合筛选条件的任务" in none.text


def test_a_reporter_sees_only_plans_of_their_tasks(world: World, pages_for: PagesFor) -> None:
    reporter = pages_for("xueqian", world.password)
    ids = [p["id"] for p in reporter.get("/plans.json").json()["items"]]
    assert world.plan_id in ids
    assert reporter.get("/plans/import").status_code == 403
    assert reporter.get(f"/plans/{world.plan_id}/schedule").status_code == 403


def test_opening_a_plan_for_reporting_and_a_rejected_due_day(office: TestClient, world: World) -> None:
    url = f"/plans/{world.plan_id}/schedule"
    form = office.get(url)
    assert "调整报送安排" in form.text and "每月" in form.text
    version = re.search(r'name="version" value="(\d+)"', form.text)
    assert version
    bad = post_form(office, url, {"cycle": "monthly", "due_day": "40", "version": version.group(1)})
    assert bad.status_code == 422 and "1–31" in bad.text and 'value="40"' in bad.text
    ok = post_form(office, url, {"cycle": "monthly", "due_day": "20", "version": version.group(1)})
    assert ok.status_code == 303
    assert office.get(url + ".json").json()["current"]["due_day"] == 20


def test_the_assignment_overview_marks_what_is_to_be_specified_and_staff_pick_units(
    office: TestClient, world: World
) -> None:
    url = f"/plans/{world.district_plan_id}/assignments"
    overview = office.get(url)
    assert "待明确：局各科室" in overview.text and "待明确 " in overview.text
    item = world.district_items["2"]
    editing = office.get(url, params={"item": item})
    version = re.search(r'name="version" value="(\d+)"', editing.text)
    assert version
    unit = world.units["计划财务科"]
    done = post_form(
        office,
        f"{url}/{item}",
        {"version": version.group(1), f"role-{unit}": "lead", "unspecified": ""},
        page=f"{url}?item={item}",
    )
    assert done.status_code == 303
    after = office.get(url + ".json").json()
    row = next(i for i in after["items"] if i["id"] == item)
    assert row["to_be_specified"] is False and [a["unit_name"] for a in row["assignments"]] == ["计划财务科"]
    stale = post_form(
        office, f"{url}/{item}", {"version": version.group(1), f"role-{unit}": "support"}, page=url
    )
    assert stale.status_code == 409 and "office" in stale.text


def _outcome(html: str) -> str:
    """The preview's sentence on what confirming will do, tags stripped."""
    found = re.search(r'<p class="notice import-outcome"[^>]*>(.*?)</p>', html, re.S)
    assert found, "the preview says nothing about what the import will do"
    return re.sub(r"<[^>]+>", "", found.group(1)).strip()


def test_the_preview_names_the_plan_a_revised_edition_will_revise_with_its_changes(
    office: TestClient, world: World, sessions: SessionFactory, revised_bytes: bytes
) -> None:
    sent = _upload(office, "示例市2024年教育工作要点（修订）.txt", revised_bytes)
    draft_url = sent.headers["location"]
    before = _plans(sessions)
    preview = office.get(draft_url)
    title = "示例市教育局2024年教育工作要点"
    said = _outcome(preview.text)
    assert said.startswith(f"将作为《{title}》的第 2 版导入：新增 ")
    assert f'<a href="/plans/{world.plan_id}">《{title}》</a>' in preview.text
    twin = office.get(draft_url + ".json").json()["preview"]
    assert twin["status"] == "revision" and twin["plan_id"] == world.plan_id and twin["version"] == 2
    counts = (twin["added"], twin["removed"], twin["changed"])
    assert said.endswith(f"新增 {counts[0]} 项、删除 {counts[1]} 项、修改 {counts[2]} 项")
    assert sum(counts) > 0
    assert _plans(sessions) == before  # the preview wrote nothing
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(PlanVersion)) == 2  # world: two plans, v1 each
    done = post_form(office, f"{draft_url}/confirm", {}, page=draft_url)
    flash = office.get(done.headers["location"]).text
    assert f"（新增 {counts[0]}，删除 {counts[1]}，修改 {counts[2]}）" in flash  # as the preview said


def test_the_preview_says_a_corrected_target_makes_a_new_version_of_one_changed_task(
    office: TestClient, world: World, tmp_path: Path
) -> None:
    docx = write_docx(tmp_path / "示例市2024年教育工作要点.docx").read_bytes()
    draft_url = _upload(office, "示例市2024年教育工作要点.docx", docx).headers["location"]
    said = _outcome(office.get(draft_url).text)
    assert said == "内容与已登记的《示例市教育局2024年教育工作要点》第 1 版完全相同，确认导入不会建立新版本"
    values = office.get(draft_url + ".json").json()["forms"]["0"]["values"] | {"g0-value": "3300"}
    post_form(office, f"{draft_url}/tasks/0", values, page=draft_url)
    said = _outcome(office.get(draft_url).text)
    assert said == "将作为《示例市教育局2024年教育工作要点》的第 2 版导入：新增 0 项、删除 0 项、修改 1 项"


def test_the_preview_says_when_the_same_file_or_a_new_plan_is_imported(
    office: TestClient, world: World, sample_bytes: bytes
) -> None:
    same = _upload(office, "again.txt", sample_bytes).headers["location"]
    page = office.get(same).text
    assert _outcome(page) == (
        "该文件与已登记的《示例市教育局2024年教育工作要点》第 1 版是同一文件，确认导入不会新增任何内容"
    )
    assert f'<a href="/plans/{world.plan_id}">' in page
    new = _upload(office, "2025.txt", SMALL_PLAN).headers["location"]
    assert _outcome(office.get(new).text) == "将作为新规划导入到 示例市（登记中尚无同一规划）"
    assert office.get(new + ".json").json()["preview"]["status"] == "new"


def test_a_title_naming_a_registered_city_without_an_issuer_line_is_imported_there(
    world: World, admin_pages: TestClient, sessions: SessionFactory
) -> None:
    admin = admin_pages  # an administrator: office staff always import into their own organisation
    sports = (
        "示例市2026年学校体育工作要点\n一、总体要求\n1.开展阳光体育活动。新建足球场30所。\n"
        "责任单位：体卫艺科\n2.加强体育教师队伍建设。\n"
    ).encode()
    draft_url = _upload(admin, "体育.txt", sports).headers["location"]
    page = admin.get(draft_url).text
    assert _outcome(page) == "将作为新规划导入到 示例市（登记中尚无同一规划）"
    assert (
        'name="org" type="text" value="示例市"' in page
    )  # the organisation field is filled with the one found
    done = post_form(admin, f"{draft_url}/confirm", {}, page=draft_url)
    assert done.status_code == 303, done.text
    with sessions() as s:
        plan = s.scalars(select(Plan).where(Plan.title == "示例市2026年学校体育工作要点")).one()
    assert plan.org_id == world.org_id


def test_the_preview_gives_its_reason_and_never_silently_revises_a_similar_title(
    office: TestClient, world: World, sample_bytes: bytes, sessions: SessionFactory
) -> None:
    """Issue 13, finding 10: a title that only resembles the city's plan (…顺序号…) is a new plan,
    and the preview says which plan it resembled and why it is not its revision."""
    other = sample_bytes.decode().replace("2024年教育工作要点", "2024年教育工作要点顺序号3").encode()
    draft_url = _upload(office, "顺序号.txt", other).headers["location"]
    page = office.get(draft_url).text
    assert _outcome(page).startswith("将作为新规划导入")
    reason = re.search(r'id="import-reason">(.*?)</p>', page, re.S)
    assert reason and "顺序号3" in reason.group(1) and f'href="/plans/{world.plan_id}"' in reason.group(1)
    done = post_form(office, f"{draft_url}/confirm", {}, page=draft_url)
    assert done.headers["location"] != f"/plans/{world.plan_id}"
    with sessions() as s:
        assert (
            s.scalar(
                select(func.count()).select_from(PlanVersion).where(PlanVersion.plan_id == world.plan_id)
            )
            == 1
        )


CONTEXT_PLAN = (
    "示例市2025年教育工作要点\n一、总体要求\n（一）指导思想。坚持以人民为中心发展教育。\n"
    "（二）主要目标。全市教育质量稳步提升。\n二、重点任务\n（三）扩大学位供给。新增学位3000个。\n"
    "责任单位：基础教育科、各县区教育局\n"
).encode()


def test_context_sections_show_as_background_without_a_light(
    office: TestClient, world: World, sessions: SessionFactory
) -> None:
    from eduplan.services import loop
    from eduplan.services import registry as reg
    from eduplan.services.accounts import Principal

    plan_id = reg.import_document(sessions, CONTEXT_PLAN, "要点.txt").plan_id
    loop.open_plan(sessions, Principal.system(), plan_id, loop.ScheduleInput("monthly", 25))
    page = office.get(f"/plans/{plan_id}")
    assert page.status_code == 200
    assert page.text.count("背景/说明</span>") == 2
    twin = office.get(f"/plans/{plan_id}.json").json()
    tasks = [t for ch in twin["outline"]["chapters"] for t in ch["tasks"]]
    assert [(t["title"], t["kind"], bool(t["item_id"])) for t in tasks] == [
        ("指导思想", "context", False),
        ("主要目标", "context", False),
        ("扩大学位供给", "task", True),
    ]
    assert sum(twin["counts"].values()) == 1  # only the task is lit (or counted as unlit)
