"""``POST /api/v1/imports`` follows the import policy (issue 13, finding 1): a district's office
staff cannot write into a sibling district or the city, create organisations or revise another
organisation's plan; what they may import is audited.  Import timestamps carry their zone on both
databases (finding 10)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from tests.conftest import as_bytes, revised_lines

from eduplan.config import Settings
from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan
from eduplan.services import accounts
from eduplan.services.accounts import Principal, UserCreate
from eduplan.services.registry.orgs import ensure_org

from .conftest import ClientFor, Upload
from .test_api import assert_problem

PASSWORD = "Qz7!mKv2#Lp9-wt"


def _jia_office(sessions: SessionFactory, settings: Settings) -> None:
    with sessions.begin() as s:
        jia = ensure_org(s, "示例市/甲区").id
        ensure_org(s, "示例市/乙区")
    new = UserCreate("jia-office", "office", "甲区办公室", jia, None, PASSWORD)
    accounts.create_user(sessions, settings, Principal.system(), new)


def _counts(sessions: SessionFactory) -> tuple[int, int]:
    with sessions() as s:
        plans = s.scalar(select(func.count()).select_from(Plan)) or 0
        return plans, s.scalar(select(func.count()).select_from(Organisation)) or 0


def test_a_district_office_cannot_import_into_another_organisation(
    upload: Upload, client_for: ClientFor, sessions: SessionFactory, settings: Settings, sample_bytes: bytes
) -> None:
    city = upload(sample_bytes).json()  # the administrator registers the city's plan
    _jia_office(sessions, settings)
    jia = client_for("jia-office", PASSWORD)
    before = _counts(sessions)
    revised = as_bytes(revised_lines())

    def post(org: str | None) -> object:
        form = {"org": org} if org else {}
        return jia.post("/api/v1/imports", files={"file": ("x.txt", revised, "text/plain")}, data=form)

    for org in ("示例市/乙区", "示例市", "江苏省/示例市", "示例市/新区", "某省/某市"):
        assert "只能导入到本机构" in assert_problem(post(org), 403)["detail"], org  # type: ignore[arg-type]
    assert _counts(sessions) == before
    own = post(None)
    assert own.status_code == 201, own.text  # type: ignore[attr-defined]
    body = own.json()  # type: ignore[attr-defined]
    assert body["status"] == "created" and body["plan_id"] != city["plan_id"] and body["reason"]
    assert jia.get(f"/api/v1/plans/{city['plan_id']}").json()["latest_version"] == 1  # not revised
    with sessions() as s:
        trail = s.execute(select(AuditEntry.username, AuditEntry.action, AuditEntry.entity_id)).all()
    assert ("jia-office", "import", body["plan_id"]) in [tuple(t) for t in trail]


def test_import_timestamps_carry_their_zone(upload: Upload, client: TestClient, sample_bytes: bytes) -> None:
    plan = upload(sample_bytes).json()
    versions = client.get(f"/api/v1/plans/{plan['plan_id']}").json()["versions"]
    stamp = versions[0]["imported_at"]
    assert stamp.endswith("Z"), stamp  # UTC on SQLite (stored naive) and PostgreSQL alike
