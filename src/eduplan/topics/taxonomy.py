"""The topic taxonomy of municipal education planning (schema ``eduplan.topics/1``).

Ids and names follow the shared taxonomy (``../shared/corpus/topics.json``); the order is the order
of that file and breaks ties between equal scores.  What each topic covers is spelt out by its
lexicon in `eduplan.topics.lexicon`.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    """One topic: a stable id (used in Plan JSON) and its Chinese name."""

    id: str
    name: str


TOPICS: tuple[Topic, ...] = (
    Topic("party", "党的建设"),
    Topic("moral", "思政与德育"),
    Topic("teaching", "课程教学与质量"),
    Topic("pe", "体育"),
    Topic("arts", "美育"),
    Topic("labor", "劳动教育与实践"),
    Topic("health", "学生健康"),
    Topic("preschool", "学前教育"),
    Topic("compulsory", "义务教育"),
    Topic("highschool", "普通高中"),
    Topic("special", "特殊教育"),
    Topic("ethnic", "民族教育"),
    Topic("vocational", "职业教育"),
    Topic("higher", "高等教育"),
    Topic("lifelong", "终身教育"),
    Topic("private", "民办教育与校外培训"),
    Topic("teachers", "教师队伍"),
    Topic("reform", "评价与考试招生改革"),
    Topic("digital", "教育信息化"),
    Topic("governance", "依法治教与教育治理"),
    Topic("inspection", "教育督导"),
    Topic("resources", "经费与办学条件"),
    Topic("equity", "教育公平与学生资助"),
    Topic("safety", "校园安全稳定"),
    Topic("epidemic", "疫情防控与公共卫生"),
    Topic("international", "对外交流与合作"),
    Topic("language", "语言文字"),
    Topic("family", "家庭教育与协同育人"),
    Topic("overall", "总体要求与规划实施"),
)

TOPIC_IDS: tuple[str, ...] = tuple(t.id for t in TOPICS)
TOPIC_NAMES: dict[str, str] = {t.id: t.name for t in TOPICS}


def topic_name(topic_id: str) -> str:
    """The Chinese name of a topic id (the id itself when unknown)."""
    return TOPIC_NAMES.get(topic_id, topic_id)
