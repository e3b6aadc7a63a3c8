"""任务详情 pages: what office staff and unit reporters see on /items/{id} and what they can do
there — the source paragraph, units, deadline, light, targets, reports with evidence, review
(通过/退回), urges, the audit trail; a stale edit says who changed what and keeps the input;
another unit's drafts stay out of reach; typed <script> comes back escaped."""

from __future__ import annotations

import re
from collections.abc import Callable

from fastapi.testclient import TestClient
from sqlalchemy import update

from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services.clock import today

from .conftest import PagesFor, csrf_of

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
XSS = "<script>alert(1)</script>"


def put_report(client: TestClient, world: World, unit: str, item: str, cycle: int, **body: object) -> dict:
    """A report through the API (the pages' own form is tested in test_mine_pages)."""
    url = f"/api/v1/items/{world.items[item]}/reports/{world.units[unit]}/{cycle}"
    response = client.put(url, json={"progress": "in_progress", "percent": 40, **body})
    assert response.status_code == 200, response.text
    return response.json()


def submitted_by_jichu(client_for: Callable[[str, str], TestClient], world: World) -> dict:
    """基础教育科's report on task 1 for cycle 4, put and submitted through the API by jichu."""
    api = client_for("jichu", world.password)
    report = put_report(api, world, "基础教育科", "1", 4, narrative="开工3个")
    api.post(f"/api/v1/reports/{report['id']}/submit", json={"version": report["version"]})
    return report


def test_task_page_shows_text_source_units_deadline_and_light(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    page = office.get(f"/items/{world.items['1']}")
    assert page.status_code == 200, page.text
    html = page.text
    assert "加快中小学幼儿园建设" in html
    assert "原文" in html and "责任单位：发展规划科、基础教育科" in html  # the source paragraph
    assert "扩大优质教育资源供给" in html and f'href="/plans/{world.plan_id}"' in html  # breadcrumbs
    assert "发展规划科" in html and "基础教育科" in html
    assert re.search(r'class="light light-(red|amber|green)">(严重滞后|滞后|正常)<', html)
    assert "序时进度" in html
    assert 'name="version"' in html  # office may edit, with the version read
    data = office.get(f"/items/{world.items['1']}.json").json()
    assert data["item"]["number"] == "1" and data["source"]["paragraph"][0].startswith("1.加快")
    assert data["can_manage"] is True


def test_the_date_forms_hints_give_examples_in_the_current_year(pages_for: PagesFor, world: World) -> None:
    """A person typing a deadline, a 督办's answer date or a 批示's 办理期限 is shown an example in this
    year (not a stale 2024-09-30)."""
    year = today("Asia/Shanghai").year
    url = f"/items/{world.items['1']}"
    html = (
        pages_for("office", world.password).get(url).text + pages_for("leader", world.password).get(url).text
    )
    hints = {k: v for k, v in re.findall(r'<p class="hint" id="h-([\w-]+)">([^<]*)</p>', html)}
    for field in ("deadline", "urge-due_on", "instruction-deadline"):
        assert f"如 {year}-" in hints[field], (field, hints[field])
    stale = [h for h in hints.values() if re.search(r"20\d\d[-年〕]", h) and str(year) not in h]
    assert not stale and "9月底前" in hints["deadline"]


def test_units_to_be_specified_are_marked(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    page = office.get(f"/items/{world.district_items['2']}").text
    assert "局各科室" in page and "待明确" in page
    page = office.get(f"/items/{world.district_items['1']}").text
    assert "应下发至各县区" in page


def test_missing_item_is_a_chinese_404(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    page = office.get("/items/999999")
    assert page.status_code == 404 and "找不到" in page.text


def test_office_changes_deadline_and_units_a_stale_form_says_who_changed_what(
    pages_for: PagesFor, world: World
) -> None:
    office, other = pages_for("office", world.password), pages_for("admin2", world.password)
    url = f"/items/{world.items['9']}"
    mine, theirs = office.get(url).text, other.get(url).text  # both read the same version
    version = re.search(r'name="version" value="(\d+)"', mine).group(1)  # type: ignore[union-attr]
    changed = other.post(
        f"{url}/deadline", data={"csrf_token": csrf_of(theirs), "version": version, "deadline": "9月底前"}
    )
    assert changed.status_code == 303
    page = office.get(url, follow_redirects=True).text
    assert "2024年9月30日" in page and "9月底前" in page
    unit = str(world.units["基础教育科"])
    form = {
        "csrf_token": csrf_of(mine),
        "version": version,
        "rows": "2",
        "a0-unit": str(world.units["计划财务科"]),
        "a0-role": "lead",
        "a0-name": "",
        "a1-unit": unit,
        "a1-role": "support",
        "a1-name": "",
    }
    stale = office.post(f"{url}/assignments", data=form)
    assert stale.status_code == 409
    assert "admin2" in stale.text and "修改了 完成时限" in stale.text
    assert re.search(rf'<option value="{unit}" selected>基础教育科', stale.text)  # the input kept
    fresh = re.search(
        r'name="version" value="(\d+)"', stale.text.split('action="' + url + '/assignments"')[1]
    )
    form["version"] = fresh.group(1)  # type: ignore[union-attr]
    assert office.post(f"{url}/assignments", data=form).status_code == 303
    data = office.get(f"{url}.json").json()
    assert [(a["unit_name"], a["role"]) for a in data["item"]["assignments"]] == [
        ("计划财务科", "lead"),
        ("基础教育科", "support"),
    ]
    assert any(e["action"] == "调整分工" and e["username"] == "office" for e in data["audit"])
    assert "调整分工" in office.get(url).text  # the audit trail


def test_reporter_sees_no_office_forms_and_cannot_post_them(pages_for: PagesFor, world: World) -> None:
    jichu = pages_for("jichu", world.password)
    url = f"/items/{world.items['1']}"
    page = jichu.get(url).text
    assert "调整分工" not in page and "发出催办" not in page
    refused = jichu.post(
        f"{url}/deadline", data={"csrf_token": csrf_of(page), "version": "1", "deadline": "年内"}
    )
    assert refused.status_code == 403 and "只有办公室" in refused.text
    assert jichu.get(f"/items/{world.items['9']}").status_code == 404  # not its unit's task


def test_return_with_a_note_urge_and_answer(
    client_for, pages_for: PagesFor, world: World, sessions: SessionFactory
) -> None:  # type: ignore[no-untyped-def]
    with sessions.begin() as session:
        session.execute(update(User).where(User.username == "jichu").values(display_name="林峰"))
    report = submitted_by_jichu(client_for, world)
    office, jichu = pages_for("office", world.password), pages_for("jichu", world.password)
    url = f"/items/{world.items['1']}"
    page = office.get(url).text
    action = f"{url}/reports/{report['id']}/review"
    empty = office.post(
        action, data={"csrf_token": csrf_of(page), "version": "2", "decision": "return", "note": ""}
    )
    assert empty.status_code == 422 and "退回时请写明修改意见" in empty.text
    back = office.post(
        action,
        data={"csrf_token": csrf_of(page), "version": "2", "decision": "return", "note": "请附开工证明"},
    )
    assert back.status_code == 303
    seen = jichu.get(url).text
    assert "审核意见" in seen and "退回修改" in seen and "请附开工证明" in seen and "已退回" in seen
    assert "已退回" in jichu.get("/my?on=2024-05-20").text
    slots = jichu.get("/my.json?on=2024-05-20").json()["slots"]
    assert (slots[0]["item_id"], slots[0]["state"]) == (world.items["1"], "returned")  # returned first
    urged = office.post(
        f"{url}/urges",
        data={
            "csrf_token": csrf_of(page),
            "level": "red",
            "unit": str(world.units["基础教育科"]),
            "due_on": "2024-06-10",
            "note": "请尽快补充材料",
        },
    )
    assert urged.status_code == 303
    seen = jichu.get(url).text
    assert "督办" in seen and "请尽快补充材料" in seen and "2024年6月10日" in seen
    urge = office.get(f"{url}.json").json()["urges"][0]
    answered = jichu.post(
        f"{url}/urges/{urge['id']}/answer",
        data={"csrf_token": csrf_of(seen), "version": urge["version"], "response": "已补充"},
    )
    assert answered.status_code == 303
    after = office.get(url).text
    assert "答复：已补充" in after and "已答复" in after
    # the thread names the person who answered, with the unit beside the name (not "责任单位")
    thread = after[after.index('id="comments"') : after.index('id="urges"')]
    assert "<strong>林峰</strong>（基础教育科）" in thread and "<strong>基础教育科</strong>" not in thread
    bad = office.post(
        f"{url}/urges",
        data={"csrf_token": csrf_of(after), "level": "yellow", "unit": "", "due_on": "某天", "note": "再催"},
    )
    assert (
        bad.status_code == 422
        and "无法识别" in bad.text
        and 'value="某天"' in bad.text
        and "再催" in bad.text
    )


def test_evidence_is_only_served_under_its_own_task(client_for, pages_for: PagesFor, world: World) -> None:  # type: ignore[no-untyped-def]
    api = client_for("jichu", world.password)
    report = put_report(api, world, "基础教育科", "1", 4)
    sent = api.post(
        f"/api/v1/reports/{report['id']}/evidence", files={"file": ("证明.pdf", PDF, "application/pdf")}
    )
    evidence = sent.json()["id"]
    jichu, caiwu = pages_for("jichu", world.password), pages_for("caiwu", world.password)
    ok = jichu.get(f"/items/{world.items['1']}/evidence/{evidence}")
    assert ok.status_code == 200 and ok.content == PDF and "attachment" in ok.headers["content-disposition"]
    assert jichu.get(f"/items/{world.items['3']}/evidence/{evidence}").status_code == 404
    assert caiwu.get(f"/items/{world.items['1']}/evidence/{evidence}").status_code == 404
    office = pages_for("office", world.password)
    assert office.get(f"/items/{world.items['1']}/evidence/{evidence}").status_code == 404  # a draft's


def test_script_typed_into_every_office_field_comes_back_escaped(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    url = f"/items/{world.items['1']}"
    page = office.get(url).text
    token = csrf_of(page)
    version = re.search(r'name="version" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
    answers = [
        office.post(f"{url}/deadline", data={"csrf_token": token, "version": version, "deadline": XSS}),
        office.post(
            f"{url}/assignments",
            data={
                "csrf_token": token,
                "version": version,
                "rows": "1",
                "a0-unit": "",
                "a0-role": "lead",
                "a0-name": XSS,
            },
        ),
        office.post(
            f"{url}/urges", data={"csrf_token": token, "level": "red", "unit": "", "due_on": XSS, "note": XSS}
        ),
    ]
    for answer in answers:
        assert answer.status_code in (409, 422), answer.text
        assert XSS not in answer.text and "&lt;script&gt;" in answer.text
    ok = office.post(
        f"{url}/urges",
        data={"csrf_token": token, "level": "yellow", "unit": "", "due_on": "2024-06-30", "note": XSS},
    )
    assert ok.status_code == 303
    shown = office.get(url).text
    assert XSS not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in shown


def thread_of(html: str) -> str:
    """The 评论与意见 card of a task page."""
    return html.split('id="comments"')[1].split("</section>")[0]


def test_comments_join_the_thread_in_time_order_with_their_labels(
    client_for, pages_for: PagesFor, world: World
) -> None:  # type: ignore[no-untyped-def]
    report = submitted_by_jichu(client_for, world)
    office, jichu = pages_for("office", world.password), pages_for("jichu", world.password)
    url = f"/items/{world.items['1']}"
    said = office.post(
        f"{url}/comments", data={"csrf_token": csrf_of(office.get(url).text), "body": "先说一句"}
    )
    assert said.status_code == 303 and said.headers["location"] == f"{url}#comments"
    assert "评论已发表" in office.get(said.headers["location"]).text
    office.post(
        f"{url}/reports/{report['id']}/review",
        data={
            "csrf_token": csrf_of(office.get(url).text),
            "version": "2",
            "decision": "return",
            "note": "请附开工证明",
        },
    )
    back = jichu.post(
        f"{url}/comments", data={"csrf_token": csrf_of(jichu.get(url).text), "body": "明天补上"}
    )
    assert back.status_code == 303
    thread = thread_of(office.get(url).text)
    order = [thread.index(t) for t in ("先说一句", "请附开工证明", "明天补上")]
    assert order == sorted(order)  # oldest first, comments between review notes
    assert thread.count(">评论<") == 2 and ">审核意见<" in thread and "基础教育科" in thread
    data = office.get(f"{url}.json").json()
    assert [(c["kind"], c["text"]) for c in data["comments"]] == [
        ("评论", "先说一句"),
        ("审核意见", "请附开工证明"),
        ("评论", "明天补上"),
    ]
    assert "发表评论" in thread_of(jichu.get(url).text)
    assert 'name="body"' not in thread_of(
        pages_for("viewer", world.password).get(url).text
    )  # viewers read only


def test_a_comment_empty_or_too_long_is_shown_again_with_the_error_and_the_text(
    pages_for: PagesFor, world: World
) -> None:
    office = pages_for("office", world.password)
    url = f"/items/{world.items['1']}"
    token = csrf_of(office.get(url).text)
    empty = office.post(f"{url}/comments", data={"csrf_token": token, "body": "   "})
    assert empty.status_code == 422
    form = thread_of(empty.text)
    assert 'aria-invalid="true"' in form and "请填写评论内容" in form.split('id="e-body"')[1]
    long = "很长的评论" * 401  # 2005 characters
    too_long = office.post(f"{url}/comments", data={"csrf_token": token, "body": long})
    assert too_long.status_code == 422
    form = thread_of(too_long.text)
    assert "评论不能超过 2000 个字符（现有 2005 个）" in form.split('id="e-body"')[1]
    assert f">{long}</textarea>" in form  # the text kept
    assert office.get(f"{url}.json").json()["comments"] == []


def test_a_comment_with_script_comes_back_escaped_and_other_units_cannot_comment(
    pages_for: PagesFor, world: World
) -> None:
    jichu, caiwu = pages_for("jichu", world.password), pages_for("caiwu", world.password)
    url = f"/items/{world.items['1']}"
    assert (
        jichu.post(
            f"{url}/comments", data={"csrf_token": csrf_of(jichu.get(url).text), "body": XSS}
        ).status_code
        == 303
    )
    shown = pages_for("office", world.password).get(url).text
    assert XSS not in shown and "&lt;script&gt;alert(1)&lt;/script&gt;" in thread_of(shown)
    too_long = jichu.post(
        f"{url}/comments", data={"csrf_token": csrf_of(jichu.get(url).text), "body": XSS * 100}
    )
    assert too_long.status_code == 422 and XSS not in too_long.text and "&lt;script&gt;" in too_long.text
    token = csrf_of(caiwu.get("/my").text)
    assert caiwu.get(url).status_code == 404  # 计划财务科 is not responsible for item 1: no reading …
    refused = caiwu.post(f"{url}/comments", data={"csrf_token": token, "body": "路过"})
    assert refused.status_code == 404 and "路过" not in refused.text  # … and no writing
    assert caiwu.get(f"{url}.json").status_code == 404
    assert len(pages_for("office", world.password).get(f"{url}.json").json()["comments"]) == 1


def test_office_sets_a_plausible_range_beside_the_target(pages_for: PagesFor, world: World) -> None:
    office = pages_for("office", world.password)
    url = f"/items/{world.items['1']}"
    html = office.get(url).text
    target = re.search(rf'action="{url}/targets/(\d+)/range"', html).group(1)  # type: ignore[union-attr]
    bad = {"csrf_token": csrf_of(html), "plausible_min": "900", "plausible_max": "100"}
    refused = office.post(f"{url}/targets/{target}/range", data=bad)
    assert refused.status_code == 422 and "下限 900 不能大于上限 100" in refused.text
    assert 'value="900"' in refused.text  # kept as typed
    good = bad | {"plausible_min": "100", "plausible_max": "1,000"}
    assert office.post(f"{url}/targets/{target}/range", data=good).status_code == 303
    page = office.get(url, follow_redirects=True).text
    assert "合理范围已保存" in page and "合理范围：100–1,000个" in page
    assert "设定合理范围" in page  # in the audit trail
    jichu = pages_for("jichu", world.password)
    assert f"{url}/targets/{target}/range" not in jichu.get(url).text
