"""Read use cases of the comparison (对标): each loads the selected plans from the registry
(`loading.load_corpus`), runs one pure algorithm of `eduplan.compare` and returns its view.

- `matrix` and `cell`: plans × topics, and one topic opened (tasks side by side with targets);
- `similar`: for a task or key project, the most similar ones of other plans, phrases marked;
- `targets`: targets of the same kind side by side, in base units;
- `distinctive`: what no other plan writes (特色); `year_changes`: two years of one city;
- `consistency`: the findings of the checks within one plan (自查).

Plans are read as published documents (any signed-in user, as the registry's lists); nothing here
writes.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, select

from eduplan import compare
from eduplan.compare import Entry
from eduplan.compare.shingles import highlight_spans
from eduplan.db.engine import SessionFactory
from eduplan.db.plans import Plan, PlanVersion
from eduplan.db.projects import Column, Project
from eduplan.db.tasks import Task
from eduplan.services.compare import views as v
from eduplan.services.compare.loading import Corpus, Selection, load_corpus
from eduplan.services.errors import Invalid, NotFound
from eduplan.services.registry.views import topic_ref
from eduplan.services.view_rows import from_row
from eduplan.topics import TOPIC_IDS

CHECK_NAMES = {
    "figure_vs_table": "正文与指标表不一致",
    "target_below_baseline": "目标低于基期",
    "parts_vs_total": "分项与总数不符",
    "numbering": "编号跳号或重复",
    "toc_vs_body": "目录与正文不一致",
}
SEVERITY_NAMES = {"error": "错误", "warning": "提示"}
MAX_SIMILAR = 20
_KIND_NAMES = {"item": "任务", "project": "重点项目"}


def check_topic(topic: str) -> str:
    """`topic` if it is a taxonomy id, else `Invalid`."""
    if topic not in TOPIC_IDS:
        raise Invalid(f"未知的主题：{topic}")
    return topic


def entry_view(corpus: Corpus, entry: Entry) -> v.EntryView:
    """The view of an entry of the corpus: its plan, row id, topics and targets."""
    ref = corpus.plans[entry.plan].ref
    kind, row_id = corpus.row_of(entry) or (entry.kind, None)
    return from_row(
        v.EntryView,
        entry,
        plan_id=ref.id,
        plan=ref.label,
        task_id=row_id if kind == "item" else None,
        project_id=row_id if kind == "project" else None,
        label=entry.label(),
        topics=[topic_ref(t) for t in entry.topics],
        targets=[from_row(v.TargetFigure, t) for t in entry.targets],
    )


def segments(text: str, phrases: list[str]) -> list[v.Segment]:
    """`text` cut into runs, the runs that are one of `phrases` marked as shared."""
    out: list[v.Segment] = []
    at = 0
    for start, end in highlight_spans(text, phrases):
        if start > at:
            out.append(v.Segment(text=text[at:start]))
        out.append(v.Segment(text=text[start:end], shared=True))
        at = end
    if at < len(text):
        out.append(v.Segment(text=text[at:]))
    return out


def _shown_text(entry: Entry) -> str:
    return entry.text or entry.title


def matrix(sessions: SessionFactory, selection: Selection, *, secondary: bool = False) -> v.MatrixView:
    """Plans × topics: tasks and targets in each cell (primary topics, or every topic with `secondary`)."""
    return matrix_of(load_corpus(sessions, selection), secondary=secondary)


def matrix_of(corpus: Corpus, *, secondary: bool = False) -> v.MatrixView:
    """`matrix` over a corpus already loaded."""
    return corpus.memo(("matrix", secondary), lambda: _matrix(corpus, secondary))


def _matrix(corpus: Corpus, secondary: bool) -> v.MatrixView:
    m = compare.topic_matrix(corpus.domain_plans(), secondary=secondary)
    rows = []
    for key, cells in m.rows():
        shown = [
            v.MatrixCell(topic=t, tasks=c.tasks, targets=c.targets)
            for t, c in zip(m.topics, cells, strict=True)
        ]
        rows.append(
            v.MatrixRow(
                plan=corpus.plans[key].ref,
                cells=shown,
                tasks=sum(c.tasks for c in cells),
                targets=sum(c.targets for c in cells),
            )
        )
    return v.MatrixView(
        plans=[p.ref for p in corpus.plans.values()],
        topics=[topic_ref(t) for t in m.topics],
        rows=rows,
        secondary=secondary,
    )


def cell(
    sessions: SessionFactory, selection: Selection, topic: str, *, secondary: bool = False
) -> v.CellView:
    """One topic opened: the tasks of every plan on it, side by side, with their targets."""
    check_topic(topic)
    corpus = load_corpus(sessions, selection)
    return cell_of(corpus, topic, secondary=secondary)


def cell_of(corpus: Corpus, topic: str, *, secondary: bool = False) -> v.CellView:
    """`cell` over a corpus already loaded."""
    return corpus.memo(("cell", topic, secondary), lambda: _cell(corpus, topic, secondary))


def _cell(corpus: Corpus, topic: str, secondary: bool) -> v.CellView:
    by_plan = compare.cell_entries(corpus.domain_plans(), topic, secondary=secondary)
    columns = [
        v.CellColumn(plan=corpus.plans[key].ref, entries=[entry_view(corpus, e) for e in entries])
        for key, entries in by_plan.items()
    ]
    return v.CellView(topic=topic_ref(topic), columns=columns, secondary=secondary)


def _plan_of(kind: str, row_id: int) -> Select[Any]:
    """The query of the plan id of a task (`kind="item"`) or key project."""
    if kind == "item":
        return (
            select(PlanVersion.plan_id).join(Task, Task.version_id == PlanVersion.id).where(Task.id == row_id)
        )
    return (
        select(PlanVersion.plan_id)
        .join(Column, Column.version_id == PlanVersion.id)
        .join(Project, Project.column_id == Column.id)
        .where(Project.id == row_id)
    )


def _with_plan_of(sessions: SessionFactory, selection: Selection, kind: str, row_id: int) -> Selection:
    """The selection, with the plan of the task (or project) added when the ids leave it out."""
    with sessions() as s:
        plan_id = s.scalar(_plan_of(kind, row_id))
    if plan_id is None:
        raise NotFound(f"找不到{_KIND_NAMES[kind]} {row_id}")
    if selection.plan_ids and plan_id not in selection.plan_ids:
        return Selection((*selection.plan_ids, plan_id), selection.org_id)
    return selection


def similar(
    sessions: SessionFactory, selection: Selection, kind: str, row_id: int, k: int = 5
) -> v.SimilarView:
    """The `k` entries of other plans most like task (`kind="item"`) or key project `row_id`."""
    if not 1 <= k <= MAX_SIMILAR:
        raise Invalid(f"k 应在 1 到 {MAX_SIMILAR} 之间")
    corpus = load_corpus(sessions, _with_plan_of(sessions, selection, kind, row_id))
    entry = corpus.entry_of(kind, row_id)
    if entry is None:
        raise NotFound(f"{_KIND_NAMES[kind]} {row_id} 不在所比较的计划中（只比较各计划的最新版本）")
    matches = corpus.index().most_similar(entry, k)
    shared = [p for m in matches for p in m.shared]
    return v.SimilarView(
        entry=entry_view(corpus, entry),
        segments=segments(_shown_text(entry), shared),
        matches=[
            v.SimilarMatch(
                entry=entry_view(corpus, m.entry),
                score=m.score,
                shared=list(m.shared),
                segments=segments(_shown_text(m.entry), list(m.shared)),
            )
            for m in matches
        ],
    )


def targets(sessions: SessionFactory, selection: Selection, *, min_plans: int = 1) -> v.TargetsView:
    """The targets of the plans grouped by what they measure, in base units."""
    corpus = load_corpus(sessions, selection)
    return targets_of(corpus, min_plans=min_plans)


def targets_of(corpus: Corpus, *, min_plans: int = 1) -> v.TargetsView:
    """`targets` over a corpus already loaded."""
    return corpus.memo(("targets", min_plans), lambda: _targets(corpus, min_plans))


def _targets(corpus: Corpus, min_plans: int) -> v.TargetsView:
    groups = compare.side_by_side(corpus.domain_plans(), min_plans=min_plans)
    refs = {key: p.ref for key, p in corpus.plans.items()}
    return v.TargetsView(
        plans=list(refs.values()),
        groups=[
            v.TargetGroupView(
                kind=g.kind,
                name=g.name,
                plan_ids=[refs[p].id for p in g.plans],
                targets=[
                    from_row(v.SideTargetView, t, plan_id=refs[t.plan].id, plan=refs[t.plan].label)
                    for t in g.targets
                ],
            )
            for g in groups
        ],
    )


def distinctive(sessions: SessionFactory, plan_id: int, selection: Selection) -> v.DistinctiveView:
    """The tasks of plan `plan_id` that none of the other selected plans resembles (特色工作)."""
    if selection.plan_ids and plan_id not in selection.plan_ids:
        selection = Selection((plan_id, *selection.plan_ids), selection.org_id)
    corpus = load_corpus(sessions, selection)
    key = str(plan_id)
    if key not in corpus.plans:
        raise NotFound(f"找不到计划 {plan_id}")
    others = [p.ref for k, p in corpus.plans.items() if k != key]
    if not others:
        raise Invalid("至少需要另一个计划才能比较特色工作")
    found = compare.distinctive(corpus.index(), key)
    return v.DistinctiveView(
        plan=corpus.plans[key].ref,
        among=others,
        entries=[
            v.DistinctiveEntry(
                entry=entry_view(corpus, d.entry),
                score=d.score,
                closest=entry_view(corpus, d.best.entry) if d.best else None,
            )
            for d in found
        ],
    )


def previous_plan(sessions: SessionFactory, plan_id: int) -> int:
    """The plan of the same organisation and kind for the latest earlier year (去年的工作要点)."""
    with sessions() as s:
        plan = s.get(Plan, plan_id)
        if plan is None:
            raise NotFound(f"找不到计划 {plan_id}")
        year = plan.year if plan.year is not None else plan.period_start
        if year is None:
            raise Invalid("该计划没有年份，请指定要对比的上一年度计划（before）")
        column = Plan.year if plan.year is not None else Plan.period_start
        earlier = s.scalar(
            select(Plan.id)
            .where(Plan.org_id == plan.org_id, Plan.kind == plan.kind, column < year)
            .order_by(column.desc(), Plan.id.desc())
            .limit(1)
        )
    if earlier is None:
        raise NotFound("找不到同一机构更早年度的同类计划")
    return earlier


def year_changes(sessions: SessionFactory, after_id: int, before_id: int | None = None) -> v.YearChangesView:
    """Tasks carried over, dropped and new from plan `before_id` (default: the year before) to `after_id`."""
    before_id = before_id if before_id is not None else previous_plan(sessions, after_id)
    if before_id == after_id:
        raise Invalid("请指定两个不同的计划")
    corpus = load_corpus(sessions, Selection((before_id, after_id)))
    before, after = corpus.plans[str(before_id)], corpus.plans[str(after_id)]
    changes = compare.year_over_year(before.plan, after.plan, ids=(str(before_id), str(after_id)))
    return v.YearChangesView(
        before=before.ref,
        after=after.ref,
        carried=[
            v.CarriedView(
                before=entry_view(corpus, c.before),
                after=entry_view(corpus, c.after),
                score=c.score,
                shared=list(c.shared),
            )
            for c in changes.carried
        ],
        dropped=[entry_view(corpus, e) for e in changes.dropped],
        new=[entry_view(corpus, e) for e in changes.new],
    )


def consistency(sessions: SessionFactory, plan_id: int) -> v.ConsistencyView:
    """The consistency findings of one plan (latest version), errors first."""
    corpus = load_corpus(sessions, Selection((plan_id,)))
    return consistency_of(corpus, str(plan_id))


def consistency_of(corpus: Corpus, key: str) -> v.ConsistencyView:
    """`consistency` of one plan of a corpus already loaded."""
    return corpus.memo(("consistency", key), lambda: _consistency(corpus, key))


def _consistency(corpus: Corpus, key: str) -> v.ConsistencyView:
    loaded = corpus.plans[key]
    findings = [
        v.FindingView(
            check=f.check,
            check_name=CHECK_NAMES.get(f.check, f.check),
            severity=f.severity,
            severity_name=SEVERITY_NAMES[f.severity],
            where=f.where,
            message=f.message,
        )
        for f in compare.check_plan(loaded.plan)
    ]
    errors = sum(f.severity == "error" for f in findings)
    return v.ConsistencyView(
        plan=loaded.ref, findings=findings, errors=errors, warnings=len(findings) - errors
    )
