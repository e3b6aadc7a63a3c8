"""Comments through the API: ``GET``/``POST /api/v1/items/{id}/comments`` scoped like the item,
refused to viewers, 1–2000 characters, and shown in the item's audit trail."""

from __future__ import annotations

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem


def test_comments_are_written_and_read_in_order(client_for: ClientFor, world: World) -> None:
    office, jichu = client_for("office", world.password), client_for("jichu", world.password)
    url = f"/api/v1/items/{world.items['1']}/comments"
    made = office.post(url, json={"body": "请补充开工照片"})
    assert made.status_code == 201, made.text
    assert made.json()["username"] == "office" and made.json()["body"] == "请补充开工照片"
    answer = jichu.post(url, json={"body": "已上传"})
    assert answer.status_code == 201 and answer.json()["unit_name"] == "基础教育科"
    listed = client_for("viewer", world.password).get(url)
    assert listed.status_code == 200
    assert [(c["username"], c["body"]) for c in listed.json()] == [
        ("office", "请补充开工照片"),
        ("jichu", "已上传"),
    ]
    audit = office.get(f"/api/v1/items/{world.items['1']}/audit").json()
    assert [e["after"]["body"] for e in audit if e["entity"] == "comment"] == ["请补充开工照片", "已上传"]


def test_viewers_other_units_and_bad_bodies_are_refused(client_for: ClientFor, world: World) -> None:
    url = f"/api/v1/items/{world.items['1']}/comments"
    viewer = client_for("viewer", world.password)
    assert "只读用户" in assert_problem(viewer.post(url, json={"body": "看看"}), 403)["detail"]
    caiwu = client_for("caiwu", world.password)  # 计划财务科 is not responsible for item 1
    assert_problem(caiwu.get(url), 404)
    assert_problem(caiwu.post(url, json={"body": "路过"}), 404)
    office = client_for("office", world.password)
    assert "请填写评论内容" in assert_problem(office.post(url, json={"body": "  "}), 422)["detail"]
    assert "2000" in assert_problem(office.post(url, json={"body": "字" * 2001}), 422)["detail"]
    assert_problem(office.post(url, json={}), 400)  # no body at all: a malformed request
    assert office.get(url).json() == []
    assert_problem(office.get("/api/v1/items/999999/comments"), 404)
