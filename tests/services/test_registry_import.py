"""Importing into the registry: new plans, duplicates, revised editions, atomicity, organisations."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from eduplan.db import Base
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation, Unit
from eduplan.db.tasks import Task
from eduplan.plan_json import plan_to_dict
from eduplan.samples.plan_text import sample_lines
from eduplan.services import registry as reg
from eduplan.services.accounts import Principal
from eduplan.services.parse import parse_lines
from eduplan.services.registry import importing, plan_identity


def counts(sessions: SessionFactory) -> dict[str, int]:
    """Rows per table: the registry's state, for before/after comparisons."""
    with sessions() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0 for t in Base.metadata.sorted_tables
        }


def test_import_creates_a_plan_that_reads_back_as_parsed(
    sessions: SessionFactory, sample_bytes: bytes
) -> None:
    result = reg.import_document(sessions, sample_bytes, "示例.txt")
    assert result.status == "created" and result.version == 1
    assert result.diff is not None and len(result.diff.added) == 11
    assert reg.plan_document(sessions, result.plan_id) == plan_to_dict(parse_lines(sample_lines()))


def test_importing_the_same_bytes_twice_creates_nothing(
    sessions: SessionFactory, sample_bytes: bytes
) -> None:
    first = reg.import_document(sessions, sample_bytes, "示例.txt")
    before = counts(sessions)
    again = reg.import_document(sessions, sample_bytes, "另一个名字.txt")
    assert again.status == "duplicate" and not again.created
    assert (again.plan_id, again.version) == (first.plan_id, first.version)
    assert counts(sessions) == before


def test_same_content_in_other_bytes_creates_nothing(sessions: SessionFactory, sample_bytes: bytes) -> None:
    reg.import_document(sessions, sample_bytes, "示例.txt")
    before = counts(sessions)
    crlf = sample_bytes.replace(b"\n", b"\r\n")
    assert reg.import_document(sessions, crlf, "示例.txt").status == "unchanged"
    assert counts(sessions) == before


def test_revised_edition_becomes_a_new_version_with_its_changes(
    sessions: SessionFactory, sample_bytes: bytes, revised_bytes: bytes
) -> None:
    first = reg.import_document(sessions, sample_bytes, "v1.txt")
    second = reg.import_document(sessions, revised_bytes, "v2.txt")
    assert second.status == "revised"
    assert (second.plan_id, second.version) == (first.plan_id, 2)
    diff = second.diff
    assert diff is not None
    assert [t.number for t in diff.changed] == ["3"]
    assert [t.number for t in diff.added] == ["11"]
    assert [t.number for t in diff.removed] == ["11"]
    assert diff.unchanged == 9
    assert reg.version_diff(sessions, first.plan_id, 2) == diff
    with sessions() as s:
        tracked = {(t.version.number, t.number): t.tracked_id for t in s.scalars(select(Task)).all()}
    assert tracked[(1, "3")] == tracked[(2, "3")]  # a reworded task keeps its 台账 entry
    assert tracked[(1, "1")] == tracked[(2, "1")]
    assert tracked[(1, "11")] != tracked[(2, "11")]
    assert reg.plan_document(sessions, first.plan_id, 1) == plan_to_dict(parse_lines(sample_lines()))
    assert reg.get_plan(sessions, first.plan_id).latest_version == 2


def test_a_parse_failure_leaves_the_registry_unchanged(sessions: SessionFactory, sample_bytes: bytes) -> None:
    reg.import_document(sessions, sample_bytes, "示例.txt")
    before = counts(sessions)
    with pytest.raises(reg.ImportRejected) as caught:
        reg.import_document(sessions, "这不是一份规划。\n没有编号。\n".encode(), "x.txt")
    assert caught.value.reason == "unparsable"
    with pytest.raises(reg.ImportRejected) as caught:
        reg.import_document(sessions, b"PK\x03\x04broken", "x.docx")
    assert caught.value.reason in ("unreadable", "unsupported")
    assert counts(sessions) == before


def test_a_crash_half_way_leaves_the_registry_unchanged(
    sessions: SessionFactory, sample_bytes: bytes, revised_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    reg.import_document(sessions, sample_bytes, "v1.txt")
    before = counts(sessions)
    real = importing.write_version

    def crash(*args: object, **kwargs: object) -> None:
        real(*args, **kwargs)  # type: ignore[arg-type]
        raise RuntimeError("power cut")

    monkeypatch.setattr(importing, "write_version", crash)
    with pytest.raises(RuntimeError):
        reg.import_document(sessions, revised_bytes, "v2.txt")
    assert counts(sessions) == before


def test_organisation_is_inferred_with_its_province(sessions: SessionFactory, sample_bytes: bytes) -> None:
    text = sample_bytes.decode().replace("示例市", "常州市").encode()
    result = reg.import_document(sessions, text, "常州.txt")
    with sessions() as s:
        org = s.get(Organisation, result.org_id)
        assert org is not None and org.path == "江苏省/常州市" and org.level == "city"
        assert org.parent is not None and org.parent.level == "province"


def test_explicit_org_path_builds_the_tree(sessions: SessionFactory, sample_bytes: bytes) -> None:
    result = reg.import_document(sessions, sample_bytes, "示例.txt", org="某某省/示例市/东区")
    org = reg.get_org(sessions, result.org_id)
    assert (org.name, org.level, org.path) == ("东区", "county", "某某省/示例市/东区")


def test_units_are_created_once_with_aliases(sessions: SessionFactory, sample_bytes: bytes) -> None:
    reg.import_document(sessions, sample_bytes, "示例.txt")
    with sessions() as s:
        names = s.scalars(select(Unit.name)).all()
    assert len(names) == len(set(names))
    assert "基础教育科" in names
    page = reg.list_tasks(sessions, reg.TaskFilter(unit="教育科学研究院"))
    assert [t.number for t in page.items] == ["5"]  # 市教育科学研究院, found without its 市


def test_folder_import_goes_on_after_a_bad_file(
    sessions: SessionFactory, tmp_path: Path, sample_bytes: bytes, revised_bytes: bytes
) -> None:
    folder = tmp_path / "plans"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.txt").write_bytes(sample_bytes)
    (folder / "b.txt").write_text("无法识别的内容\n", encoding="utf-8")
    (folder / "notes.png").write_bytes(b"\x89PNG")
    (folder / "sub" / "c.txt").write_bytes(revised_bytes)
    seen: list[str] = []
    outcomes = reg.import_paths(sessions, [folder], progress=lambda o: seen.append(o.path))
    assert [Path(o.path).name for o in outcomes] == ["a.txt", "b.txt", "c.txt"]
    assert [o.ok for o in outcomes] == [True, False, True]
    assert outcomes[1].error
    assert outcomes[2].result is not None and outcomes[2].result.status == "revised"
    assert len(seen) == 3


def test_a_plan_on_another_subject_is_a_new_plan_not_a_new_version(
    sessions: SessionFactory, sample_bytes: bytes
) -> None:
    first = reg.import_document(sessions, sample_bytes, "要点.txt")
    other = sample_bytes.decode("utf-8").replace("2024年教育工作要点", "2024年学校体育工作要点")
    second = reg.import_document(sessions, other.encode("utf-8"), "体育要点.txt")
    assert second.status == "created" and second.plan_id != first.plan_id and second.version == 1
    assert len(reg.plan_document(sessions, first.plan_id)["chapters"]) > 0  # the first plan keeps its tasks


@pytest.mark.parametrize(
    ("a", "b", "different"),
    [
        ("示例市教育局2026年学校体育工作要点", "示例市教育局2026年教育工作要点", True),
        ("示例市教育局2024年教育工作要点", "示例市教育局2024年教育工作要点（修订稿）", False),
        ("示例市教育局2024年度教育工作要点", "示例市教育局2024年教育工作要点", False),
        ("示例市2024年教育工作要点", "示例市2024年教育工作要点", False),
    ],
)
def test_titles_naming_different_work(a: str, b: str, different: bool) -> None:
    assert plan_identity.different_subjects(a, b) is different


SPORTS_PLAN = (
    "示例市2026年学校体育工作要点\n一、总体要求\n1.开展阳光体育活动。新建足球场30所。\n"
    "责任单位：体卫艺科\n2.加强体育教师队伍建设。\n"
).encode()
"""A title with the place but no 教育局 issuer line: the parser finds no place in it."""


def test_a_document_naming_no_place_goes_to_the_registered_organisation_its_title_starts_with(
    sessions: SessionFactory, sample_bytes: bytes
) -> None:
    assert parse_lines(SPORTS_PLAN.decode().splitlines()).place is None
    with pytest.raises(reg.ImportRejected, match="无法从文件中识别发文单位所在地区") as refused:
        reg.import_document(sessions, SPORTS_PLAN, "体育.txt")  # 示例市 not registered yet: ask
    assert refused.value.reason == "no_organisation"
    first = reg.import_document(sessions, sample_bytes, "示例.txt")
    before = counts(sessions)["organisations"]
    sports = reg.import_document(sessions, SPORTS_PLAN, "体育.txt")
    assert sports.status == "created" and sports.org_id == first.org_id
    assert sports.plan_id != first.plan_id and counts(sessions)["organisations"] == before


def test_the_most_specific_organisation_named_wins_and_an_ambiguous_one_gives_none(
    sessions: SessionFactory,
) -> None:
    from eduplan import domain
    from eduplan.services.registry.inference import infer_place
    from eduplan.services.registry.orgs import ensure_org

    with sessions.begin() as s:
        for path in ("某某省/示例市", "某某省/示例市/东区", "甲省/样例市", "乙省/样例市"):
            ensure_org(s, path)
    with sessions() as s:
        title = "2026年学校体育工作要点"
        assert infer_place(s, domain.Plan("示例市" + title)) == "某某省/示例市"
        assert infer_place(s, domain.Plan(title, issuer=["示例市东区教育局"])) == "某某省/示例市/东区"
        assert infer_place(s, domain.Plan("关于示例市" + title)) is None  # not at the start
        assert infer_place(s, domain.Plan("示例" + title)) is None  # only full names
        assert infer_place(s, domain.Plan("样例市" + title)) is None  # two 样例市: ask


def test_an_ofd_imports_as_its_text_and_keeps_its_media_type(
    sessions: SessionFactory, tmp_path: Path
) -> None:
    from eduplan.samples.ofd_render import render_sample_ofd

    data = render_sample_ofd(tmp_path / "要点.ofd").read_bytes()
    result = reg.import_document(sessions, data, "要点.ofd")
    assert result.status == "created"
    assert reg.plan_document(sessions, result.plan_id) == plan_to_dict(parse_lines(sample_lines()))
    source = reg.source_file(sessions, Principal.system(), result.plan_id)
    assert source.media_type == "application/ofd" and source.content == data
