"""The data of the 任务详情 page (/items/{item_id}), assembled from the loop's services: the item, its
source paragraph, status, targets against the best reported actuals, each unit's report timeline,
the thread (评论: the comments; 审核意见: review notes, 退回/通过 with their words; 督办答复: the urges'
notes and answers, each at its own time),
urges, rectifications, the roll-up of the tasks handed down from it (`children`) and the audit trail — and the state of the page's forms (what was typed and
the error, for a re-rendered form).  No queries of its own: only service calls.
"""

from __future__ import annotations

from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.orm import Session

from eduplan.choices import ENTITY_LABELS, FIELD_LABELS
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import Principal
from eduplan.services.audit import people
from eduplan.services.errors import Invalid, NotFound, StaleVersion
from eduplan.services.tracking import views as v
from eduplan.services.tracking.adhoc import AdhocView, adhoc_in
from eduplan.services.tracking.children import RollUp, roll_up_in
from eduplan.services.tracking.comments import CommentView, comments_in
from eduplan.services.tracking.directory import unit_options
from eduplan.services.tracking.instructions import InstructionView, instructions_in, may_instruct
from eduplan.services.tracking.item_source import ItemSource, source_in
from eduplan.services.tracking.items import audit_in, item_in
from eduplan.services.tracking.life import TaskLife, life_in
from eduplan.services.tracking.plans import plan_cycles
from eduplan.services.tracking.reports import reports_in
from eduplan.services.tracking.status import plan_status_in
from eduplan.services.tracking.supervision import rectifications_in, urges_in

ACTION_LABELS = {
    "open": "开启报送",
    "assign": "调整分工",
    "deadline": "修改时限",
    "hand_down": "下发",
    "create": "新建",
    "update": "修改",
    "submit": "报送",
    "accept": "审核通过",
    "return": "退回修改",
    "attach": "上传佐证",
    "urge": "发出督办",
    "answer": "答复督办",
    "close": "办结督办",
    "escalate": "督办升级",
    "raise": "提出整改",
    "sign_off": "整改销号",
    "send_back": "整改退回",
    "comment": "发表评论",
    "range": "设定合理范围",
    "sign": "签收",
    "refuse": "退回（不属于本单位职责）",
    "decide_refusal": "处理退回",
    "ask_extension": "申请延期",
    "decide_extension": "审批延期",
    "ask_closing": "申请办结",
    "decide_closing": "审核办结",
    "instruct": "作出批示",
    "acknowledge": "已阅批示",
}


def stale_message(exc: StaleVersion) -> str:
    """某某 于 … 修改了 …, in the words of the page."""
    from eduplan.labels import zh_datetime

    d = exc.details
    fields = "、".join(dict.fromkeys(FIELD_LABELS.get(c.field, c.field) for c in d.changes)) or "内容"
    when = f" 于 {zh_datetime(d.changed_at)}" if d.changed_at else ""
    return f"{d.changed_by or '他人'}{when} 修改了 {fields}。您填写的内容已保留，请核对后再次保存。"


@dataclass(kw_only=True)
class FormState:
    """A form as typed (re-rendered after an error) and its message."""

    values: dict[str, Any] = field(default_factory=dict)
    error: str | None = None
    field: str | None = None


@dataclass(kw_only=True)
class TargetBar:
    target: v.ItemTargetView
    actual: float | None


@dataclass(kw_only=True)
class Timeline:
    """One unit's reports, newest cycle first."""

    unit_id: int | None
    unit_name: str
    role: str
    reports: list[v.ReportView]


@dataclass(kw_only=True)
class Comment:
    """One entry of the thread: `kind` 评论, 审核意见 or 督办答复; `detail` says which (退回修改…);
    `unit`: the unit a person answered for (a 督办 answer: 林峰（基础教育科）)."""

    at: datetime
    username: str
    kind: str
    text: str
    detail: str = ""
    unit: str = ""


@dataclass(kw_only=True)
class AuditRow:
    at: datetime
    username: str
    action: str
    entity: str
    fields: str


@dataclass(kw_only=True)
class ItemPage:
    item: v.WorkItemView
    source: ItemSource
    status: v.ItemStatus | None
    cycles: dict[int, v.CycleView]
    bars: list[TargetBar]
    timelines: list[Timeline]
    comments: list[Comment]
    urges: list[v.UrgeView]
    rectifications: list[v.RectificationView]
    audit: list[AuditRow]
    can_manage: bool
    my_unit: int | None
    unit_options: list[tuple[int, str]]
    target_names: dict[int, str]
    urge_units: list[tuple[int, str]]
    forms: dict[str, FormState] = field(default_factory=dict)
    can_comment: bool = False
    names: dict[str, str] = field(default_factory=dict)
    """Login → the person's name (姓名), for every login the page mentions."""
    life: TaskLife | None = None
    """签收, 退回, 延期, 办结 of each unit and the requests (issue 14)."""
    life_units: list[tuple[int, str]] = field(default_factory=list)
    """Units a task may be handed to instead (退回's proposal, 转办)."""
    rollup: RollUp = field(default_factory=lambda: RollUp(level_word=""))
    """The tasks handed down from this one (下发) and where it may still go."""
    adhoc: AdhocView | None = None
    """A 交办事项's source, attachment and (常态化) occurrences (`tracking.adhoc`)."""
    instructions: list[InstructionView] = field(default_factory=list)
    """领导批示 on the task, newest first: shown at its top."""
    can_instruct: bool = False
    today: date
    """The page's day: the forms' hints give examples in its year (`labels.example_day`)."""


def _bars(item: v.WorkItemView, reports: list[v.ReportView]) -> list[TargetBar]:
    latest: dict[int, v.ReportView] = {}
    for r in reports:
        if r.state in ("submitted", "accepted") and (
            r.unit_id not in latest or latest[r.unit_id].cycle < r.cycle
        ):
            latest[r.unit_id] = r
    best: dict[int, float] = {}
    for r in latest.values():
        for x in r.values:
            best[x.target_id] = max(x.actual, best.get(x.target_id, x.actual))
    return [TargetBar(target=t, actual=best.get(t.id)) for t in item.targets]


def _timelines(item: v.WorkItemView, reports: list[v.ReportView], only: int | None) -> list[Timeline]:
    """Each assigned unit's reports (a reporter: only its own unit, the only one it may read)."""
    out: list[Timeline] = []
    seen: set[int] = set()
    for a in item.assignments:
        if a.unit_id is None or a.unit_id in seen or (only is not None and a.unit_id != only):
            continue
        seen.add(a.unit_id)
        mine = sorted((r for r in reports if r.unit_id == a.unit_id), key=lambda r: -r.cycle)
        out.append(Timeline(unit_id=a.unit_id, unit_name=a.unit_name or a.name, role=a.role, reports=mine))
    for r in reports:  # a unit no longer assigned keeps its history
        if r.unit_id not in seen:
            seen.add(r.unit_id)
            mine = sorted((x for x in reports if x.unit_id == r.unit_id), key=lambda x: -x.cycle)
            out.append(Timeline(unit_id=r.unit_id, unit_name=r.unit_name, role="former", reports=mine))
    return out


def _comments(audit: list[Any], urges: list[v.UrgeView], comments: list[CommentView]) -> list[Comment]:
    """Comments, review notes and urge exchanges in the order they were written."""
    out = []
    answered: dict[int, tuple[datetime, str]] = {}  # urge → when, and who of the unit answered
    for e in audit:
        after = e.after or {}
        if e.entity == "report" and e.action in ("return", "accept") and after.get("review_note"):
            before = (e.before or {}).get("review_note")
            if e.action == "return" or after["review_note"] != before:
                detail = "退回修改" if e.action == "return" else "通过"
                out.append(
                    Comment(
                        at=e.at,
                        username=e.username,
                        kind="审核意见",
                        text=after["review_note"],
                        detail=detail,
                    )
                )
        elif e.entity == "urge" and e.action == "answer":
            answered[e.entity_id] = (e.at, e.username)
    for u in urges:
        out.append(
            Comment(
                at=u.issued_at, username=u.issued_by, kind="督办答复", text=u.note, detail=loop_level(u.level)
            )
        )
        if u.response:
            at, by = answered.get(u.id, (u.issued_at, ""))
            out.append(
                Comment(
                    at=at,
                    username=by or u.unit_name or "责任单位",  # the person (a name, by `people`)
                    kind="督办答复",
                    text=u.response,
                    detail="答复",
                    unit=(u.unit_name or "") if by else "",
                )
            )
    for c in comments:
        out.append(
            Comment(
                at=c.created_at, username=c.display_name, kind="评论", text=c.body, detail=c.unit_name or ""
            )
        )
    return sorted(out, key=lambda c: c.at)


def loop_level(level: str) -> str:
    return {"yellow": "催办", "red": "督办"}.get(level, level)


def _audit_rows(audit: list[Any]) -> list[AuditRow]:
    rows = []
    for e in reversed(audit):
        before, after = e.before or {}, e.after or {}
        keys = [
            k for k in dict.fromkeys([*before, *after]) if k != "version" and before.get(k) != after.get(k)
        ]
        if e.action in ("open", "create", "urge", "raise", "attach", "comment", "instruct", "acknowledge"):
            keys = []
        # the action already says what happened to the state (报送, 审核通过, 销号)
        keys = [k for k in keys if k != "state"]
        fields = "、".join(dict.fromkeys(FIELD_LABELS.get(k, k) for k in keys if k in FIELD_LABELS))
        if e.entity == "evidence":
            fields = str(after.get("filename", ""))
        action = ACTION_LABELS.get(e.action, e.action)
        entity = ENTITY_LABELS.get(e.entity, e.entity)
        # 上传佐证 needs no 佐证材料 after it, 发出督办 no 督办: name the record only when the action does not
        rows.append(
            AuditRow(
                at=e.at,
                username=e.username,
                action=action,
                entity="" if entity[:2] in action else entity,
                fields=fields,
            )
        )
    return rows


def item_page(
    sessions: SessionFactory, settings: Settings, who: Principal, item_id: int, today: date
) -> ItemPage:
    """Everything the task page shows, as `who` may see it — read in one session."""
    with sessions() as session:
        return _item_page(session, settings, who, item_id, today)


def _item_page(session: Session, settings: Settings, who: Principal, item_id: int, today: date) -> ItemPage:
    item = item_in(session, who, item_id)
    statuses: dict[int, v.ItemStatus] = {}
    # first: it reads the plan and its schedule, which the rest then finds in the session
    with suppress(NotFound, Invalid):
        statuses = {s.item_id: s for s in plan_status_in(session, settings, who, item.plan_id, today).items}
    status = statuses.get(item_id)  # the children's lights come with it (`children.roll_up_in`)
    source = source_in(session, who, item_id)
    cycles = {c.index: c for c in plan_cycles(session, item.plan_id)}
    reports = reports_in(session, who, item_id)
    urges = urges_in(session, who, item_id)
    rectifications = rectifications_in(session, who, item_id)
    readable = {
        "report": {r.id for r in reports},
        "urge": {u.id for u in urges},
        "rectification": {r.id for r in rectifications},
    }
    audit = audit_in(session, who, item_id, readable)
    comments = comments_in(session, who, item_id)
    addressed = {
        a.unit_id: a.unit_name or a.name
        for a in item.assignments
        if a.unit_id is not None and a.state == "assigned"
    }
    instructions = instructions_in(session, who, item_id, addressed)
    # people are named by their names, not their logins
    names = people(session, [*(e.username for e in audit), *(u.issued_by for u in urges)])
    rollup = roll_up_in(session, who, item, statuses)
    options: list[tuple[int, str]] = []
    life = life_in(session, who, item_id, settings.sign_working_days, today)
    if who.manages or (life.mine is not None and life.mine.state in ("to_sign", "signed")):
        options = unit_options(session, item.org_id)
    on_task = {a.unit_id for a in item.assignments}
    forms = {
        "assign": FormState(values={"rows": default_rows(item), "version": str(item.version)}),
        "deadline": FormState(
            values={
                "deadline": item.deadline_text or (item.deadline.isoformat() if item.deadline else ""),
                "version": str(item.version),
            }
        ),
        "comment": FormState(values={"body": ""}),
        "handdown": FormState(values={"orgs": [], "names": ""}),
        "instruction": FormState(values={"body": "", "deadline": ""}),
    }
    return ItemPage(
        item=item,
        source=source,
        status=status,
        cycles=cycles,
        bars=_bars(item, reports),
        timelines=_timelines(item, reports, who.unit_id if who.role == "reporter" else None),
        comments=_comments(audit, urges, comments),
        urges=urges,
        rectifications=rectifications,
        audit=_audit_rows(audit),
        can_manage=who.manages,
        my_unit=who.unit_id if who.role == "reporter" else None,
        unit_options=options,
        target_names={t.id: t.subject or t.text for t in item.targets},
        urge_units=[(a.unit_id, a.unit_name or a.name) for a in item.assignments if a.unit_id is not None],
        forms=forms,
        can_comment=who.role != "viewer",
        names=names,
        life=life,
        life_units=[o for o in options if o[0] not in on_task],
        rollup=rollup,
        adhoc=adhoc_in(session, who, item_id, today, settings.timezone),
        instructions=instructions,
        can_instruct=may_instruct(who),
        today=today,
    )


def default_rows(item: v.WorkItemView, blank: int = 2) -> list[dict[str, str]]:
    """The assignment form's rows: the current assignments, then `blank` empty ones."""
    rows = [
        {"unit": str(a.unit_id) if a.unit_id else "", "role": a.role, "name": "" if a.unit_id else a.name}
        for a in item.assignments
        if a.state in ("assigned", "unspecified")  # handed down or 待分工: not the form's to change
    ]
    return rows + [{"unit": "", "role": "support", "name": ""} for _ in range(blank)]
