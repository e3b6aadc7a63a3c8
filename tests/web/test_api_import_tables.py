"""POST /api/v1/imports with a task table and with a notice bundling several plans (`plan`)."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from eduplan.samples import task_table
from eduplan.samples.bundle_text import TITLES, bundle_lines

BUNDLE = "\n".join(bundle_lines()).encode()


def _post(client: TestClient, data: bytes, name: str, **form: str):  # type: ignore[no-untyped-def]
    return client.post("/api/v1/imports", files={"file": (name, data, "application/octet-stream")}, data=form)


def test_a_task_table_is_imported(client: TestClient, tmp_path: Path) -> None:
    data = task_table.write_xlsx(tmp_path / "分工.xlsx").read_bytes()
    created = _post(client, data, "分工.xlsx")
    assert created.status_code == 201, created.text
    assert created.json()["title"] == task_table.TITLE
    document = client.get(created.headers["location"]).json()
    assert document["chapters"][0]["items"][0]["lead_units"] == ["组织科"]


def test_each_plan_of_a_bundle_is_imported_once(client: TestClient) -> None:
    first = _post(client, BUNDLE, "三个方案.txt")
    third = _post(client, BUNDLE, "三个方案.txt", plan="2")
    assert (first.status_code, third.status_code) == (201, 201), third.text
    assert (first.json()["title"], third.json()["title"]) == (TITLES[0], TITLES[2])
    again = _post(client, BUNDLE, "三个方案.txt", plan="2")
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert _post(client, BUNDLE, "三个方案.txt", plan="9").status_code == 422
    assert _post(client, BUNDLE, "三个方案.txt", plan="x").status_code == 400
