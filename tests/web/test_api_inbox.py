"""The inbox through the API: a returned report reaches the unit's reporter, who marks it read."""

from __future__ import annotations

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem


def test_inbox(client_for: ClientFor, world: World) -> None:
    jichu, office = client_for("jichu", world.password), client_for("office", world.password)
    slot = f"/api/v1/items/{world.items['1']}/reports/{world.units['基础教育科']}/0"
    report = jichu.put(slot, json={"percent": 10}).json()
    sent = jichu.post(f"/api/v1/reports/{report['id']}/submit", json={"version": report["version"]}).json()
    review = {"version": sent["version"], "decision": "return", "note": "请补充开工数据"}
    assert office.post(f"/api/v1/reports/{report['id']}/review", json=review).status_code == 200
    notices = jichu.get("/api/v1/inbox", params={"unread": True}).json()
    assert [(n["kind"], n["item_id"]) for n in notices] == [("returned", world.items["1"])]
    assert "请补充开工数据" in notices[0]["title"]
    assert office.get("/api/v1/inbox").json() == []
    assert_problem(office.post(f"/api/v1/inbox/{notices[0]['id']}/read"), 404)  # not hers
    assert jichu.post(f"/api/v1/inbox/{notices[0]['id']}/read").json() == 1
    assert jichu.get("/api/v1/inbox", params={"unread": True}).json() == []
    assert jichu.post("/api/v1/inbox/read").json() == 0
