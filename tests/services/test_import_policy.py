"""Who may import where (issue 13, findings 1 and 10): one policy for the API, the pages and the
command line; every import, revision and organisation created in the audit log; two editions of a
new plan imported at once make one plan; a similar title on other work never silently becomes a
version of a registered plan, and the preview says which plan it revises and why."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select
from tests.conftest import as_bytes, revised_lines

from eduplan.db.audit import AuditEntry
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.plans import Plan
from eduplan.samples.plan_text import sample_lines
from eduplan.services import registry as reg
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden
from eduplan.services.parse import parse_lines
from eduplan.services.registry.orgs import ensure_org
from eduplan.services.registry.preview import preview_import


def _districts(sessions: SessionFactory) -> tuple[Principal, int]:
    """示例市 with its plan, and 甲区/乙区 below it; the office principal of 甲区."""
    reg.import_document(sessions, as_bytes(sample_lines()), "要点.txt")
    with sessions.begin() as s:
        jia = ensure_org(s, "示例市/甲区")
        ensure_org(s, "示例市/乙区")
        jia_id = jia.id
    return Principal(None, "jia-office", "office", jia_id, "示例市/甲区", None), jia_id


def _count(sessions: SessionFactory, kind: type) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(kind)) or 0


def _audit(sessions: SessionFactory) -> list[tuple[str, str, str]]:
    with sessions() as s:
        rows = s.execute(
            select(AuditEntry.username, AuditEntry.action, AuditEntry.entity).order_by(AuditEntry.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_office_staff_import_into_their_own_organisation_only(sessions: SessionFactory) -> None:
    jia, jia_id = _districts(sessions)
    plans, orgs = _count(sessions, Plan), _count(sessions, Organisation)
    revised = as_bytes(revised_lines())  # names 示例市, whose plan it would revise
    for elsewhere in ("示例市/乙区", "乙区", "示例市", "示例市/丁区", "新市"):
        with pytest.raises(Forbidden, match="只能导入到本机构"):
            reg.import_document(sessions, revised, "修订.txt", elsewhere, jia)
    assert (_count(sessions, Plan), _count(sessions, Organisation)) == (plans, orgs)
    own = reg.import_document(sessions, revised, "修订.txt", None, jia)
    assert own.status == "created" and own.org_id == jia_id and own.version == 1  # not the city's v2
    named = reg.import_document(sessions, as_bytes(sample_lines()[:30]), "节选.txt", "示例市/甲区", jia)
    assert named.org_id == jia_id
    reporter = Principal(None, "rep", "reporter", jia_id, "示例市/甲区", 1)
    with pytest.raises(Forbidden):
        reg.import_document(sessions, revised, "x.txt", None, reporter)
    assert ("jia-office", "import", "plan") in _audit(sessions)


def test_every_import_revision_and_new_organisation_is_audited(sessions: SessionFactory) -> None:
    first = reg.import_document(sessions, as_bytes(sample_lines()), "要点.txt")
    second = reg.import_document(sessions, as_bytes(revised_lines()), "要点修订.txt")
    again = reg.import_document(sessions, as_bytes(revised_lines()), "要点修订.txt")  # nothing new
    assert (first.status, second.status, again.status) == ("created", "revised", "duplicate")
    trail = _audit(sessions)
    created_orgs = [t for t in trail if t[1:] == ("create", "organisation")]
    assert len(created_orgs) == _count(sessions, Organisation) >= 1
    assert [t[1] for t in trail if t[2] == "plan"] == ["import", "revise"]
    with sessions() as s:
        revise = s.scalars(select(AuditEntry).where(AuditEntry.action == "revise")).one()
    assert revise.entity_id == first.plan_id and revise.before == {"version": 1, "title": first.title}
    assert revise.after is not None and revise.after["version"] == 2 and "标题相同" in revise.after["reason"]


def _retitled(extra: str) -> bytes:
    return as_bytes(
        [line.replace("2024年教育工作要点", f"2024年教育工作要点{extra}") for line in sample_lines()]
    )


def test_a_similar_title_on_other_work_is_a_new_plan_and_the_preview_says_why(
    sessions: SessionFactory,
) -> None:
    city = reg.import_document(sessions, as_bytes(sample_lines()), "要点.txt")
    other = parse_lines(_retitled("顺序号3").decode().splitlines())
    preview = preview_import(sessions, other, "示例市")
    assert preview.status == "new" and preview.near_id == city.plan_id
    assert "顺序号3" in preview.reason and "不是它的修订版" in preview.reason
    result = reg.import_document(sessions, _retitled("顺序号3"), "顺序号.txt")
    assert result.status == "created" and result.plan_id != city.plan_id
    assert result.reason == preview.reason
    edition = parse_lines(_retitled("（修订稿）").decode().splitlines())
    revision = preview_import(sessions, edition, "示例市")
    assert (revision.status, revision.plan_id, revision.version) == ("revision", city.plan_id, 2)
    assert "版本字样" in revision.reason
    assert reg.import_document(sessions, _retitled("（修订稿）"), "修订稿.txt").plan_id == city.plan_id


def test_two_editions_of_a_new_plan_imported_at_once_make_one_plan(sessions: SessionFactory) -> None:
    files = [as_bytes(sample_lines()), as_bytes(revised_lines())]
    results: list[object] = [None, None]
    start = threading.Barrier(2)

    def run(i: int) -> None:
        start.wait()
        try:
            results[i] = reg.import_document(sessions, files[i], f"{i}.txt")
        except Exception as exc:  # reported below with the other thread's result
            results[i] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(r, reg.ImportResult) for r in results), results
    done = [r for r in results if isinstance(r, reg.ImportResult)]
    assert len({r.plan_id for r in done}) == 1 and sorted(r.version for r in done) == [1, 2]
    assert _count(sessions, Plan) == 1
