"""Reports through the API: a unit drafts and submits, office staff return and accept; two people
saving one report; another unit's drafts out of reach; evidence checked by content."""

from __future__ import annotations

from fastapi.testclient import TestClient

from eduplan.samples.loop import World

from .conftest import ClientFor
from .test_api import assert_problem

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def slot(world: World, unit: str, item: str = "1", cycle: int = 4) -> str:
    return f"/api/v1/items/{world.items[item]}/reports/{world.units[unit]}/{cycle}"


def test_report_from_draft_to_accepted(client_for: ClientFor, world: World) -> None:
    jichu, office = client_for("jichu", world.password), client_for("office", world.password)
    item = jichu.get(f"/api/v1/items/{world.items['1']}").json()
    target = item["targets"][0]["id"]
    body = {
        "progress": "in_progress",
        "percent": 40,
        "narrative": "新建项目已开工3个",
        "values": [{"target_id": target, "actual": 1200}],
    }
    created = jichu.put(slot(world, "基础教育科"), json=body)
    assert created.status_code == 200, created.text
    report = created.json()
    assert (report["state"], report["version"], report["values"]) == (
        "draft",
        1,
        [{"target_id": target, "actual": 1200}],
    )
    assert_problem(office.get(f"/api/v1/reports/{report['id']}"), 404)  # a draft is the unit's own
    submitted = jichu.post(f"/api/v1/reports/{report['id']}/submit", json={"version": 1}).json()
    assert submitted["state"] == "submitted"
    returned = office.post(
        f"/api/v1/reports/{report['id']}/review",
        json={"version": submitted["version"], "decision": "return", "note": "请附开工证明"},
    ).json()
    assert (returned["state"], returned["review_note"]) == ("returned", "请附开工证明")
    evidence = jichu.post(
        f"/api/v1/reports/{report['id']}/evidence", files={"file": ("开工证明.pdf", PDF, "application/pdf")}
    )
    assert evidence.status_code == 201 and evidence.json()["media_type"] == "application/pdf"
    again = jichu.post(f"/api/v1/reports/{report['id']}/submit", json={"version": returned["version"]}).json()
    accepted = office.post(
        f"/api/v1/reports/{report['id']}/review", json={"version": again["version"], "decision": "accept"}
    )
    assert accepted.json()["state"] == "accepted"
    download = office.get(f"/api/v1/evidence/{evidence.json()['id']}")
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''" in download.headers["content-disposition"]
    assert download.headers["x-content-type-options"] == "nosniff"
    trail = office.get(f"/api/v1/items/{world.items['1']}/audit").json()
    assert [e["action"] for e in trail] == [
        "open",
        "create",
        "submit",
        "return",
        "attach",
        "submit",
        "accept",
    ]
    assert trail[1]["after"]["percent"] == 40 and trail[3]["before"]["state"] == "submitted"


def test_two_reporters_saving_one_report(client_for: ClientFor, client: TestClient, world: World) -> None:
    new = {
        "username": "jichu2",
        "role": "reporter",
        "org_id": world.org_id,
        "unit_id": world.units["基础教育科"],
        "password": world.password,
    }
    assert client.post("/api/v1/users", json=new).status_code == 201
    first, second = client_for("jichu", world.password), client_for("jichu2", world.password)
    draft = first.put(slot(world, "基础教育科"), json={"percent": 20, "narrative": "初稿"}).json()
    read_by_second = second.get(f"/api/v1/reports/{draft['id']}").json()
    first.put(
        slot(world, "基础教育科"),
        json={"version": draft["version"], "percent": 30, "narrative": "张三补充了进度"},
    )
    mine = {"version": read_by_second["version"], "percent": 25, "narrative": "李四的版本"}
    conflict = assert_problem(second.put(slot(world, "基础教育科"), json=mine), 409, "stale-version")
    assert conflict["changed_by"] == "jichu" and conflict["changed_at"]
    changes = {c["field"]: (c["before"], c["after"]) for c in conflict["changes"]}
    assert changes == {"percent": (20, 30), "narrative": ("初稿", "张三补充了进度")}
    assert (
        "jichu" in conflict["detail"] and "完成百分比" in conflict["detail"]
    )  # the field in words (issue 15)
    assert second.get(f"/api/v1/reports/{draft['id']}").json()["narrative"] == "张三补充了进度"
    merged = {**mine, "version": conflict["current_version"], "narrative": "张三补充了进度；李四的版本"}
    assert (
        second.put(slot(world, "基础教育科"), json=merged).json()["version"]
        == conflict["current_version"] + 1
    )


def test_another_units_reports_are_out_of_reach(client_for: ClientFor, world: World) -> None:
    jichu, guihua = client_for("jichu", world.password), client_for("guihua", world.password)
    theirs = guihua.put(slot(world, "发展规划科"), json={"percent": 10}).json()
    assert_problem(jichu.get(f"/api/v1/reports/{theirs['id']}"), 404)
    assert jichu.get(f"/api/v1/items/{world.items['1']}/reports").json() == []
    assert_problem(jichu.put(slot(world, "发展规划科"), json={"version": 1, "percent": 90}), 403)
    assert_problem(jichu.post(f"/api/v1/reports/{theirs['id']}/submit", json={"version": 1}), 404)
    pdf = {"file": ("x.pdf", PDF, "application/pdf")}
    assert_problem(jichu.post(f"/api/v1/reports/{theirs['id']}/evidence", files=pdf), 404)
    assert_problem(jichu.put(slot(world, "基础教育科", item="11"), json={"percent": 10}), 404)  # not its task
    assert guihua.get(f"/api/v1/reports/{theirs['id']}").json()["percent"] == 10


def test_evidence_is_checked_by_content(client_for: ClientFor, world: World) -> None:
    jichu = client_for("jichu", world.password)
    report = jichu.put(slot(world, "基础教育科"), json={"percent": 10}).json()
    url = f"/api/v1/reports/{report['id']}/evidence"
    disguised = jichu.post(url, files={"file": ("照片.png", b"<script>alert(1)</script>", "image/png")})
    assert "只接受" in assert_problem(disguised, 422, "invalid")["detail"]
    assert_problem(jichu.post(url, data={"x": "1"}), 400)
    assert jichu.get(f"/api/v1/reports/{report['id']}").json()["evidence"] == []


def test_report_input_is_validated(client_for: ClientFor, world: World) -> None:
    jichu = client_for("jichu", world.password)
    assert_problem(jichu.put(slot(world, "基础教育科"), json={"percent": 101}), 400)
    assert_problem(
        jichu.put(slot(world, "基础教育科"), json={"progress": "done", "percent": 50}), 422, "invalid"
    )
    assert_problem(jichu.put(slot(world, "基础教育科", cycle=40), json={"percent": 5}), 422)


GIF = b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff!\xf9\x04\x01\x00\x00\x00\x00,\x00\x00\x00\x00"


def test_a_page_or_script_disguised_by_its_first_bytes_is_refused(
    client_for: ClientFor, world: World
) -> None:
    """Issue 13, finding 9: the API took ``x.html`` and ``x.js`` starting with a PDF or GIF header
    (the form refused them); one rule in the evidence service now refuses them everywhere."""
    jichu = client_for("jichu", world.password)
    report = jichu.put(slot(world, "基础教育科"), json={"percent": 10}).json()
    url = f"/api/v1/reports/{report['id']}/evidence"
    for name, data in (
        ("x.html", PDF + b"<script>alert(1)</script>"),
        ("x.js", GIF + b"alert(1)"),
        ("x.svg", GIF),
    ):
        refused = jichu.post(url, files={"file": (name, data, "application/pdf")})
        assert "扩展名" in assert_problem(refused, 422, "invalid")["detail"], name
    assert jichu.get(f"/api/v1/reports/{report['id']}").json()["evidence"] == []
    bare = jichu.post(url, files={"file": ("扫描件", GIF, "application/octet-stream")})
    assert bare.status_code == 201 and bare.json()["filename"] == "扫描件.gif"
    download = jichu.get(f"/api/v1/evidence/{bare.json()['id']}")
    assert download.headers["content-disposition"].startswith("attachment;")
    assert download.headers["x-content-type-options"] == "nosniff"


def test_an_impossible_value_is_a_422_naming_the_target(client_for: ClientFor, world: World) -> None:
    jichu = client_for("jichu", world.password)
    item = jichu.get(f"/api/v1/items/{world.items['2']}").json()  # 普惠性幼儿园覆盖率达到85%以上
    coverage = next(t for t in item["targets"] if t["unit"] == "%")["id"]
    body = {"progress": "in_progress", "percent": 40, "values": [{"target_id": coverage, "actual": 850}]}
    problem = assert_problem(jichu.put(slot(world, "基础教育科", "2"), json=body), 422, "invalid")
    assert "普惠性幼儿园覆盖率" in problem["detail"] and "0 到 100" in problem["detail"]
    assert list(problem["fields"]) == [f"t{coverage}"]
    assert jichu.get(f"/api/v1/items/{world.items['2']}/reports").json() == []
    body["values"] = [{"target_id": coverage, "actual": 86}]
    saved = jichu.put(slot(world, "基础教育科", "2"), json=body)
    assert saved.status_code == 200 and saved.json()["warnings"] == []


def test_the_office_sets_a_range_and_lists_the_flagged_values(client_for: ClientFor, world: World) -> None:
    jichu, office = client_for("jichu", world.password), client_for("office", world.password)
    places = jichu.get(f"/api/v1/items/{world.items['1']}").json()["targets"][0]["id"]
    body = {"plausible_min": 100, "plausible_max": 1000}
    assert_problem(jichu.put(f"/api/v1/item-targets/{places}/range", json=body), 403)
    assert office.put(f"/api/v1/item-targets/{places}/range", json=body).json()["plausible_max"] == 1000
    report = {"progress": "in_progress", "percent": 40, "values": [{"target_id": places, "actual": 1500}]}
    saved = jichu.put(slot(world, "基础教育科"), json=report).json()
    assert "合理范围 100–1000" in saved["warnings"][0]
    jichu.post(f"/api/v1/reports/{saved['id']}/submit", json={"version": saved["version"]})
    flagged = office.get(f"/api/v1/plans/{world.plan_id}/flagged-values", params={"cycle": 4}).json()
    assert [(f["unit_name"], f["target_id"], f["level"]) for f in flagged] == [
        ("基础教育科", places, "warning")
    ]
