"""The task's life on 任务详情 (issue 14): the unit's reporter signs, asks for an extension and to
close; the office approves and accepts; a refusal is reassigned; a stale form is a 409 that keeps
what was typed; each role sees only its own buttons."""

from __future__ import annotations

import re

from tests.web.pages.conftest import PagesFor, follow, post_form

from eduplan.samples.loop import World


def version_in(html: str, action: str) -> str:
    """The version a form posting to `action` carries."""
    form = re.search(rf'action="{re.escape(action)}".*?name="version" value="(\d+)"', html, re.S)
    assert form, f"no form posting to {action}"
    return form.group(1)


def test_sign_extend_and_close_from_the_task_page(pages_for: PagesFor, world: World) -> None:
    office, caiwu = pages_for("office", world.password), pages_for("caiwu", world.password)
    item = world.items["9"]
    url = f"/items/{item}"
    page = caiwu.get(url).text
    assert "签收与办理" in page and "待签收" in page and "请于" in page
    assert f'action="/items/{item}/life/extension"' not in page  # sign first
    assert f'action="/items/{item}/life/sign"' not in office.get(url).text  # only the unit signs
    v = version_in(page, f"/items/{item}/life/sign")
    page = follow(caiwu, post_form(caiwu, f"{url}/life/sign", {"version": v}, page=url))
    assert "已签收" in page and "caiwu 于" not in page and "caiwu ·" in page
    stale = post_form(caiwu, f"{url}/life/sign", {"version": v}, page=url)
    assert stale.status_code == 409 and "已被" not in stale.text and "修改了" in stale.text
    v = version_in(page, f"/items/{item}/life/extension")
    refused = post_form(
        caiwu,
        f"{url}/life/extension",
        {"version": v, "new_deadline": "尽快", "extension_reason": "资金未到位"},
        page=url,
    )
    assert refused.status_code == 422 and "无法识别" in refused.text and "资金未到位" in refused.text
    asked = post_form(
        caiwu,
        f"{url}/life/extension",
        {"version": v, "new_deadline": "2099-03-31", "extension_reason": "资金未到位"},
        page=url,
    )
    assert "延期申请已提交" in follow(caiwu, asked)
    office_page = office.get(url).text
    req = re.search(rf'action="/items/{item}/life/requests/(\d+)/decide"', office_page)
    assert req and "延期至 2099年3月31日" in office_page
    decide = f"{url}/life/requests/{req.group(1)}/decide"
    done = post_form(
        office, decide, {"version": version_in(office_page, decide), "decision": "approve"}, page=url
    )
    page = follow(office, done)
    assert "已同意" in page and "2099年3月31日" in page
    page = caiwu.get(url).text
    v = version_in(page, f"/items/{item}/life/closing")
    follow(
        caiwu,
        post_form(caiwu, f"{url}/life/closing", {"version": v, "closing_note": "经费已全部拨付"}, page=url),
    )
    office_page = office.get(url).text
    req = re.findall(rf'action="/items/{item}/life/requests/(\d+)/decide"', office_page)
    decide = f"{url}/life/requests/{req[-1]}/decide"
    page = follow(
        office,
        post_form(
            office, decide, {"version": version_in(office_page, decide), "decision": "accept"}, page=url
        ),
    )
    assert "已办结" in page
    data = office.get(f"{url}.json").json()["life"]
    assert data["closed"] is True and [r["kind"] for r in data["requests"]] == ["extend", "close"]


def test_a_refusal_is_reassigned_from_the_page(pages_for: PagesFor, world: World) -> None:
    office, caiwu = pages_for("office", world.password), pages_for("caiwu", world.password)
    item, url = world.items["9"], f"/items/{world.items['9']}"
    page = caiwu.get(url).text
    v = version_in(page, f"/items/{item}/life/refuse")
    empty = post_form(caiwu, f"{url}/life/refuse", {"version": v, "refuse_reason": ""}, page=url)
    assert empty.status_code == 422 and "退回理由" in empty.text
    sent = post_form(
        caiwu,
        f"{url}/life/refuse",
        {"version": v, "refuse_reason": "应由基础教育科承办", "proposed_unit": world.units["基础教育科"]},
        page=url,
    )
    assert "等待办公室处理" in follow(caiwu, sent)
    office_page = office.get(url).text
    assert "建议由 基础教育科 承办" in office_page
    req = re.search(rf'action="/items/{item}/life/requests/(\d+)/decide"', office_page)
    assert req
    decide = f"{url}/life/requests/{req.group(1)}/decide"
    page = follow(
        office,
        post_form(
            office, decide, {"version": version_in(office_page, decide), "decision": "reassign"}, page=url
        ),
    )
    assert "已转办" in page and "基础教育科" in page
    assert caiwu.get(url).status_code == 404  # no longer its task
