"""Status of a plan's tasks (红黄绿灯) and each unit's reporting completeness, as of a day.

Computed in Python by `rules` from the plan's `facts`: a plan of 40 tasks, 5 units and 26 cycles
(5,200 reports) takes 15–30 ms in all (benchmarks/bench_loop.py).

A slot is one (task, assigned unit, due cycle).  It is on time when the unit first submitted that
cycle's report by the end of its due day (plan's zone), late when after, missing when never
(drafts do not count; a report returned for revision keeps its first submission).  An item handed
down owes the cycles due from the day it was received (`levels.counted_cycles`); a task handed down
is judged on the progress rolled up from its children and shows the worst of their lights
(`levels.rolled_progress`, `levels.worst`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts.principal import Principal
from eduplan.services.tracking import levels, rules
from eduplan.services.tracking import views as v
from eduplan.services.tracking.facts import PlanFacts, load_facts
from eduplan.services.tracking.schedule import cycle_at, due_cycles, due_end


def thresholds(settings: Settings) -> rules.Thresholds:
    return rules.Thresholds(amber_lag=settings.status_amber_lag, red_lag=settings.status_red_lag)


def plan_status(
    sessions: SessionFactory, settings: Settings, actor: Principal, plan_id: int, today: date
) -> v.PlanStatus:
    """Every visible task's colour and the completeness of every unit, for the due cycles."""
    with sessions() as session:
        return plan_status_in(session, settings, actor, plan_id, today)


def plan_status_in(
    session: Session, settings: Settings, actor: Principal, plan_id: int, today: date
) -> v.PlanStatus:
    """`plan_status` inside a session the caller holds (a page reads in one)."""
    zone = ZoneInfo(settings.timezone)
    f = load_facts(session, actor, plan_id, today)
    all_cycles, starts_on, ends_on = f.cycles, f.starts_on, f.ends_on
    units, latest, filed, targets, unit_names = f.units, f.latest, f.filed, f.targets, f.unit_names
    actuals = f.best_actuals()
    due = due_cycles(all_cycles, today)
    due_ends = [(c.index, due_end(c, zone)) for c in due]
    last_due = due[-1].index if due else None
    due_days = [(c.index, c.due) for c in due]
    table: dict[int, dict[int, list[int]]] = {}  # unit → cycle → [expected, on time, late, missing]
    limits = thresholds(settings)
    inputs: dict[int, _Inputs] = {}
    for item in f.items:
        missing_count, missing_last = 0, False
        item_id = item.id
        owed = set(levels.counted_cycles(due_days, item.received_on))  # from the day it was received
        for unit_id in units[item_id]:
            unit_cells = table.setdefault(unit_id, {})
            for index, end in due_ends:
                if index not in owed:
                    continue
                cell = unit_cells.get(index) or unit_cells.setdefault(index, [0, 0, 0, 0])
                cell[0] += 1
                at = filed.get((item_id, unit_id, index))
                if at is None:
                    cell[3] += 1
                    missing_count += 1
                    missing_last = missing_last or index == last_due
                elif at < end:
                    cell[1] += 1
                else:
                    cell[2] += 1
        reps = [latest.get((item.id, u)) for u in units[item.id]]
        reported = sum(r.percent for r in reps if r is not None) / len(reps) if reps else 0.0
        ratios = [
            rules.achievement(t.comparator, t.value, actuals[t.id])
            for t in targets[item.id]
            if t.id in actuals
        ]
        inputs[item_id] = _Inputs(
            item=item,
            reported=reported,
            achieved=100.0 * min(ratios) if ratios else None,
            done=(bool(reps) and all(r is not None and r.progress == "done" for r in reps))
            or (bool(units[item_id]) and all((item_id, u) in f.closed for u in units[item_id])),  # 办结
            blocked=any(r is not None and r.progress == "blocked" for r in reps),
            missing_last=missing_last,
            missing=missing_count,
        )
    judged = _judge_levels(f, inputs, starts_on, ends_on, today, limits)
    statuses: list[v.ItemStatus] = []
    children = f.children()
    for item in f.items:
        j, rolled, _done = judged[item.id]
        if not units[item.id] and not children.get(item.id):  # rule 0: 待分工, lights start with a unit
            j.colour, j.progress, j.lag, j.overdue = "none", 0.0, 0.0, False
            j.reasons[:] = ["待分工：尚无责任单位"]
        if item.id in f.pending:
            j.reasons.append("责任单位待明确")
        if item.id in f.waiting:
            j.reasons.append("待本级分工（指定承办科室或继续下发）")
        task = f.texts.get(item.tracked_id)
        statuses.append(
            v.ItemStatus(
                item_id=item.id,
                number=task.number if task else "",
                title=task.title if task else "",
                org_id=item.org_id,
                colour=j.colour,
                expected=j.expected,
                progress=j.progress,
                lag=j.lag,
                overdue=j.overdue,
                deadline=item.deadline,
                missing_reports=inputs[item.id].missing,
                reasons=j.reasons,
                parent_id=item.parent_id,
                rolled_up=rolled,
            )
        )
    completeness = []
    for unit_id in sorted(table, key=lambda u: (unit_names.get(u, ""), u)):
        cells = [v.CycleCell(c, *counts) for c, counts in sorted(table[unit_id].items())]
        expected_n = sum(c.expected for c in cells)
        on_time, late = sum(c.on_time for c in cells), sum(c.late for c in cells)
        rate = round(100.0 * (on_time + late) / expected_n, 1) if expected_n else 100.0
        completeness.append(
            v.UnitCompleteness(
                unit_id=unit_id,
                unit_name=unit_names.get(unit_id, ""),
                expected=expected_n,
                on_time=on_time,
                late=late,
                missing=expected_n - on_time - late,
                rate=rate,
                cycles=cells,
                tier=f.unit_tiers.get(unit_id, "其他"),
            )
        )
    counts = {c: sum(1 for s in statuses if s.colour == c) for c in ("green", "amber", "red")}
    current = cycle_at(all_cycles, today)
    return v.PlanStatus(
        plan_id=f.plan_id,
        today=today,
        current_cycle=current.index if current else None,
        due_cycles=len(due),
        counts=counts,
        items=statuses,
        units=completeness,
    )


def item_status(
    sessions: SessionFactory, settings: Settings, actor: Principal, item_id: int, today: date
) -> v.ItemStatus:
    """The status of one work item (computed with its plan's)."""
    from eduplan.services.errors import NotFound
    from eduplan.services.tracking.scope import item_for

    with sessions() as session:
        plan_id = item_for(session, actor, item_id).plan_id
        statuses = plan_status_in(session, settings, actor, plan_id, today).items
    found = next((s for s in statuses if s.item_id == item_id), None)
    if found is None:
        raise NotFound(f"任务 {item_id} 未在报送中")
    return found


@dataclass(kw_only=True)
class _Inputs:
    """What one item's own units reported, before its children are rolled in."""

    item: Any
    reported: float
    achieved: float | None
    done: bool
    blocked: bool
    missing_last: bool
    missing: int


def _depth(item_id: int, parents: dict[int, int | None]) -> int:
    depth, seen = 0, item_id
    while parents.get(seen) is not None:
        seen, depth = parents[seen] or 0, depth + 1
    return depth


def _judge_levels(
    f: PlanFacts,
    inputs: dict[int, _Inputs],
    starts_on: date,
    ends_on: date,
    today: date,
    limits: rules.Thresholds,
) -> dict[int, tuple[rules.Judgement, bool, bool]]:
    """Every item judged by `rules`, the deepest first, so that a task handed down is judged on the
    progress rolled up from its children and wears the worst of its and their lights
    (`levels.rolled_progress`, `levels.worst`).  Item → (judgement, whether rolled up, done)."""
    parents = {i.id: i.parent_id for i in f.items}
    children = f.children()
    out: dict[int, tuple[rules.Judgement, bool, bool]] = {}
    for item in sorted(f.items, key=lambda i: -_depth(i.id, parents)):
        x = inputs[item.id]
        kids = children.get(item.id, [])
        reported, done, blocked = x.reported, x.done, x.blocked
        if kids:
            split = {t.id: t.value for t in f.targets[item.id] if t.parts}
            shares = {
                k.id: sum(t.value for t in f.targets[k.id] if t.parent_id in split) if split else None
                for k in kids
            }
            members: list[tuple[float, float | None]] = [(out[k.id][0].progress, shares[k.id]) for k in kids]
            if f.units[item.id]:  # its own units carry what no child took (市本级)
                rest = (
                    max(0.0, sum(split.values()) - sum(w or 0.0 for w in shares.values())) if split else None
                )
                members.append((x.reported, rest))
            reported = levels.rolled_progress(members)
            done = all(out[k.id][2] for k in kids) and (x.done or not f.units[item.id])
            blocked = blocked or any("有单位报告受阻" in out[k.id][0].reasons for k in kids)
        deadline = item.deadline or ends_on
        j = rules.judge(
            rules.expected_progress(
                rules.progress_start(starts_on, item.received_on, item.parent_id), deadline, today
            ),
            reported,
            x.achieved,
            done=done,
            overdue=today > deadline,
            blocked=blocked,
            missing=x.missing_last,
            thresholds=limits,
            supervised=f.flags.get(item.id, (False, False, 0)),
        )
        if kids:
            below = [out[k.id][0].colour for k in kids]
            worse = levels.worst([j.colour, *below])
            if worse != j.colour:
                j.colour = worse
                j.reasons.append(f"下级单位{'红' if worse == 'red' else '黄'}灯 {below.count(worse)} 个")
        out[item.id] = (j, bool(kids), done)
    return out
