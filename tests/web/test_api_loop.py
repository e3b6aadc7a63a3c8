"""The loop's routes: schedules, items, assignment, 下发, deadlines, status, audit — and a save made
by two people at once."""

from __future__ import annotations

from fastapi.testclient import TestClient

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem

ON = {"on": "2024-05-10"}


def test_schedule_is_set_by_office_staff(client_for: ClientFor, world: World) -> None:
    office = client_for("office", world.password)
    url = f"/api/v1/plans/{world.plan_id}/schedule"
    current = office.get(url).json()
    assert (current["cycle"], current["due_day"], len(current["cycles"]), current["items"]) == (
        "monthly",
        25,
        12,
        11,
    )
    changed = office.put(url, json={"cycle": "biweekly", "due_day": 5, "version": current["version"]})
    assert changed.status_code == 200 and len(changed.json()["cycles"]) == 27
    stale = assert_problem(
        office.put(url, json={"cycle": "weekly", "due_day": 5, "version": current["version"]}), 409
    )
    assert stale["changed_by"] == "office" and {c["field"] for c in stale["changes"]} == {"cycle", "due_day"}
    assert_problem(office.put(url, json={"cycle": "daily", "due_day": 5}), 400)
    reporter = client_for("jichu", world.password)
    assert_problem(reporter.put(url, json={"cycle": "weekly", "due_day": 5}), 403)


def test_items_are_scoped_and_show_what_is_to_be_specified(client_for: ClientFor, world: World) -> None:
    office = client_for("office", world.password)
    pending = office.get(
        "/api/v1/items", params={"plan_id": world.district_plan_id, "to_be_specified": True}
    ).json()
    assert [i["number"] for i in pending] == ["1", "2", "3"]
    words = [(a["name"], a["state"], a["hint"]) for a in pending[0]["assignments"]]
    assert ("各县区教育局", "unspecified", "handdown") in words
    reporter = client_for("xueqian", world.password)
    mine = reporter.get("/api/v1/items").json()
    assert {i["number"] for i in mine} == {"2"} | {"3"}  # 学前教育: plan item 2, district plan item 3
    assert_problem(reporter.get(f"/api/v1/items/{world.items['1']}"), 404)


def test_two_people_saving_the_same_item(client_for: ClientFor, world: World) -> None:
    """Two office staff open item 2 (局各科室) and assign it at the same time."""
    first, second = client_for("office", world.password), client_for("admin2", world.password)
    item = world.district_items["2"]
    seen_by_first = first.get(f"/api/v1/items/{item}").json()
    seen_by_second = second.get(f"/api/v1/items/{item}").json()
    assert seen_by_first["version"] == seen_by_second["version"]
    body = {"version": seen_by_first["version"], "assignments": [{"role": "lead", "name": "基础教育科"}]}
    saved = first.put(f"/api/v1/items/{item}/assignments", json=body)
    assert saved.status_code == 200 and saved.json()["to_be_specified"] is False
    mine = {"version": seen_by_second["version"], "assignments": [{"role": "lead", "name": "人事科"}]}
    conflict = assert_problem(
        second.put(f"/api/v1/items/{item}/assignments", json=mine), 409, "stale-version"
    )
    assert conflict["changed_by"] == "office" and conflict["your_version"] == seen_by_second["version"]
    change = conflict["changes"][0]
    assert change["field"] == "assignments" and change["after"][0]["name"] == "基础教育科"
    assert (
        "office" in conflict["detail"] and "责任单位" in conflict["detail"]
    )  # the field in words (issue 15)
    assert conflict["current"]["version"] == saved.json()["version"]
    # nothing is lost: the first save stands, and the second succeeds on the current version
    merged = {
        "version": conflict["current_version"],
        "assignments": [*body["assignments"], {"role": "support", "name": "人事科"}],
    }
    final = second.put(f"/api/v1/items/{item}/assignments", json=merged).json()
    assert [(a["role"], a["unit_name"]) for a in final["assignments"]] == [
        ("lead", "基础教育科"),
        ("support", "人事科"),
    ]
    trail = first.get(f"/api/v1/items/{item}/audit").json()
    assert [(e["action"], e["username"]) for e in trail] == [
        ("open", "system"),
        ("assign", "office"),
        ("assign", "admin2"),
    ]
    assert trail[1]["before"]["assignments"][0]["name"] == "局各科室"


def test_hand_down_and_districts_apart(client: TestClient, client_for: ClientFor, world: World) -> None:
    office = client_for("office", world.password)
    made = office.post(f"/api/v1/items/{world.district_items['1']}/hand-down", json={}).json()
    assert sorted(made["created"]) == ["丙县", "乙区", "甲区"]
    jia_org = office.get(f"/api/v1/items/{made['created']['甲区']}").json()["org_id"]
    yi = office.get(f"/api/v1/items/{made['created']['乙区']}").json()
    assert yi["targets"][0]["value"] == 6 and yi["deadline"] == "2024-12-31"
    new = {"username": "jia", "role": "office", "org_id": jia_org, "password": world.password}
    assert client.post("/api/v1/users", json=new).status_code == 201
    jia = client_for("jia", world.password)
    assert [i["id"] for i in jia.get("/api/v1/items").json()] == [made["created"]["甲区"]]
    assert_problem(jia.get(f"/api/v1/items/{made['created']['乙区']}"), 404)
    assert_problem(jia.get(f"/api/v1/items/{made['created']['乙区']}/audit"), 404)
    assert_problem(jia.get(f"/api/v1/plans/{world.plan_id}/schedule"), 404)


def test_deadline_words_and_status(client_for: ClientFor, world: World) -> None:
    office = client_for("office", world.password)
    item = office.get(f"/api/v1/items/{world.items['11']}").json()
    saved = office.put(
        f"/api/v1/items/{item['id']}/deadline", json={"version": item["version"], "deadline": "第三季度"}
    )
    assert saved.json()["deadline"] == "2024-09-30" and saved.json()["deadline_text"] == "第三季度"
    bad = office.put(
        f"/api/v1/items/{item['id']}/deadline", json={"version": saved.json()["version"], "deadline": "尽快"}
    )
    assert_problem(bad, 422, "invalid")
    status = office.get(f"/api/v1/plans/{world.plan_id}/status", params=ON).json()
    assert status["due_cycles"] == 4 and sum(status["counts"].values()) == 11
    assert {u["unit_name"] for u in status["units"]} >= {"基础教育科", "计划财务科"}
    one = office.get(f"/api/v1/items/{item['id']}/status", params=ON).json()
    assert one["deadline"] == "2024-09-30" and one["colour"] in ("green", "amber", "red")


def test_a_district_adds_its_units_and_reports(
    client: TestClient, client_for: ClientFor, world: World
) -> None:
    office = client_for("office", world.password)
    made = office.post(
        f"/api/v1/items/{world.district_items['1']}/hand-down", json={"districts": ["甲区"]}
    ).json()
    child = office.get(f"/api/v1/items/{made['created']['甲区']}").json()
    new = {"username": "jia", "role": "office", "org_id": child["org_id"], "password": world.password}
    assert office.post("/api/v1/users", json=new).status_code == 201  # the city makes the district's staff
    jia = client_for("jia", world.password)
    unit = jia.post(
        "/api/v1/units", json={"org_id": child["org_id"], "name": "基础教育股", "aliases": ["基教股"]}
    )
    assert unit.status_code == 201 and unit.json()["unit"]["aliases"] == ["基础教育股", "基教股"]
    assert jia.post("/api/v1/units", json={"org_id": child["org_id"], "name": "基教股"}).status_code == 200
    assert_problem(jia.post("/api/v1/units", json={"org_id": world.org_id, "name": "某科"}), 404)
    body = {"version": child["version"], "assignments": [{"role": "lead", "name": "基教股"}]}
    assert jia.put(f"/api/v1/items/{child['id']}/assignments", json=body).json()["to_be_specified"] is False
    schedule = jia.get(f"/api/v1/plans/{world.district_plan_id}/schedule").json()
    assert schedule["items"] == 1 and len(schedule["cycles"]) == 12
    status = jia.get(f"/api/v1/plans/{world.district_plan_id}/status", params=ON).json()
    assert [s["item_id"] for s in status["items"]] == [child["id"]]
    assert [u["unit_name"] for u in status["units"]] == ["基础教育股"]
