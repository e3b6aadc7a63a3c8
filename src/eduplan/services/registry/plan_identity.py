"""Which registered plan an imported document revises, and why: the one decision the import, its
preview and the API result share (`decide`).

A document revises a registered plan only when both belong to the same organisation, kind, year or
period, and their titles are the same once edition words are set aside: a revised edition adds or
drops （修订稿）, 征求意见稿, 年度… and nothing else.  Any other difference — 学校体育 against 教育, or
words a revision would not add (…顺序号…) — names other work: the document becomes a new plan, and
the decision says which registered plan it resembled and which words kept them apart, so that the
preview (and the API's result) tell staff rather than quietly filing one plan under another.

Limits: a genuine rename of a plan (a new title, not an edition word) becomes a new plan; staff see
the near plan named in the preview and can correct the title before confirming.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from eduplan import domain
from eduplan.db.plans import Plan
from eduplan.services.registry.matching import similarity

NEAR_RATIO = 0.8
"""Titles at least this alike are worth naming in the decision when they are not the same plan."""
EDITION_WORDS = (
    "征求意见稿",
    "修订稿",
    "修订版",
    "送审稿",
    "讨论稿",
    "报批稿",
    "印发稿",
    "定稿",
    "草案",
    "修订",
    "试行",
    "年度",
    "度",
    "稿",
)
"""Words a revised edition of the same plan may add or drop (longest first)."""
_NOISE = re.compile(r"[\s（）()【】\[\]〔〕《》“”\"'、，,。.:：·\-—_]+")

DecisionKind = Literal["new", "same_title", "edition", "near"]


@dataclass(frozen=True)
class PlanDecision:
    """The registered plan a document continues (`plan`, None: a new plan), how it was decided
    (`kind`) and the sentence that says so (`reason`); `near` is the closest plan that was not
    taken (a similar title on other work)."""

    plan: Plan | None
    kind: DecisionKind
    reason: str
    near: Plan | None = None


def _extra_words(a: str, b: str) -> tuple[str, str]:
    """What lies between the common start and the common end of two titles, on each side."""
    start = len(os.path.commonprefix([a, b]))  # noqa: RUF071 (characters, not paths)
    end = len(os.path.commonprefix([a[start:][::-1], b[start:][::-1]]))  # noqa: RUF071
    return a[start : len(a) - end], b[start : len(b) - end]


def _without_editions(words: str) -> str:
    words = _NOISE.sub("", words)
    for edition in EDITION_WORDS:
        words = words.replace(edition, "")
    return words


def title_difference(registered: str, incoming: str) -> str:
    """The words (other than edition words and punctuation) that set two titles apart; empty when
    they name the same plan."""
    a, b = _NOISE.sub("", registered), _NOISE.sub("", incoming)
    rest_a, rest_b = _extra_words(a, b)
    left, right = _without_editions(rest_a), _without_editions(rest_b)
    return "／".join(w for w in (left, right) if w)


def different_subjects(a: str, b: str) -> bool:
    """Whether two titles name different work (anything but edition words differs)."""
    return bool(title_difference(a, b))


def decide(session: Session, org_id: int | None, plan: domain.Plan) -> PlanDecision:
    """The registered plan of organisation `org_id` that `plan` revises, if any, and why."""
    if org_id is None:
        return PlanDecision(None, "new", "该机构尚未登记，将新建机构下的第一份计划")
    period = plan.period or (None, None)
    candidates = session.scalars(
        select(Plan)
        .where(
            Plan.org_id == org_id,
            Plan.kind == plan.kind,
            Plan.year.is_(None) if plan.year is None else Plan.year == plan.year,
            Plan.period_start.is_(None) if period[0] is None else Plan.period_start == period[0],
            Plan.period_end.is_(None) if period[1] is None else Plan.period_end == period[1],
        )
        .order_by(Plan.id)
    ).all()
    same = [c for c in candidates if not different_subjects(c.title, plan.title)]
    if same:
        exact = [c for c in same if c.title == plan.title]
        chosen = exact[0] if exact else max(same, key=lambda c: (similarity(c.title, plan.title), -c.id))
        if exact:
            return PlanDecision(
                chosen, "same_title", f"与已登记的《{chosen.title}》同机构、同类别、同年份，标题相同"
            )
        return PlanDecision(
            chosen,
            "edition",
            f"与已登记的《{chosen.title}》同机构、同类别、同年份，标题只差版本字样（如修订稿）",
        )
    scored = [(similarity(c.title, plan.title, NEAR_RATIO), c.id, c) for c in candidates]
    near = max(scored, key=lambda s: (s[0], s[1]), default=None)
    if near is not None and near[0] >= NEAR_RATIO:
        other = near[2]
        words = title_difference(other.title, plan.title)
        return PlanDecision(
            None,
            "near",
            f"标题与已登记的《{other.title}》相近，但相差“{words}”，不是它的修订版，将新建计划；"
            "如确为它的新版本，请把文件标题改为与之相同后再导入",
            other,
        )
    return PlanDecision(None, "new", "登记册中本机构没有同类别、同年份、同标题的计划，将新建计划")
