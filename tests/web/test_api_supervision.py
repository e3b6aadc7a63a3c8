"""Supervision through the API: an urge issued, escalated, answered and closed; a rectification with
evidence signed off; a unit sees only what is addressed to it."""

from __future__ import annotations

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 16


def test_urge_and_rectification_journey(client_for: ClientFor, world: World) -> None:
    office, caiwu = client_for("office", world.password), client_for("caiwu", world.password)
    jichu = client_for("jichu", world.password)
    item, unit = world.items["9"], world.units["计划财务科"]
    urge = office.post(
        f"/api/v1/items/{item}/urges",
        json={"note": "请报送绩效评价进展", "due_on": "5月20日前", "unit_id": unit},
    )
    assert urge.status_code == 201 and urge.json()["due_on"] == "2024-05-20"
    assert_problem(caiwu.post(f"/api/v1/items/{item}/urges", json={"note": "x", "due_on": "年内"}), 403)
    escalated = office.post("/api/v1/urges/escalate", json={"on": "2024-05-22", "days": 3}).json()
    assert escalated == [urge.json()["id"]]
    mine = caiwu.get("/api/v1/urges", params={"open_only": True}).json()
    assert [(u["level"], u["due_on"]) for u in mine] == [("red", "2024-05-25")]
    assert jichu.get("/api/v1/urges").json() == []
    stale = caiwu.post(f"/api/v1/urges/{urge.json()['id']}/answer", json={"version": 1, "response": "已启动"})
    assert assert_problem(stale, 409, "stale-version")["changed_by"] == "office"
    answered = caiwu.post(
        f"/api/v1/urges/{mine[0]['id']}/answer", json={"version": mine[0]["version"], "response": "已启动"}
    )
    closed = office.post(f"/api/v1/urges/{mine[0]['id']}/close", json={"version": answered.json()["version"]})
    assert closed.json()["state"] == "closed"

    rect = office.post(
        f"/api/v1/items/{item}/rectifications",
        json={"unit_id": unit, "finding": "支出进度滞后", "deadline": "6月底前"},
    ).json()
    assert (rect["deadline"], rect["state"]) == ("2024-06-30", "open")
    url = f"/api/v1/rectifications/{rect['id']}"
    too_soon = caiwu.post(f"{url}/submit", json={"version": rect["version"], "measures": "已加快支出"})
    assert "佐证" in assert_problem(too_soon, 422, "invalid")["detail"]
    assert caiwu.post(f"{url}/evidence", files={"file": ("照片.png", PNG, "image/png")}).status_code == 201
    assert_problem(jichu.post(f"{url}/evidence", files={"file": ("照片.png", PNG, "image/png")}), 404)
    submitted = caiwu.post(
        f"{url}/submit", json={"version": rect["version"], "measures": "已加快支出"}
    ).json()
    signed = office.post(f"{url}/sign-off", json={"version": submitted["version"], "accept": True}).json()
    assert signed["state"] == "signed_off" and signed["evidence"][0]["media_type"] == "image/png"
    listed = office.get("/api/v1/rectifications", params={"item_id": item, "state": "signed_off"}).json()
    assert [r["id"] for r in listed] == [rect["id"]]
    download = office.get(f"/api/v1/evidence/{signed['evidence'][0]['id']}")
    assert download.content == PNG
    trail = [e["action"] for e in office.get(f"/api/v1/items/{item}/audit").json()]
    assert trail[-8:] == ["urge", "escalate", "answer", "close", "raise", "attach", "submit", "sign_off"]
