"""Year-end evaluation (年终考核) of the units of a plan: a score that explains itself.

For each unit assigned to the plan's tasks, from its reports (`facts`):

- completion (完成度): the mean of the percent in its latest report on each of its tasks;
- timeliness (及时性): on-time reports plus half the late ones, over all its due report slots;
- target achievement (目标达成): the mean achievement of the targets it reported actual values for
  (`rules.achievement`); without any, completion stands in for it;
- supervision penalty (督办扣分): points per red urge (督办) addressed to the unit or to a whole task of
  it, and per rectification (整改) not signed off by its deadline, up to a cap.

computed = Σ weight × component (weights normalised to sum 1) − penalty, within 0–100.  The score
that ranks is the reviewer's (复核) when one was given, else the computed one; the unit's
self-assessment (自评) is shown beside.  Every figure is listed with its arithmetic in
`explanation`.  The rubric is the plan's (`set_rubric`), or the defaults of `Rubric`.  Units are ranked like
with like (`levels.tier`): city 科室 among themselves, 直属单位, districts' and schools' units each
among their own; a unit owes the reports due from the day its organisation received the task.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.evaluation import EvaluationRubric, UnitAssessment
from eduplan.db.supervision import Rectification, Urge
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record, snapshot
from eduplan.services.clock import local_date, utcnow
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.loop.locking import check_version, stale
from eduplan.services.tracking import levels, rules
from eduplan.services.tracking.evaluation_ranks import UNRANKED_NOTE, explain, rank
from eduplan.services.tracking.facts import PlanFacts, load_facts
from eduplan.services.tracking.plans import managed_plan
from eduplan.services.tracking.schedule import due_cycles, due_end

RUBRIC_FIELDS = (
    "completion_weight",
    "timeliness_weight",
    "target_weight",
    "urge_penalty",
    "rectification_penalty",
    "max_penalty",
)


@dataclass
class Rubric:
    """Weights (any scale, normalised) and penalty points."""

    completion_weight: float = 40
    timeliness_weight: float = 30
    target_weight: float = 30
    urge_penalty: float = 2
    rectification_penalty: float = 3
    max_penalty: float = 20
    version: int | None = None


@dataclass
class UnitScore:
    """One unit's evaluation, rank first."""

    rank: int | None
    """Shared by equal scores; None: nothing to score (`evaluation_ranks.rank`)."""
    unit_id: int
    unit_name: str
    score: float
    computed: float
    completion: float
    timeliness: float
    target: float | None
    penalty: float
    self_score: float | None
    self_note: str | None
    reviewer_score: float | None
    reviewer_note: str | None
    assessment_version: int | None
    explanation: list[str] = field(default_factory=list)
    tier: str = ""
    """The group the unit is ranked in (`levels.tier`): 市局科室, 直属单位, 县区 or 学校."""


@dataclass
class Evaluation:
    plan_id: int
    today: date
    rubric: Rubric
    units: list[UnitScore]
    unranked_note: str = UNRANKED_NOTE
    """Why a unit without a rank has none."""


def _rubric(session: Session, plan_id: int) -> Rubric:
    row = session.scalars(select(EvaluationRubric).where(EvaluationRubric.plan_id == plan_id)).first()
    if row is None:
        return Rubric()
    return Rubric(**{f: getattr(row, f) for f in RUBRIC_FIELDS}, version=row.version)


def rubric_problems(values: dict[str, float]) -> dict[str, str]:
    """A rubric's values checked (field → message; empty when fine): each a number from 0 to 100,
    the three weights not all 0.  The one home of this rule for the API, the page and any caller."""
    problems = {
        f: "请输入 0 到 100 之间的数字"
        for f in RUBRIC_FIELDS
        if not (math.isfinite(values.get(f, 0.0)) and 0 <= values.get(f, 0.0) <= 100)
    }
    if not problems and not sum(values[f] for f in RUBRIC_FIELDS[:3]):
        problems["completion_weight"] = "三项权重不能全为 0"
    return problems


def set_rubric(
    sessions: SessionFactory, actor: Principal, plan_id: int, given: Rubric, version: int | None
) -> Rubric:
    """Set a plan's rubric (office staff); a change needs the version read."""
    actor.require_manager()
    values = {f: float(getattr(given, f)) for f in RUBRIC_FIELDS}
    problems = rubric_problems(values)
    if problems:
        raise Invalid(next(iter(problems.values())), fields=problems)
    try:
        with sessions.begin() as session:
            plan = managed_plan(session, actor, plan_id)
            row = session.scalars(select(EvaluationRubric).where(EvaluationRubric.plan_id == plan.id)).first()
            before = {"version": row.version, **{f: getattr(row, f) for f in RUBRIC_FIELDS}} if row else None
            if row is None:
                row = EvaluationRubric(plan_id=plan.id)
                session.add(row)
            elif before is not None:
                check_version(session, "rubric", row.id, version, before)
            for f, value in values.items():
                setattr(row, f, value)
            row.updated_by, row.updated_at = actor.username, utcnow()
            session.flush()
            after = {"version": row.version, **values}
            record(session, actor, "rubric", "rubric", row.id, None, plan.org_id, before, after)
            return _rubric(session, plan.id)
    except StaleDataError:
        with sessions() as session:
            row = session.scalars(select(EvaluationRubric).where(EvaluationRubric.plan_id == plan_id)).one()
            current = {"version": row.version, **{f: getattr(row, f) for f in RUBRIC_FIELDS}}
            raise stale(session, "rubric", row.id, version, current) from None


def _snapshot(row: UnitAssessment) -> dict[str, Any]:
    return snapshot(row, "version", "self_score", "self_note", "reviewer_score", "reviewer_note")


def _assessment(
    sessions: SessionFactory,
    actor: Principal,
    plan_id: int,
    unit_id: int,
    version: int | None,
    apply: Any,
    action: str,
) -> None:
    try:
        with sessions.begin() as session:
            row = session.scalars(
                select(UnitAssessment).where(
                    UnitAssessment.plan_id == plan_id, UnitAssessment.unit_id == unit_id
                )
            ).first()
            before = _snapshot(row) if row else None
            if row is None:
                if version is not None:
                    raise Invalid("该单位尚无考核记录，不能按版本修改")
                row = UnitAssessment(plan_id=plan_id, unit_id=unit_id)
                session.add(row)
            else:
                check_version(session, "assessment", row.id, version, _snapshot(row))
            apply(row)
            row.updated_by, row.updated_at = actor.username, utcnow()
            session.flush()
            record(session, actor, action, "assessment", row.id, None, actor.org_id, before, _snapshot(row))
    except StaleDataError:
        with sessions() as session:
            row = session.scalars(
                select(UnitAssessment).where(
                    UnitAssessment.plan_id == plan_id, UnitAssessment.unit_id == unit_id
                )
            ).one()
            raise stale(session, "assessment", row.id, version, {"version": row.version}) from None


def _score(value: float) -> float:
    if not 0 <= value <= 100:
        raise Invalid("请输入 0 到 100 之间的分数")
    return round(float(value), 1)


def self_assess(
    sessions: SessionFactory, actor: Principal, plan_id: int, score: float, note: str, version: int | None
) -> None:
    """A unit's self-assessment (自评), by its reporter."""
    if actor.role != "reporter" or actor.unit_id is None:
        raise Forbidden("自评由单位填报员填写")
    with sessions() as session:
        facts = load_facts(session, actor, plan_id, date.today())
    if not any(actor.unit_id in us for us in facts.units.values()):
        raise Forbidden("本单位在该计划中没有任务")
    value = _score(score)

    def apply(row: UnitAssessment) -> None:
        row.self_score, row.self_note = value, note.strip() or None

    _assessment(sessions, actor, plan_id, actor.unit_id, version, apply, "self_assess")


def review(
    sessions: SessionFactory,
    actor: Principal,
    plan_id: int,
    unit_id: int,
    score: float,
    note: str,
    version: int | None,
) -> None:
    """The reviewer's score (复核), which ranks the unit; the reason is required (office staff)."""
    actor.require_manager()
    if not note.strip():
        raise Invalid("复核评分须写明理由")
    with sessions() as session:
        managed_plan(session, actor, plan_id)
        facts = load_facts(session, actor, plan_id, date.today())
    if not any(unit_id in us for us in facts.units.values()):
        # a unit with no task of this plan in the actor's scope (or no unit at all) has no score
        raise NotFound(f"该计划中没有单位 {unit_id} 的任务")
    value = _score(score)

    def apply(row: UnitAssessment) -> None:
        row.reviewer_score, row.reviewer_note, row.reviewed_by = value, note.strip(), actor.username

    _assessment(sessions, actor, plan_id, unit_id, version, apply, "review")


def _penalties(
    session: Session, f: PlanFacts, today: date, zone: str
) -> tuple[dict[int, int], dict[int, int]]:
    """Red urges and late rectifications per unit."""
    item_ids = [i.id for i in f.items]
    urges: dict[int, int] = {}
    for item_id, unit_id in session.execute(
        select(Urge.item_id, Urge.unit_id).where(Urge.item_id.in_(item_ids), Urge.level == "red")
    ):
        for unit in [unit_id] if unit_id is not None else f.units.get(item_id, []):
            urges[unit] = urges.get(unit, 0) + 1
    late: dict[int, int] = {}
    for unit_id, deadline, state, signed_at in session.execute(
        select(
            Rectification.unit_id, Rectification.deadline, Rectification.state, Rectification.signed_off_at
        ).where(Rectification.item_id.in_(item_ids))
    ):
        done_on = local_date(signed_at, zone) if state == "signed_off" and signed_at else None
        if (done_on is None and deadline < today) or (done_on is not None and done_on > deadline):
            late[unit_id] = late.get(unit_id, 0) + 1
    return urges, late


def evaluate(
    sessions: SessionFactory, settings: Settings, actor: Principal, plan_id: int, today: date
) -> Evaluation:
    """Every unit's score with its explanation, ranked (a reporter: its own unit only)."""
    with sessions() as session:
        f = load_facts(session, actor, plan_id, today)
        rubric = _rubric(session, plan_id)
        urges, late_fixes = _penalties(session, f, today, settings.timezone)
        assessed = {
            a.unit_id: a
            for a in session.scalars(select(UnitAssessment).where(UnitAssessment.plan_id == plan_id))
        }
    zone = ZoneInfo(settings.timezone)
    due = [(c.index, due_end(c, zone)) for c in due_cycles(f.cycles, today)]
    due_days = [(c.index, c.due) for c in due_cycles(f.cycles, today)]
    weights = (rubric.completion_weight, rubric.timeliness_weight, rubric.target_weight)
    scores: list[UnitScore] = []
    scored: set[int] = set()
    for unit_id in sorted({u for us in f.units.values() for u in us}):
        rows = [i for i in f.items if unit_id in f.units[i.id]]
        items = [i.id for i in rows]
        percents = [f.latest[(i, unit_id)].percent if (i, unit_id) in f.latest else 0.0 for i in items]
        completion = sum(percents) / len(percents)
        on_time = late = 0
        expected = 0
        for row in rows:  # the cycles due from the day its organisation received the task
            owed = set(levels.counted_cycles(due_days, row.received_on))
            for index, end in due:
                if index not in owed:
                    continue
                expected += 1
                at = f.filed.get((row.id, unit_id, index))
                on_time += at is not None and at < end
                late += at is not None and at >= end
        timeliness = 100.0 * (on_time + 0.5 * late) / expected if expected else 100.0
        ratios = [
            rules.achievement(t.comparator, t.value, f.actuals[(unit_id, t.id)])
            for i in items
            for t in f.targets.get(i, [])
            if (unit_id, t.id) in f.actuals
        ]
        target = 100.0 * sum(ratios) / len(ratios) if ratios else None
        penalty = min(
            rubric.max_penalty,
            rubric.urge_penalty * urges.get(unit_id, 0)
            + rubric.rectification_penalty * late_fixes.get(unit_id, 0),
        )
        parts = [
            ("完成度", completion, weights[0]),
            ("及时性", timeliness, weights[1]),
            ("目标达成", target if target is not None else completion, weights[2]),
        ]
        computed, lines = explain(parts, penalty)
        if target is None:
            lines[2] += "（无目标实际值，按完成度计）"
        lines.append(f"及时性依据：应报 {expected} 期次，按时 {on_time}，逾期 {late}（逾期计半）")
        if penalty:
            lines.append(
                f"督办扣分：督办 {urges.get(unit_id, 0)} 次 × {rubric.urge_penalty:g} + 整改逾期 "
                f"{late_fixes.get(unit_id, 0)} 项 × {rubric.rectification_penalty:g}，上限 {rubric.max_penalty:g} → −{penalty:.1f}"
            )
        lines.append(f"计算得分 {computed:.1f}")
        a = assessed.get(unit_id)
        if (
            on_time + late
            or any((i, unit_id) in f.latest for i in items)
            or (a and a.reviewer_score is not None)
        ):
            scored.add(unit_id)
        else:
            lines.append(UNRANKED_NOTE)
        score = computed
        if a is not None and a.reviewer_score is not None:
            score = a.reviewer_score
            lines.append(f"复核得分 {a.reviewer_score:.1f}（{a.reviewed_by}：{a.reviewer_note}），以复核为准")
        if a is not None and a.self_score is not None:
            lines.append(f"自评 {a.self_score:.1f}")
        scores.append(
            UnitScore(
                0,
                unit_id,
                f.unit_names.get(unit_id, ""),
                score,
                computed,
                round(completion, 1),
                round(timeliness, 1),
                round(target, 1) if target is not None else None,
                round(penalty, 1),
                a.self_score if a else None,
                a.self_note if a else None,
                a.reviewer_score if a else None,
                a.reviewer_note if a else None,
                a.version if a else None,
                lines,
                f.unit_tiers.get(unit_id, "其他"),
            )
        )
    # like with like: each group ranked among itself (`levels.tier`), the groups in their order;
    # ties share a rank, units with nothing scored get none (`evaluation_ranks.rank`)
    scores.sort(
        key=lambda s: (levels.TIERS.index(s.tier), s.unit_id not in scored, -s.score, s.unit_name, s.unit_id)
    )
    for tier in levels.TIERS:
        rank([s for s in scores if s.tier == tier], scored)
    return Evaluation(f.plan_id, today, rubric, scores)
