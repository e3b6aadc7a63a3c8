"""The task's life through the API (issue 14): one call per transition — sign, refuse and reassign,
insist, extension asked and decided, closing asked and decided, an urge signed — with the role,
state and version refusals as problems (403, 409)."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem


def life(client: TestClient, item: int) -> dict[str, Any]:
    response = client.get(f"/api/v1/items/{item}/life")
    assert response.status_code == 200, response.text
    return response.json()  # type: ignore[no-any-return]


def test_sign_then_extension_approved_then_closing_accepted(client_for: ClientFor, world: World) -> None:
    office, caiwu = client_for("office", world.password), client_for("caiwu", world.password)
    item = world.items["9"]
    mine = life(caiwu, item)["mine"]
    assert mine["state"] == "to_sign"
    assert_problem(office.post(f"/api/v1/items/{item}/sign", json={"version": mine["version"]}), 403)
    signed = caiwu.post(f"/api/v1/items/{item}/sign", json={"version": mine["version"]})
    assert signed.status_code == 200 and signed.json()["signed_by"] == "caiwu"
    assert_problem(
        caiwu.post(f"/api/v1/items/{item}/sign", json={"version": mine["version"]}), 409, "stale-version"
    )
    v = signed.json()["version"]
    asked = caiwu.post(
        f"/api/v1/items/{item}/extensions",
        json={"version": v, "deadline": "2099-06-30", "reason": "资金未到位"},
    )
    assert asked.status_code == 200, asked.text
    [req] = life(office, item)["requests"]
    decided = office.post(
        f"/api/v1/items/{item}/requests/{req['id']}/decision",
        json={"version": asked.json()["version"], "decision": "approve"},
    )
    assert decided.status_code == 200 and decided.json()["requests"][0]["state"] == "approved"
    assert office.get(f"/api/v1/items/{item}").json()["deadline"] == "2099-06-30"
    v = decided.json()["duties"][0]["version"]
    closing = caiwu.post(f"/api/v1/items/{item}/closing", json={"version": v, "note": "已全部完成"})
    assert closing.status_code == 200 and closing.json()["state"] == "closing"
    req = life(office, item)["requests"][-1]
    assert_problem(
        caiwu.post(
            f"/api/v1/items/{item}/requests/{req['id']}/decision",
            json={"version": closing.json()["version"], "decision": "accept"},
        ),
        403,
    )
    done = office.post(
        f"/api/v1/items/{item}/requests/{req['id']}/decision",
        json={"version": closing.json()["version"], "decision": "accept"},
    )
    assert done.status_code == 200 and done.json()["closed"] is True


def test_refusal_reassigned_and_insisted(client_for: ClientFor, world: World) -> None:
    office, caiwu = client_for("office", world.password), client_for("caiwu", world.password)
    jichu = client_for("jichu", world.password)
    item = world.items["9"]
    mine = life(caiwu, item)["mine"]
    refused = caiwu.post(
        f"/api/v1/items/{item}/refuse",
        json={
            "version": mine["version"],
            "reason": "不属于本科职责",
            "proposed_unit_id": world.units["基础教育科"],
        },
    )
    assert refused.status_code == 200 and refused.json()["state"] == "refused"
    [req] = life(office, item)["requests"]
    insisted = office.post(
        f"/api/v1/items/{item}/requests/{req['id']}/decision",
        json={"version": refused.json()["version"], "decision": "insist", "note": "由财务科牵头"},
    )
    assert insisted.json()["duties"][0]["state"] == "to_sign"
    again = caiwu.post(
        f"/api/v1/items/{item}/refuse",
        json={"version": insisted.json()["duties"][0]["version"], "reason": "确非本科职责"},
    )
    req = life(office, item)["requests"][-1]
    moved = office.post(
        f"/api/v1/items/{item}/requests/{req['id']}/decision",
        json={
            "version": again.json()["version"],
            "decision": "reassign",
            "unit_id": world.units["基础教育科"],
        },
    )
    assert moved.status_code == 200, moved.text
    assert [d["unit_name"] for d in moved.json()["duties"]] == ["基础教育科"]
    assert life(jichu, item)["mine"]["state"] == "to_sign"
    assert_problem(caiwu.get(f"/api/v1/items/{item}/life"), 404)


def test_an_urge_is_signed_through_the_api(client_for: ClientFor, world: World) -> None:
    office, caiwu = client_for("office", world.password), client_for("caiwu", world.password)
    item, unit = world.items["9"], world.units["计划财务科"]
    urge = office.post(
        f"/api/v1/items/{item}/urges", json={"note": "请报送", "due_on": "2099-01-01", "unit_id": unit}
    )
    signed = caiwu.post(f"/api/v1/urges/{urge.json()['id']}/sign", json={"version": urge.json()["version"]})
    assert signed.status_code == 200 and signed.json()["signed_by"] == "caiwu"
    again = caiwu.post(f"/api/v1/urges/{urge.json()['id']}/sign", json={"version": signed.json()["version"]})
    assert_problem(again, 409)
