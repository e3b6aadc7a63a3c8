"""我的待办 (/todo, issue 14): a unit's reporter sees what to sign, report, answer and put right; the
office sees the requests to decide, the reports to review and the signings past their limit —
each with its deadline (2024年5月20日) and a link; the count is in the navigation and on 首页."""

from __future__ import annotations

import re
from datetime import date

from tests.web.pages.conftest import PagesFor, post_form

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.life import Duty
from eduplan.db.supervision import Urge
from eduplan.samples.loop import World


def badge(html: str) -> int | None:
    found = re.search(r'href="/todo"[^>]*>我的待办 <span class="badge"[^>]*>(\d+)</span>', html)
    return int(found.group(1)) if found else None


def test_a_units_list_then_the_offices(pages_for: PagesFor, world: World, sessions: SessionFactory) -> None:
    office, caiwu = pages_for("office", world.password), pages_for("caiwu", world.password)
    item = world.items["9"]
    made = post_form(
        office,
        f"/items/{item}/urges",
        {
            "level": "red",
            "unit": world.units["计划财务科"],
            "due_on": "2099-05-20",
            "note": "请报送绩效评价进展",
        },
        page=f"/items/{item}",
    )
    assert made.status_code == 303
    data = caiwu.get("/todo.json").json()
    kinds = {e["kind"] for e in data["entries"] if e["item_id"] == item}
    assert {"sign", "urge_sign", "urge_answer"} <= kinds
    answer = next(e for e in data["entries"] if e["kind"] == "urge_answer")
    assert answer["deadline"] == "2099-05-20" and answer["url"] == f"/items/{item}#urges"
    page = caiwu.get("/todo").text
    assert "2099年5月20日" in page and "督办待答复" in page and f'href="/items/{item}#life"' in page
    home = caiwu.get("/").text
    assert badge(home) is not None and "我的待办" in home
    before = badge(home) or 0
    v = re.search(
        rf'action="/items/{item}/life/sign".*?name="version" value="(\d+)"',
        caiwu.get(f"/items/{item}").text,
        re.S,
    )
    assert v
    post_form(caiwu, f"/items/{item}/life/sign", {"version": v.group(1)}, page=f"/items/{item}")
    assert badge(caiwu.get("/todo").text) == before - 1  # signed: one less waiting
    assert "sign" not in {
        e["kind"] for e in caiwu.get("/todo.json").json()["entries"] if e["item_id"] == item
    }
    ask = re.search(
        rf'action="/items/{item}/life/closing".*?name="version" value="(\d+)"',
        caiwu.get(f"/items/{item}").text,
        re.S,
    )
    assert ask
    post_form(
        caiwu,
        f"/items/{item}/life/closing",
        {"version": ask.group(1), "closing_note": "已完成"},
        page=f"/items/{item}",
    )
    mine = office.get("/todo.json").json()
    closing = [e for e in mine["entries"] if e["kind"] == "decide_close"]
    assert [e["item_id"] for e in closing] == [item] and closing[0]["url"].startswith(
        f"/items/{item}#request-"
    )
    with sessions.begin() as session:  # every other task (and the urge) was received long ago, never signed
        for duty in session.query(Duty).filter(Duty.state == "to_sign"):
            duty.received_at = duty.received_at.replace(year=2020)
        for urge in session.query(Urge):
            urge.issued_at = urge.issued_at.replace(year=2020)
    overdue = [e for e in office.get("/todo.json").json()["entries"] if e["kind"] == "sign_overdue"]
    assert overdue and all(e["overdue"] for e in overdue) and item not in {e["item_id"] for e in overdue}
    assert "签收逾期" in office.get("/todo").text
    late_urges = [e for e in office.get("/todo.json").json()["entries"] if e["kind"] == "urge_sign_overdue"]
    assert [e["item_id"] for e in late_urges] == [item]


def test_a_viewer_has_no_list_in_the_navigation(
    pages_for: PagesFor, world: World, settings: Settings
) -> None:
    viewer = pages_for("viewer", world.password)
    home = viewer.get("/").text
    assert 'href="/todo"' not in home
    assert viewer.get("/todo.json").json()["entries"] == []
    assert date.today().year >= 2024 and settings.sign_working_days == 2
