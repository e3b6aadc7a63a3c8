"""The comparison API (/api/v1/compare/…, web/api_compare.py) and the topic filter of /api/v1/tasks,
in-process over the fictional plans of samples/compare_plans.py."""

from __future__ import annotations

import io

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from tests.compare_corpus import task_id
from tests.web.conftest import ClientFor

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.samples.compare_plans import import_compare_plans
from eduplan.services.accounts import Principal, UserCreate, create_user

PASSWORD = "样例Passw0rd2024"


@pytest.fixture
def plans(sessions: SessionFactory) -> dict[str, int]:
    return import_compare_plans(sessions)


def account(
    sessions: SessionFactory, settings: Settings, username: str, role: str, org_id: int
) -> tuple[str, str]:
    create_user(
        sessions, settings, Principal.system(), UserCreate(username, role, username, org_id, None, PASSWORD)
    )
    return username, PASSWORD


def test_every_compare_route_needs_a_signed_in_user(anon: TestClient) -> None:
    for path in ("/api/v1/compare/matrix", "/api/v1/compare/topics", "/api/v1/compare/export.xlsx"):
        response = anon.get(path)
        assert response.status_code == 401
        assert response.headers["content-type"] == "application/problem+json"


def test_matrix_and_cell(client: TestClient, plans: dict[str, int]) -> None:
    chosen = {"plan_id": [plans["city2023"], plans["city2024"], plans["county"]]}
    body = client.get("/api/v1/compare/matrix", params=chosen).json()
    assert [p["label"] for p in body["plans"]] == ["样例市2023", "样例市2024", "样例县2024"]
    topics = [t["id"] for t in body["topics"]]
    county = body["rows"][2]
    assert county["cells"][topics.index("labor")] == {"topic": "labor", "tasks": 2, "targets": 3}
    cell = client.get("/api/v1/compare/matrix/labor", params=chosen).json()
    assert cell["topic"] == {"id": "labor", "name": "劳动教育与实践"}
    assert [[e["title"] for e in c["entries"]] for c in cell["columns"]] == [
        ["加强劳动教育"],
        ["深化劳动教育"],
        ["实施劳动教育提升行动", "打造茶山研学品牌"],
    ]
    assert cell["columns"][1]["entries"][0]["targets"][0]["text"] == "新建中小学劳动教育实践基地15个"
    missing = client.get("/api/v1/compare/matrix/cooking")
    assert missing.status_code == 422 and "未知的主题" in missing.json()["detail"]
    assert client.get("/api/v1/compare/matrix", params={"plan_id": 999}).status_code == 404
    assert client.get("/api/v1/compare/topics").json()[0] == {"id": "party", "name": "党的建设"}


def test_similar_targets_distinctive_changes_and_consistency(
    client: TestClient, sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["city2024"], "深化劳动教育")
    similar = client.get(f"/api/v1/compare/tasks/{me}/similar", params={"k": 2}).json()
    assert len(similar["matches"]) == 2
    best = similar["matches"][0]
    assert (best["entry"]["plan"], best["entry"]["title"]) == ("样例市2023", "加强劳动教育")
    assert {"text": "家务劳动清单", "shared": True} in best["segments"]
    assert client.get(f"/api/v1/compare/tasks/{me}/similar", params={"k": 0}).status_code == 400

    groups = client.get("/api/v1/compare/targets", params={"min_plans": 2}).json()["groups"]
    funding = next(g for g in groups if g["name"] == "教育经费与投入：投入（金额）")
    assert {t["plan"]: t["base_value"] for t in funding["targets"]} == {
        "样例市2023": 2_500_000_000,
        "样例市2024": 280_000_000,
    }

    special = client.get(f"/api/v1/compare/plans/{plans['county']}/distinctive").json()
    assert "打造茶山研学品牌" in [d["entry"]["title"] for d in special["entries"]]
    only = f"/api/v1/compare/plans/{plans['county']}/distinctive?plan_id={plans['city2023']}"
    assert [p["id"] for p in client.get(only).json()["among"]] == [plans["city2023"]]  # the filter holds

    changes = client.get(f"/api/v1/compare/plans/{plans['city2024']}/changes").json()
    assert changes["before"]["id"] == plans["city2023"]
    assert [e["title"] for e in changes["dropped"]] == ["推广校园足球"]
    assert [e["title"] for e in changes["new"]] == ["开展人工智能教育"]
    assert client.get(f"/api/v1/compare/plans/{plans['city2023']}/changes").status_code == 404

    findings = client.get(f"/api/v1/compare/plans/{plans['five_year']}/consistency").json()
    assert [f["check_name"] for f in findings["findings"]] == ["正文与指标表不一致", "目标低于基期"]


def test_correcting_topics_needs_office_staff_of_the_plans_organisation(
    client: TestClient,
    client_for: ClientFor,
    sessions: SessionFactory,
    settings: Settings,
    plans: dict[str, int],
) -> None:
    county_org = client.get("/api/v1/compare/matrix", params={"plan_id": plans["county"]}).json()["plans"][0]
    me = task_id(sessions, plans["county"], "打造茶山研学品牌")
    url = f"/api/v1/compare/tasks/{me}/topics"
    viewer = client_for(*account(sessions, settings, "kan", "viewer", county_org["org_id"]))
    refused = viewer.put(url, json={"topics": ["moral"]})
    assert refused.status_code == 403 and refused.headers["content-type"] == "application/problem+json"
    office = client_for(*account(sessions, settings, "ban", "office", county_org["org_id"]))
    assert office.put(url, json={"topics": ["cooking"]}).status_code == 422
    assert office.put(url, json={"topics": []}).status_code == 400
    done = office.put(url, json={"topics": ["moral", "labor"]})
    assert done.status_code == 200, done.text
    body = done.json()
    assert [t["id"] for t in body["topics"]] == ["moral", "labor"]
    assert body["topics"][0]["evidence"][0] == "人工校正：ban"
    assert body["corrections"][0]["username"] == "ban"
    assert client.get(url).json() == body
    stale = office.put(url, json={"topics": ["arts"], "expected": ["labor"]})
    assert stale.status_code == 409 and "已被 ban 改为" in stale.json()["detail"]
    moral = client.get("/api/v1/tasks", params={"topic": "moral"}).json()
    assert [t["title"] for t in moral["items"]] == ["打造茶山研学品牌"]
    assert client.get("/api/v1/tasks", params={"topic": "cooking"}).status_code == 400


def test_export_downloads_the_comparison_as_xlsx(client: TestClient, plans: dict[str, int]) -> None:
    response = client.get(
        "/api/v1/compare/export.xlsx",
        params={"plan_id": [plans["city2023"], plans["city2024"]], "after": plans["city2024"]},
    )
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml"
    )
    assert "attachment" in response.headers["content-disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["对标矩阵", "分主题任务", "目标对照", "自查问题", "年度变化"]
    assert book["对标矩阵"]["A4"].value == "样例市2023"
    changes = [row[0] for row in book["年度变化"].iter_rows(min_row=3, values_only=True)]
    assert changes.count("删去") == 1 and changes.count("新增") == 1


def test_key_projects_have_similar_entries_and_topics(
    client: TestClient, sessions: SessionFactory, plans: dict[str, int]
) -> None:
    projects = client.get("/api/v1/projects", params={"plan_id": plans["five_year"]}).json()["items"]
    kindergarten = next(p for p in projects if p["title"] == "样例市实验幼儿园分园建设项目")
    topics = client.get(f"/api/v1/compare/projects/{kindergarten['id']}/topics").json()
    assert topics["kind"] == "project" and topics["topics"][0]["id"] == "preschool"
    similar = client.get(
        f"/api/v1/compare/projects/{kindergarten['id']}/similar", params={"plan_id": plans["county"]}
    ).json()
    assert similar["entry"]["project_id"] == kindergarten["id"]
    assert {m["entry"]["plan_id"] for m in similar["matches"]} == {
        plans["county"]
    }  # only the plans asked for
    assert client.get("/api/v1/compare/projects/99999/similar").status_code == 404
    done = client.put(f"/api/v1/compare/projects/{kindergarten['id']}/topics", json={"topics": ["preschool"]})
    assert done.status_code == 200 and done.json()["topics"][0]["corrected"]


def test_task_rows_of_the_api_carry_their_topics(
    client: TestClient, sessions: SessionFactory, plans: dict[str, int]
) -> None:
    me = task_id(sessions, plans["county"], "打造茶山研学品牌")
    rows = client.get("/api/v1/tasks", params={"plan_id": plans["county"]}).json()["items"]
    (row,) = [r for r in rows if r["id"] == me]
    assert row["topics"][0] == {"id": "labor", "name": "劳动教育与实践", "corrected": False}
    assert all(r["topics"] for r in rows)
    done = client.put(f"/api/v1/compare/tasks/{me}/topics", json={"topics": ["moral", "labor"]})
    assert done.status_code == 200, done.text
    one = client.get(f"/api/v1/tasks/{me}").json()
    assert [(t["id"], t["corrected"]) for t in one["topics"]] == [("moral", True), ("labor", True)]
    (listed,) = client.get("/api/v1/tasks", params={"topic": "moral"}).json()["items"]
    assert listed["topics"] == one["topics"]
