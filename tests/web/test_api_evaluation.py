"""Evaluation through the API: the ranking with its arithmetic, self-assessment, review, rubric."""

from __future__ import annotations

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem

ON = {"on": "2024-05-10"}


def test_evaluation_journey(client_for: ClientFor, world: World) -> None:
    office, caiwu = client_for("office", world.password), client_for("caiwu", world.password)
    url = f"/api/v1/plans/{world.plan_id}/evaluation"
    slot = f"/api/v1/items/{world.items['9']}/reports/{world.units['计划财务科']}/0"
    report = caiwu.put(slot, json={"percent": 50}).json()
    caiwu.post(f"/api/v1/reports/{report['id']}/submit", json={"version": report["version"]})
    ranking = office.get(url, params=ON).json()
    top = ranking["units"][0]
    assert top["unit_name"] == "计划财务科" and top["rank"] == 1
    assert top["explanation"][0].startswith("完成度 25.0 × 40%")  # 50% on one of its two tasks
    assert caiwu.put(f"{url}/self", json={"score": 80, "note": "按要求报送"}).status_code == 204
    assert_problem(office.put(f"{url}/self", json={"score": 80}), 403)
    review = {"score": 95, "note": "年度任务已全部完成"}
    assert office.put(f"{url}/units/{world.units['学前教育科']}/review", json=review).status_code == 204
    assert_problem(caiwu.put(f"{url}/units/{world.units['学前教育科']}/review", json=review), 403)
    again = office.get(url, params=ON).json()["units"]
    assert (again[0]["unit_name"], again[0]["score"]) == ("学前教育科", 95)
    assert next(u for u in again if u["unit_name"] == "计划财务科")["self_score"] == 80
    assert [u["unit_name"] for u in caiwu.get(url, params=ON).json()["units"]] == ["计划财务科"]
    rubric = office.put(
        f"{url}/rubric", json={"completion_weight": 1, "timeliness_weight": 0, "target_weight": 0}
    )
    assert rubric.status_code == 200 and rubric.json()["version"] == 1
    assert_problem(office.put(f"{url}/rubric", json={"completion_weight": 101}), 400)
