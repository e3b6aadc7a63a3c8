"""交办事项 over the API (issue 14): the office creates a 会议议定事项 and a quarterly 常态化 duty with the
same rules as the page; the unit reads where its task came from; refusals are problem+json."""

from __future__ import annotations

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem


def test_create_and_read_an_adhoc_item(client_for: ClientFor, world: World) -> None:
    office, jichu = client_for("office", world.password), client_for("jichu", world.password)
    unit = world.units["基础教育科"]
    made = office.post(
        "/api/v1/adhoc",
        json={"source": "meeting", "title": "落实局长办公会议定的课后服务事项", "lead_unit_id": unit},
    )
    assert made.status_code == 201, made.text
    item = made.json()["item_id"]
    assert "交办督办事项" in made.json()["plan_title"]
    shown = jichu.get(f"/api/v1/items/{item}/adhoc").json()
    assert (shown["source_label"], shown["occurrences"]) == ("会议议定事项", [])
    duty = office.post(
        "/api/v1/adhoc",
        json={"source": "routine", "title": "季度安全检查", "lead_unit_id": unit, "recurrence": "quarterly"},
    )
    assert duty.status_code == 201 and duty.json()["plan_title"].endswith("常态化工作（每季度）")
    occurrences = office.get(f"/api/v1/items/{duty.json()['item_id']}/adhoc").json()["occurrences"]
    # this quarter's, still open (none from the 26th of its last month: the next one has not begun)
    assert [o["units"][0]["label"] for o in occurrences] in (["待报送"], [])

    assert_problem(
        jichu.post("/api/v1/adhoc", json={"source": "meeting", "title": "x", "lead_unit_id": unit}), 403
    )
    refused = office.post("/api/v1/adhoc", json={"source": "routine", "title": "x", "lead_unit_id": unit})
    assert "重复周期" in assert_problem(refused, 422)["detail"]
    assert_problem(office.get(f"/api/v1/items/{world.items['9']}/adhoc"), 404)
