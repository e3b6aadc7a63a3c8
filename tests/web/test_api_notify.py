"""The API of notices (issue 17): e-mail kept on POST /users and set by PUT /users/{id}/email,
robots and webhook subscriptions for administrators only (secrets never listed, a subscription's
shown once), the delivery log, and the calendar feed fetched without a login until revoked."""

from __future__ import annotations

from fastapi.testclient import TestClient
from icalendar import Calendar
from tests.web.conftest import ClientFor

from eduplan.samples.loop import World

SECRET = "SEC" + "a1" * 30


def test_email_is_kept_when_an_account_is_made_and_can_be_changed(
    client: TestClient, client_for: ClientFor, world: World
) -> None:
    made = client.post(
        "/api/v1/users",
        json={"username": "wang", "role": "viewer", "org_id": world.org_id, "email": "wang@example.gov.cn"},
    )
    assert made.status_code == 201 and made.json()["user"]["email"] == "wang@example.gov.cn"
    user_id = made.json()["user"]["id"]
    changed = client.put(f"/api/v1/users/{user_id}/email", json={"email": "wang2@example.gov.cn"})
    assert changed.status_code == 200 and changed.json()["email"] == "wang2@example.gov.cn"
    bad = client.put(f"/api/v1/users/{user_id}/email", json={"email": "wang at example"})
    assert bad.status_code == 422 and "邮箱地址格式不正确" in bad.json()["detail"]
    jichu = client_for("jichu", world.password)
    own = jichu.put(f"/api/v1/users/{world.users['jichu']}/email", json={"email": "jichu@example.gov.cn"})
    assert own.status_code == 200 and own.json()["email"] == "jichu@example.gov.cn"
    assert jichu.put(f"/api/v1/users/{user_id}/email", json={"email": "x@example.gov.cn"}).status_code == 404
    listed = {u["username"]: u["email"] for u in client.get("/api/v1/users").json()}
    assert listed["wang"] == "wang2@example.gov.cn" and listed["jichu"] == "jichu@example.gov.cn"


def test_robots_are_for_administrators_and_never_show_their_secret(
    client: TestClient, client_for: ClientFor, world: World
) -> None:
    body = {
        "org_id": world.org_id,
        "kind": "dingtalk",
        "name": "市局督查群",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef",
        "secret": SECRET,
    }
    office = client_for("office", world.password)
    assert office.post("/api/v1/robots", json=body).status_code == 403
    assert office.get("/api/v1/robots").status_code == 403
    unsigned = client.post("/api/v1/robots", json={**body, "secret": None})
    assert unsigned.status_code == 422 and "加签" in unsigned.json()["detail"]
    made = client.post("/api/v1/robots", json=body)
    assert made.status_code == 201 and made.json()["signed"] is True
    listing = client.get("/api/v1/robots").text
    assert SECRET not in listing and "0123456789abcdef" not in listing and "…cdef" in listing
    robot_id = made.json()["id"]
    renamed = client.put(f"/api/v1/robots/{robot_id}", json={**body, "name": "改名", "secret": None})
    assert renamed.status_code == 200 and renamed.json()["signed"] and renamed.json()["name"] == "改名"
    assert client.delete(f"/api/v1/robots/{robot_id}").status_code == 204
    assert client.get("/api/v1/robots").json() == []


def test_webhook_subscriptions_show_their_secret_once(client: TestClient, world: World) -> None:
    events = {e["event"] for e in client.get("/api/v1/webhooks/events").json()}
    assert {
        "task.assigned",
        "report.submitted",
        "report.accepted",
        "urge.issued",
        "deadline.passed",
    } <= events
    made = client.post(
        "/api/v1/webhooks",
        json={"name": "OA 统一待办", "url": "https://oa.example.gov.cn/eduplan", "events": ["urge.issued"]},
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    assert secret and secret not in client.get("/api/v1/webhooks").text
    sub = made.json()["subscription"]
    assert sub["event_labels"] == ["催办/督办下达"] and sub["org_name"] is None
    change = {
        "name": "OA",
        "url": sub["url"],
        "events": ["urge.issued", "report.accepted"],
        "renew_secret": True,
    }
    renewed = client.put(f"/api/v1/webhooks/{sub['id']}", json=change)
    assert renewed.status_code == 200 and renewed.json()["secret"] not in (None, secret)
    kept = client.put(f"/api/v1/webhooks/{sub['id']}", json={**change, "renew_secret": False})
    assert kept.json()["secret"] is None
    wrong = client.post("/api/v1/webhooks", json={"name": "x", "url": "ftp://x", "events": ["urge.issued"]})
    assert wrong.status_code == 422


def test_the_delivery_log_is_for_the_office(client: TestClient, client_for: ClientFor, world: World) -> None:
    office = client_for("office", world.password)
    log = office.get("/api/v1/deliveries")
    assert log.status_code == 200 and log.json()["rows"] == [] and log.json()["counts"]["failed"] == 0
    assert office.get("/api/v1/deliveries?state=lost").status_code == 422
    assert client_for("jichu", world.password).get("/api/v1/deliveries").status_code == 403
    assert office.post("/api/v1/deliveries/999/retry").status_code == 404


def test_the_calendar_feed_needs_no_login_and_dies_when_revoked(
    client_for: ClientFor, anon: TestClient, world: World
) -> None:
    jichu = client_for("jichu", world.password)
    made = jichu.post("/api/v1/auth/calendar")
    assert made.status_code == 201
    path = made.json()["url"].removeprefix("http://127.0.0.1:8000")
    assert path.startswith("/calendar/cal_") and path.endswith(".ics")
    feed = anon.get(path)
    assert feed.status_code == 200 and feed.headers["content-type"].startswith("text/calendar")
    assert "no-store" in feed.headers["cache-control"]
    assert Calendar.from_ical(feed.content).get("x-wr-calname") == "eduplan · jichu"
    assert jichu.delete("/api/v1/auth/calendar").status_code == 204
    gone = anon.get(path)
    assert gone.status_code == 404 and "撤销" in gone.text
    assert anon.get("/calendar/cal_nothing.ics").status_code == 404
