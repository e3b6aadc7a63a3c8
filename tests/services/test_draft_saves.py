"""Saving corrections to a draft (drafts.update_corrections): two saves at once both land, a form
made from an older state is refused with 已被他人修改 and saves nothing, an invalid correction saves
nothing, and confirm applies splits, target corrections and group words in one audited import."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.audit import AuditEntry
from eduplan.db.blobs import ImportDraft
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.services import blobs, drafts
from eduplan.services.accounts import Principal
from eduplan.services.draft_corrections import correction_revision
from eduplan.services.draft_structure import add_edit
from eduplan.services.errors import Invalid
from eduplan.services.registry import Conflict, plan_document

SYSTEM = Principal.system()
TEXT = """示例市教育局2025年教育工作要点
一、扩大优质教育资源供给
1.推进学校建设。新增义务教育学位3000个。年内完成改扩建学校5所。
责任单位：基础教育科、局属学校
2.推进集团化办学。新组建教育集团8个。
责任单位：基础教育科
"""


@pytest.fixture
def draft_id(settings: Settings) -> str:
    draft = drafts.create_draft(settings, SYSTEM, TEXT.encode(), "示例市2025年教育工作要点.txt")
    assert drafts.wait_parsed(settings, SYSTEM, draft.id, 10).state == "ready"
    return draft.id


def _saved(settings: Settings, draft_id: str) -> dict[str, Any]:
    with blobs.sessions_for(settings)() as session:  # the row every server process reads
        return dict(session.scalars(select(ImportDraft.corrections).where(ImportDraft.id == draft_id)).one())


def test_two_saves_at_once_both_land(settings: Settings, draft_id: str) -> None:
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def save(index: int, title: str) -> None:
        def change(_plan: Any, now: dict[str, Any]) -> dict[str, Any]:
            return now | {str(index): {"title": title}}

        try:
            start.wait()
            rev = correction_revision({}, index)
            drafts.update_corrections(settings, SYSTEM, draft_id, change, rev, index)
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=save, args=(k, f"标题{k}")) for k in (0, 1)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert failures == []
    assert _saved(settings, draft_id) == {"0": {"title": "标题0"}, "1": {"title": "标题1"}}


def test_a_form_made_before_another_save_is_refused_and_nothing_is_lost(
    settings: Settings, draft_id: str
) -> None:
    rev = correction_revision({}, 0)  # both windows opened the untouched draft
    drafts.update_corrections(
        settings, SYSTEM, draft_id, lambda _p, now: now | {"0": {"title": "甲"}}, rev, 0
    )
    with pytest.raises(Conflict, match="已被他人修改"):
        drafts.update_corrections(
            settings, SYSTEM, draft_id, lambda _p, now: now | {"0": {"title": "乙"}}, rev, 0
        )
    assert _saved(settings, draft_id) == {"0": {"title": "甲"}}
    # a split made meanwhile changes what every task form's index means: refused too
    drafts.update_corrections(
        settings, SYSTEM, draft_id, lambda p, now: add_edit(p, now, {"op": "split", "task": 1, "at": 1})
    )
    stale = correction_revision({"0": {"title": "甲"}}, 0)
    with pytest.raises(Conflict):
        drafts.update_corrections(settings, SYSTEM, draft_id, lambda _p, now: now, stale, 0)


def test_an_invalid_correction_saves_nothing(settings: Settings, draft_id: str) -> None:
    with pytest.raises(Invalid):
        drafts.save_corrections(settings, SYSTEM, draft_id, {"7": {"title": "没有这一项"}})
    assert _saved(settings, draft_id) == {}


def test_confirm_applies_structure_targets_and_group_words_and_audits_them(
    sessions: SessionFactory, settings: Settings, draft_id: str
) -> None:
    corrections: dict[str, Any] = {
        "structure": [{"op": "split", "task": 0, "at": 2}],
        "0": {"group_words": ["局属学校"], "units": ["基础教育科"]},
        "1": {
            "group_words": ["局属学校"],
            "units": ["基础教育科"],
            "targets": {
                "0": {
                    "subject": "改扩建学校",
                    "comparator": ">=",
                    "value": 6,
                    "value_max": None,
                    "unit": "所",
                    "parts": [],
                }
            },
        },
    }
    drafts.save_corrections(settings, SYSTEM, draft_id, corrections)
    result = drafts.confirm_draft(sessions, settings, SYSTEM, draft_id)
    document = plan_document(sessions, result.plan_id)
    items = document["chapters"][0]["items"]
    assert [t["number"] for t in items] == ["1", "1-2", "2"]
    assert items[1]["targets"][0]["subject"] == "改扩建学校" and items[1]["targets"][0]["value"] == 6
    assert items[0]["units"] == items[1]["units"] == ["基础教育科"]  # a split's halves share the units
    with sessions() as s:
        assert s.scalars(select(Unit).where(Unit.name == "局属学校")).first() is None  # never a unit
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "import_corrections")).one()
    fields = [c["field"] for c in entry.after["corrected"]]
    assert fields[0] == "split" and "group_words" in fields and "target0" in fields


def test_confirming_a_draft_does_not_read_the_document_again(
    sessions: SessionFactory, settings: Settings, draft_id: str
) -> None:
    """The import flow parses once (issue 18): what the background parse read — lines, plan, source
    positions — is what confirm stores.  With no time left to read anything, confirm still imports."""
    no_time = settings.model_copy(update={"parse_seconds": 0.000001})
    result = drafts.confirm_draft(sessions, no_time, SYSTEM, draft_id)
    assert result.created
    stored = plan_document(sessions, result.plan_id)
    assert [t["line"] for ch in stored["chapters"] for t in ch["items"]] == [3, 5]  # the parser's positions
