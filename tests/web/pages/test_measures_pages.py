"""任务, 完成 and 平均进度 agree wherever a plan's figures appear (issue 15, "Numbers that agree"):
the plans list, 首页, the 通报 preview, the 台账 and the API give the same three numbers for one
plan, over its own tasks — not its background items, not the children handed down to districts —
under the same labels, with the footnote that says what they mean."""

from __future__ import annotations

from tests.export.progress_scenario import TODAY, file_april, office
from tests.web.conftest import ClientFor
from tests.web.pages.conftest import PagesFor

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.loop import World
from eduplan.services import loop
from eduplan.services.tracking.ledger_rows import progress_ledger
from eduplan.services.tracking.measures import EXPLANATION

ON = "on=2024-05-10"
# April as filed by `file_april`: task 1 70 % (both units), task 2 25 %, task 9 done (100 %), task 7
# blocked at 5 % by one of its two units; the other 7 of the 11 tasks nothing
EXPECTED = (11, 1, 9.1, round((70 + 25 + 100 + 2.5) / 11, 1))


def test_one_plan_shows_the_same_three_numbers_everywhere(
    world: World, sessions: SessionFactory, settings: Settings, pages_for: PagesFor, client_for: ClientFor
) -> None:
    file_april(sessions, world)
    # a task handed down to two districts: their children are not the plan's tasks again
    loop.hand_down(sessions, office(world), world.items["1"], ["甲区", "乙区"])
    leader = pages_for("leader", world.password)

    listed = next(p for p in leader.get("/plans.json").json()["items"] if p["id"] == world.plan_id)
    home = next(p for p in leader.get("/.json").json()["dashboard"]["plans"] if p["plan_id"] == world.plan_id)
    bulletin = leader.get(f"/plans/{world.plan_id}/exports.json?{ON}").json()["bulletin"]
    ledger = progress_ledger(sessions, settings, office(world), world.plan_id, TODAY)
    api = client_for("leader", world.password).get(f"/api/v1/plans/{world.plan_id}/measures").json()

    figures = {
        "list": (listed["tasks"], listed["done"], listed["completion"], listed["average"]),
        "home": (home["tasks"], home["done"], home["completion"], home["average_percent"]),
        "bulletin": (bulletin["tasks"], bulletin["completed"], bulletin["completion"], bulletin["average"]),
        "ledger": (
            ledger.measures.tasks,
            ledger.measures.done,
            ledger.measures.completion,
            ledger.measures.average,
        ),
        "api": (api["tasks"], api["done"], api["completion"], api["average"]),
    }
    assert set(figures.values()) == {EXPECTED}, figures
    assert sum(r.counted for r in ledger.rows) == EXPECTED[0] < len(ledger.rows)  # + 2 children
    assert api["labels"] == {"tasks": "任务", "done": "完成", "average": "平均进度"}
    # the 台账 download says the same under its table
    from io import BytesIO

    from openpyxl import load_workbook

    xlsx = leader.get(f"/plans/{world.plan_id}/ledger.xlsx?{ON}")
    cells = [
        c
        for row in load_workbook(BytesIO(xlsx.content))["总体情况"].iter_rows(values_only=True)
        for c in row
        if c
    ]
    assert "任务 11 项，完成 1 项（9.1%），平均进度 18%" in cells and f"注：{EXPLANATION}" in cells


def test_the_labels_and_their_footnote_are_the_same_on_every_page(world: World, pages_for: PagesFor) -> None:
    leader = pages_for("leader", world.password)
    pages = {
        "list": leader.get("/plans").text,
        "home": leader.get("/").text,
        "exports": leader.get(f"/plans/{world.plan_id}/exports?{ON}").text,
    }
    for name, html in pages.items():
        assert EXPLANATION in html, name  # the footnote, as text a keyboard or touch user reads
        assert "平均进度" in html and "完成" in html, name
    assert "任务总数" not in pages["exports"] and "任务完成" not in pages["home"]


def test_background_items_are_not_tasks_opened_or_not(
    world: World, sessions: SessionFactory, pages_for: PagesFor, client_for: ClientFor
) -> None:
    """Issue 15: "11 + 2" — the list counted 背景/说明 items as tasks."""
    from tests.web.pages.test_plans_pages import CONTEXT_PLAN

    from eduplan.services import registry as reg
    from eduplan.services.accounts import Principal

    plan_id = reg.import_document(sessions, CONTEXT_PLAN, "要点.txt").plan_id
    office = pages_for("office", world.password)

    def listed() -> dict:  # type: ignore[type-arg]
        return next(p for p in office.get("/plans.json").json()["items"] if p["id"] == plan_id)

    assert listed()["tasks"] == 1  # not yet open: the document's tasks, without its 2 background items
    loop.open_plan(sessions, Principal.system(), plan_id, loop.ScheduleInput("monthly", 25))
    home = next(p for p in office.get("/.json").json()["dashboard"]["plans"] if p["plan_id"] == plan_id)
    api = client_for("office", world.password).get(f"/api/v1/plans/{plan_id}/measures").json()
    assert listed()["tasks"] == home["tasks"] == api["tasks"] == 1
