"""The import preview's correction forms, posted as a browser without JavaScript posts them: a
target's subject, parts, a target added and one deleted, a deadline in words, a group word, a split
and a merge — seen in the preview, then in the registry after confirm; a rejected field said beside
it; a form made before another window saved is refused (409) and loses nothing; the parser's
warnings sit beside the item they name."""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.web.pages.conftest import PagesFor, csrf_of, post_form, wait_parsed

from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World

PLAN = """示例市教育局2025年教育工作要点
一、扩大优质教育资源供给
1.推进学校建设。新增义务教育学位3000个，其中市本级1200个、城区1800个。年内完成改扩建学校5所。
责任单位：基础教育科、局属学校
2.推进集团化办学。新组建教育集团8个。
责任单位：基础教育科
4.深化课程改革。建设精品课程。
责任单位：教研室
"""


@pytest.fixture
def office(world: World, pages_for: PagesFor) -> TestClient:
    return pages_for("office", world.password)


def _draft(client: TestClient) -> str:
    token = csrf_of(client.get("/plans/import").text)
    sent = client.post(
        "/plans/import",
        data={"csrf_token": token, "org": ""},
        files={"file": ("示例市2025年教育工作要点.txt", PLAN.encode(), "text/plain")},
    )
    assert sent.status_code == 303, sent.text
    wait_parsed(client, sent.headers["location"])
    return str(sent.headers["location"])


def _form(client: TestClient, url: str, index: int) -> dict[str, Any]:
    twin = client.get(url + ".json").json()
    form = twin["forms"][str(index)]
    return {"rev": form["rev"], **form["values"]}


def _article(html: str, index: int) -> str:
    """The preview's card of one task."""
    m = re.search(rf'<article[^>]*id="task-{index}".*?</article>', html, re.S)
    assert m, f"no task-{index} on the page"
    return m.group(0)


def test_targets_deadline_and_group_words_corrected_without_js_then_confirmed(
    office: TestClient, world: World, sessions: SessionFactory
) -> None:
    url = _draft(office)
    values = _form(office, url, 0) | {
        "g0-subject": "义务教育学位",
        "g0-cmp": ">=",
        "g0-value": "3200",
        "g0-parts": "市本级 1400个、城区 1800个",
        "g1-delete": "1",
        "new-subject": "改扩建学校",
        "new-cmp": ">=",
        "new-value": "6",
        "new-unit": "所",
        "deadline": "9月底前",
        "group_words": "局属学校",
    }
    saved = post_form(office, f"{url}/tasks/0", values, page=url)
    assert saved.status_code == 303, saved.text
    card = _article(office.get(url).text, 0)
    assert "义务教育学位 ≥3200个" in card and "改扩建学校 ≥6所" in card
    assert "完成改扩建学校 5所" not in card  # the deleted target is gone
    assert "2025年9月30日" in card and "已校正" in card
    assert "待明确（非单位" in card and "局属学校" in card
    assert "市本级 1400个、城区 1800个" in card  # the parts, in the form

    done = post_form(office, f"{url}/confirm", {}, page=url)
    assert done.status_code == 303
    plan_id = int(done.headers["location"].rsplit("/", 1)[1])
    task = office.get(f"/api/v1/plans/{plan_id}/document").json()["chapters"][0]["items"][0]
    assert [(t["subject"], t["comparator"], t["value"]) for t in task["targets"]] == [
        ("义务教育学位", ">=", 3200),
        ("改扩建学校", ">=", 6),
    ]
    assert [p["value"] for p in task["targets"][0]["parts"]] == [1400, 1800]
    assert task["deadline"] == "2025-09-30" and task["units"] == ["基础教育科"]
    with sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "import_corrections")).one()
    assert {"target0", "target1", "added_target0", "deadline", "group_words"} <= {
        c["field"] for c in entry.after["corrected"]
    }


def test_split_then_correct_the_second_half_then_merge_back_and_confirm(office: TestClient) -> None:
    url = _draft(office)
    html = office.get(url).text
    assert 'action="' + url + '/tasks/0/split"' in html and "第 2 句" in html
    split = post_form(office, f"{url}/tasks/0/split", {"at": "2", "rev": _rev(office, url)}, page=url)
    assert split.status_code == 303
    page = office.get(url).text
    assert "1-2." in _article(page, 1) and "年内完成改扩建学校5所" in _article(page, 1)
    values = _form(office, url, 1) | {"title": "完成学校改扩建", "g0-subject": "改扩建学校"}
    assert post_form(office, f"{url}/tasks/1", values, page=url).status_code == 303
    # the chapter's tasks 2 and 4 become one
    merged = post_form(office, f"{url}/tasks/2/merge", {"rev": _rev(office, url)}, page=url)
    assert merged.status_code == 303
    card = _article(office.get(url).text, 2)
    assert "建设精品课程" in card and "教研室" in card

    done = post_form(office, f"{url}/confirm", {}, page=url)
    plan_id = int(done.headers["location"].rsplit("/", 1)[1])
    items = office.get(f"/api/v1/plans/{plan_id}/document").json()["chapters"][0]["items"]
    assert [(t["number"], t["title"]) for t in items] == [
        ("1", "推进学校建设"),
        ("1-2", "完成学校改扩建"),
        ("2", "推进集团化办学"),
    ]
    assert items[1]["targets"][0]["subject"] == "改扩建学校"


def _rev(client: TestClient, url: str) -> str:
    return str(client.get(url + ".json").json()["structure_rev"])


def test_a_rejected_field_is_said_beside_it_and_nothing_is_saved(office: TestClient) -> None:
    url = _draft(office)
    values = _form(office, url, 0) | {"g0-parts": "市本级、城区", "deadline": "尽快", "new-value": "6"}
    refused = post_form(office, f"{url}/tasks/0", values, page=url)
    assert refused.status_code == 422
    card = _article(refused.text, 0)
    assert "不是“名称 数值单位”" in card and "读不出日期" in card and "请写明目标所计的对象" in card
    assert 'value="尽快"' in card  # what was typed stays
    assert office.get(url + ".json").json()["corrections"] == 0


def test_a_form_from_before_another_windows_save_is_refused_and_loses_nothing(
    office: TestClient, world: World, pages_for: PagesFor
) -> None:
    url = _draft(office)
    other = pages_for("office", world.password)  # the same person in a second window
    mine, theirs = _form(office, url, 1), _form(other, url, 1)
    assert (
        post_form(other, f"{url}/tasks/1", theirs | {"title": "集团化办学（乙）"}, page=url).status_code
        == 303
    )
    late = post_form(office, f"{url}/tasks/1", mine | {"title": "集团化办学（甲）"}, page=url)
    assert late.status_code == 409 and "已被他人修改" in late.text
    assert "集团化办学（乙）" in _article(office.get(url).text, 1)
    # a form of another task is still fine
    assert (
        post_form(
            office, f"{url}/tasks/0", _form(office, url, 0) | {"title": "学校建设"}, page=url
        ).status_code
        == 303
    )
    stale_split = post_form(office, f"{url}/tasks/0/split", {"at": "1", "rev": "0" * 16}, page=url)
    assert stale_split.status_code == 409


def test_the_parsers_warnings_sit_beside_the_item_they_name(office: TestClient) -> None:
    url = _draft(office)
    page = office.get(url).text
    card = _article(page, 2)
    assert "条目编号从2跳到4" in card and 'class="notice warning-line"' in card
    assert "条目编号从2跳到4" not in _article(page, 0)


def test_a_subject_the_parser_cut_is_warned_beside_its_item_and_corrected_there(office: TestClient) -> None:
    token = csrf_of(office.get("/plans/import").text)
    text = "示例市教育局2025年教育工作要点\n一、保障\n1.推进学校建设。新增学位3000个。\n2.加强学生资助。全年资助3000万元。\n"
    sent = office.post(
        "/plans/import",
        data={"csrf_token": token},
        files={"file": ("资助.txt", text.encode(), "text/plain")},
    )
    url = str(sent.headers["location"])
    wait_parsed(office, url)
    page = office.get(url).text
    assert "只读出动词“资助”" in _article(page, 1) and "只读出动词" not in _article(page, 0)
    values = _form(office, url, 1) | {"g0-subject": "学生资助资金"}
    assert post_form(office, f"{url}/tasks/1", values, page=url).status_code == 303
    assert "学生资助资金 3000万元（已校正）" in _article(office.get(url).text, 1)


def test_a_form_of_one_plan_never_lands_on_another_chosen_meanwhile(
    office: TestClient, world: World, pages_for: PagesFor
) -> None:
    from eduplan.samples.bundle_text import bundle_lines

    token = csrf_of(office.get("/plans/import").text)
    sent = office.post(
        "/plans/import",
        data={"csrf_token": token},
        files={"file": ("通知.txt", "\n".join(bundle_lines()).encode(), "text/plain")},
    )
    url = str(sent.headers["location"])
    wait_parsed(office, url)
    mine = _form(office, url, 0)
    other = pages_for("office", world.password)
    assert post_form(other, f"{url}/choice", {"plan": "1"}, page=url).status_code == 303
    late = post_form(office, f"{url}/tasks/0", mine | {"title": "第一份计划的校正"}, page=url)
    assert late.status_code == 409 and "已被他人修改" in late.text
    assert office.get(url + ".json").json()["corrections"] == 0


def test_a_split_is_undone_from_the_preview(office: TestClient) -> None:
    url = _draft(office)
    assert (
        post_form(office, f"{url}/tasks/1/split", {"at": "1", "rev": _rev(office, url)}, page=url).status_code
        == 303
    )
    assert office.get(url + ".json").json()["outline"]["task_count"] == 4
    undone = post_form(office, f"{url}/structure/undo", {"rev": _rev(office, url)}, page=url)
    assert undone.status_code == 303
    twin = office.get(url + ".json").json()
    assert twin["outline"]["task_count"] == 3 and twin["structure_edits"] == 0
    refused = post_form(office, f"{url}/tasks/1/split", {"at": "9", "rev": _rev(office, url)}, page=url)
    assert refused.status_code == 422 and "请选择在第 1 至 1 句之后拆分" in refused.text


def test_structure_forms_need_the_pages_token(office: TestClient) -> None:
    url = _draft(office)
    forged = office.post(f"{url}/tasks/0/split", data={"at": "1", "rev": _rev(office, url)})
    assert forged.status_code == 403
    assert office.get(url + ".json").json()["structure_edits"] == 0
