"""领导批示 through the API (issue 14): written by the office or a leader (a reporter: 403; no text:
422), listed with its units, acknowledged once by the unit (again: 409; another unit: 404)."""

from __future__ import annotations

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem


def test_write_list_and_acknowledge(client_for: ClientFor, world: World) -> None:
    office, caiwu = client_for("office", world.password), client_for("caiwu", world.password)
    jichu = client_for("jichu", world.password)
    item = world.items["9"]
    assert_problem(caiwu.post(f"/api/v1/items/{item}/instructions", json={"body": "自批"}), 403)
    assert_problem(office.post(f"/api/v1/items/{item}/instructions", json={"body": " "}), 422)
    made = office.post(f"/api/v1/items/{item}/instructions", json={"body": "请抓紧", "deadline": "月底前"})
    assert made.status_code == 201, made.text
    n = made.json()
    assert (n["body"], n["deadline_text"], n["waiting"]) == ("请抓紧", "月底前", ["计划财务科"])
    [listed] = caiwu.get(f"/api/v1/items/{item}/instructions").json()
    assert listed["id"] == n["id"] and listed["can_ack"] is True
    assert_problem(jichu.post(f"/api/v1/instructions/{n['id']}/ack", json={}), 404)
    ok = caiwu.post(f"/api/v1/instructions/{n['id']}/ack", json={"note": "已落实"})
    assert ok.status_code == 200, ok.text
    assert ok.json()["mine"]["acked_by"] == "caiwu" and ok.json()["waiting"] == []
    assert_problem(caiwu.post(f"/api/v1/instructions/{n['id']}/ack", json={}), 409)
    [after] = office.get(f"/api/v1/items/{item}/instructions").json()
    assert [(a["unit_name"], a["note"]) for a in after["acks"]] == [("计划财务科", "已落实")]
