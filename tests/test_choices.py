"""The vocabulary module (`eduplan.choices`): every code has its Chinese word, and a unit named with
its organisation never says the place twice (issue 15: 示例市市教育科学研究院 on a chart)."""

from __future__ import annotations

import pytest

from eduplan import choices


@pytest.mark.parametrize(
    ("org", "unit", "label"),
    [
        ("示例市", "市教育科学研究院", "示例市教育科学研究院"),
        ("示例市", "示例市实验小学", "示例市实验小学"),
        ("甲区", "基础教育科", "甲区基础教育科"),
        ("甲区", "区教师进修学校", "甲区教师进修学校"),
        ("丙县", "市教育局", "丙县市教育局"),  # only its own level word is taken as the place
        ("", "基础教育科", "基础教育科"),
    ],
)
def test_a_unit_with_its_organisation_says_the_place_once(org: str, unit: str, label: str) -> None:
    assert choices.unit_with_org(org, unit) == label


def test_target_amounts_use_signs_and_words() -> None:
    assert choices.amount_text(">=", 85, None, "%") == "≥85%"
    assert choices.amount_text("between", 2, 4, "期") == "介于2–4期"
    assert choices.amount_text("=", 3200, None, "个") == "3200个"
    assert choices.amount_text("<=", 12.5, None, "%") == "≤12.5%"


def test_every_state_a_page_shows_has_a_word() -> None:
    for table in (
        choices.REPORT_STATE_LABELS,
        choices.PROGRESS_LABELS,
        choices.UNIT_ROLE_LABELS,
        choices.CYCLE_LABELS,
        choices.URGE_STATE_LABELS,
        choices.RECTIFICATION_STATE_LABELS,
        choices.PLAN_KIND_LABELS,
    ):
        assert all(label and not label.isascii() for label in table.values())
    assert choices.label(choices.UNIT_ROLE_LABELS, "responsible") == "责任"
    assert choices.label(choices.UNIT_ROLE_LABELS, "unknown") == "unknown"
    assert choices.field_label("unit_id") == "单位"
