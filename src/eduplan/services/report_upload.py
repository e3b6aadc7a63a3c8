"""Uploading a filled 填报模板: preview what changes per row, then save through the report service.

`preview_upload` reads the file (`readers/report_template`), checks that the uploader is a reporter of
the template's unit, and sorts every task row into one of:

- ``new`` / ``change``: will be saved (the fields that change are listed; value-rule warnings shown);
- ``unchanged``: same as the stored report; ``blank``: nothing filled — both left alone (an upload
  never empties a stored report);
- ``conflict``: the report was changed (on the web, or by another upload) since the template was
  made — both versions are shown and nothing is written for the row: download a new template, or
  fill the change in on the web;
- ``invalid``: the row breaks a rule — a status, percent or value that cannot be read, or any of the
  value rules (`loop/value_rules`, the same messages as on the web), each with its row number;
- ``locked``: the report was submitted or accepted; it is not asked again.

`apply_upload` takes the same file again (the state may have moved since the preview), and saves
each ``new``/``change`` row at the version the template was made from by the report service's own
code (`loop/report_batch`: `save_report`'s body per row, then the submit) — so scope, locking, value
rules and the audit log are the web's.  Each row has its own savepoint: a row refused at that point
(a save that raced in) becomes a conflict and the others still go through; nothing is half-written
within a row.  Evidence files are attached on the
web (/my/report), an xlsx cannot carry them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from eduplan.db.accounts import User
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit
from eduplan.db.plans import Plan
from eduplan.db.reports import ProgressReport
from eduplan.db.work import WorkItem
from eduplan.readers.report_template import TAMPERED, FilledRow, FilledTemplate, read_template
from eduplan.services.accounts.principal import Principal
from eduplan.services.errors import Forbidden, Invalid, StaleVersion
from eduplan.services.loop.report_batch import BatchRow, save_many
from eduplan.services.loop.reports import ReportInput
from eduplan.services.report_carry import CarriedOver, carried_over
from eduplan.services.tracking.reports import facts
from eduplan.services.tracking.scope import visible_items
from eduplan.services.tracking.value_rules import PROGRESS_LABELS, check_values, status_problems
from eduplan.services.unit_reports import accepted_before, cycle_reports

Kind = Literal["new", "change", "unchanged", "blank", "conflict", "invalid", "locked"]
KIND_LABELS = {
    "new": "新填报",
    "change": "有修改",
    "unchanged": "无变化",
    "blank": "未填写",
    "conflict": "冲突",
    "invalid": "有误",
    "locked": "已报送",
}
SAVED = ("new", "change")
PROGRESS_CODES = {label: code for code, label in PROGRESS_LABELS.items()} | {c: c for c in PROGRESS_LABELS}


@dataclass
class Change:
    field: str
    before: str
    after: str


@dataclass
class RowResult:
    """What happens (preview) or happened (apply) to one task row of the file."""

    row: int
    item_id: int
    number: str
    title: str
    kind: Kind
    messages: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    theirs: dict[str, str] | None = None
    """On a conflict, the report as stored now (field → text); `yours` is the row as filled."""
    yours: dict[str, str] | None = None
    report: tuple[int, int, str] | None = None
    """The stored report's (id, version, state) when the preview was made."""
    saved: bool = False
    submitted: bool = False

    @property
    def label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass
class UploadPreview:
    plan_id: int
    plan_title: str
    unit_id: int
    unit_name: str
    cycle: int
    made_at: datetime
    rows: list[RowResult] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {k: sum(r.kind == k for r in self.rows) for k in KIND_LABELS}

    @property
    def to_save(self) -> int:
        return sum(r.kind in SAVED for r in self.rows)


@dataclass
class _Typed:
    progress: str
    percent: float
    narrative: str
    values: dict[int, float]


def _num(x: float | None) -> str:
    if x is None:
        return ""
    return str(int(x)) if float(x).is_integer() else f"{x:g}"


def _number(text: str) -> float:
    value = float(text.strip().replace(",", "").replace("，", "").rstrip("%％").strip())
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _read_row(row: FilledRow, names: dict[int, str]) -> _Typed | list[str] | None:
    """The row as typed (None when left blank), or its messages when it cannot be read."""
    if not (row.status or row.percent or row.narrative or any(t.actual for t in row.targets)):
        return None
    problems: list[str] = []
    progress = PROGRESS_CODES.get(row.status.strip(), "")
    if not progress:
        problems.append(f"第{row.row}行：请从下拉列表选择状态（{'、'.join(PROGRESS_LABELS.values())}）")
    percent = 0.0
    if row.percent.strip():
        try:
            percent = _number(row.percent)
        except ValueError:
            problems.append(f"第{row.row}行：完成百分比须为数字，如 40 或 62.5（填写的是“{row.percent}”）")
    elif progress in ("not_started", "done"):
        percent = 0.0 if progress == "not_started" else 100.0
    elif progress:
        problems.append(f"第{row.row}行：请填写完成百分比（0–100）")
    if progress and not problems:
        problems += [f"第{row.row}行：{m}" for m in status_problems(progress, percent).values()]
    values: dict[int, float] = {}
    for t in row.targets:
        if t.actual.strip():
            try:
                values[t.target_id] = _number(t.actual)
            except ValueError:
                name = names.get(t.target_id, "目标")
                problems.append(f"第{t.row}行：「{name}」的本期实际值须为数字（填写的是“{t.actual}”）")
    if problems:
        return problems
    return _Typed(progress, percent, row.narrative.strip(), values)


def _stored_text(r: ProgressReport, names: dict[int, str]) -> dict[str, str]:
    out = {
        "状态": PROGRESS_LABELS.get(r.progress, r.progress),
        "完成百分比": _num(r.percent),
        "进展情况": r.narrative,
    }
    for x in r.values:
        out[names.get(x.target_id, f"目标{x.target_id}")] = _num(x.actual)
    return out


def _typed_text(t: _Typed, names: dict[int, str]) -> dict[str, str]:
    out = {"状态": PROGRESS_LABELS[t.progress], "完成百分比": _num(t.percent), "进展情况": t.narrative}
    for target_id, actual in t.values.items():
        out[names.get(target_id, f"目标{target_id}")] = _num(actual)
    return out


def _changes(before: dict[str, str], after: dict[str, str]) -> list[Change]:
    keys = list(dict.fromkeys([*after, *before]))
    return [
        Change(k, before.get(k, ""), after.get(k, "")) for k in keys if before.get(k, "") != after.get(k, "")
    ]


def _unit_of(sessions: SessionFactory, actor: Principal, filled: FilledTemplate) -> tuple[str, str]:
    """The template's unit name and plan title, once the uploader is known to report for it."""
    with sessions() as session:
        unit = session.get(Unit, filled.unit_id)
        plan = session.get(Plan, filled.plan_id)
        if unit is None or plan is None or unit.org_id != filled.org_id:
            raise Invalid(TAMPERED)
        if actor.role != "reporter" or actor.unit_id != unit.id:
            raise Forbidden(f"这是{unit.name}的填报模板，只能由{unit.name}的填报员上传")
        return unit.name, plan.title


def preview_upload(sessions: SessionFactory, actor: Principal, data: bytes) -> UploadPreview:
    """What uploading `data` would do, row by row; nothing is written."""
    return _preview(sessions, actor, _read(data))


def _preview(sessions: SessionFactory, actor: Principal, filled: FilledTemplate) -> UploadPreview:
    unit_name, plan_title = _unit_of(sessions, actor, filled)
    out = UploadPreview(filled.plan_id, plan_title, filled.unit_id, unit_name, filled.cycle, filled.made_at)
    ids = [r.item_id for r in filled.rows]
    with sessions() as session:
        items = {
            i.id: i
            for i in session.scalars(
                select(WorkItem)
                .where(WorkItem.id.in_(ids), visible_items(actor))
                .options(selectinload(WorkItem.targets), selectinload(WorkItem.assignments))
            )
        }
        stored = cycle_reports(session, ids, filled.unit_id, filled.cycle)
        previous = accepted_before(session, ids, filled.unit_id, filled.cycle)
        names = {r.updated_by for r in stored.values()}
        people = dict(
            session.execute(select(User.username, User.display_name).where(User.username.in_(names))).all()
        )
        carried = carried_over(session, filled.unit_id, {i: filled.cycle for i in ids if i not in stored})
        for row in filled.rows:
            result = _judge(row, items.get(row.item_id), stored.get(row.item_id), previous, people, filled)
            last = carried.get(row.item_id)
            if result.kind == "new" and last is not None and _same_as(result, last, items[row.item_id]):
                result.messages.append(f"第{row.row}行：与第{last.cycle + 1}期报告相同（沿用上期，未作修改）")
            out.rows.append(result)
    return out


def _same_as(result: RowResult, last: CarriedOver, item: WorkItem) -> bool:
    """Whether a new row says exactly what the unit's last report said (carried over untouched)."""
    names = {t.id: t.subject or t.unit or "目标" for t in item.targets}
    before = {
        "状态": PROGRESS_LABELS.get(last.progress, last.progress),
        "完成百分比": _num(last.percent),
        "进展情况": last.narrative.strip(),
    } | {names.get(t, f"目标{t}"): _num(x) for t, x in last.values.items()}
    return not _changes(before, result.yours or {})


def _judge(
    row: FilledRow,
    item: WorkItem | None,
    report: ProgressReport | None,
    previous: dict[int, dict[int, float]],
    people: dict[str, str],
    filled: FilledTemplate,
) -> RowResult:
    result = RowResult(row.row, row.item_id, row.number, row.title, "blank")
    if item is None or not any(
        a.unit_id == filled.unit_id and a.state == "assigned" for a in item.assignments
    ):
        result.kind, result.messages = "invalid", [f"第{row.row}行：该任务已不存在或不再由本单位负责，未保存"]
        return result
    names = {t.id: t.subject or t.unit or "目标" for t in item.targets}
    typed = _read_row(row, names)
    if isinstance(typed, list):
        result.kind, result.messages = "invalid", typed
        return result
    before = _stored_text(report, names) if report is not None else {}
    after = _typed_text(typed, names) if typed is not None else {}
    if typed is None:  # left blank: nothing to save (an upload never empties a stored report)
        return result
    if report is not None:
        result.report = (report.id, report.version, report.state)
    if report is not None and not _changes(before, after):
        result.kind = "unchanged"
        return result
    if (report is not None and report.version != row.version) or (report is None and row.version is not None):
        who = people.get(report.updated_by, report.updated_by) if report is not None else "他人"
        result.kind, result.theirs, result.yours = "conflict", before, after
        result.messages = [
            f"第{row.row}行：模板生成后，该报告已被 {who} 修改，本行未保存；请核对两个版本，"
            "在网页上修改，或重新下载模板后再填写"
        ]
        return result
    if report is not None and report.state not in ("draft", "returned"):
        result.kind, result.messages = (
            "locked",
            [f"第{row.row}行：该报告已报送，不能再修改（可请督查人员退回修改）"],
        )
        return result
    assert typed is not None
    lines = {t.target_id: t.row for t in row.targets}
    found = check_values(facts(item), typed.values, previous.get(item.id, {}), typed.narrative)
    errors = [f"第{lines.get(f.target_id, row.row)}行：{f.message}" for f in found if f.level == "error"]
    if errors:
        result.kind, result.messages = "invalid", errors
        return result
    result.warnings = [f.message for f in found if f.level == "warning"]
    result.kind, result.changes = ("new" if report is None else "change"), _changes(before, after)
    result.yours = after
    return result


def _input(row: FilledRow) -> ReportInput:
    typed = _read_row(row, {})
    assert isinstance(typed, _Typed)
    return ReportInput(typed.progress, typed.percent, typed.narrative, typed.values)


def apply_upload(
    sessions: SessionFactory, actor: Principal, data: bytes, today: date, submit: bool = False
) -> UploadPreview:
    """Save every row the preview (made again now) would save, in one go (`report_batch`); submit
    them too when asked, with the drafts left unchanged.  Returns the preview with each row's outcome."""
    filled = _read(data)
    preview = _preview(sessions, actor, filled)
    by_row = {r.row: r for r in filled.rows}
    chosen: list[tuple[RowResult, BatchRow]] = []
    for result in preview.rows:
        row = by_row[result.row]
        if result.kind in SAVED:
            chosen.append((result, BatchRow(item_id=row.item_id, data=_input(row), version=row.version)))
        elif (
            submit
            and result.kind == "unchanged"
            and result.report
            and result.report[2] in ("draft", "returned")
        ):
            chosen.append(
                (
                    result,
                    BatchRow(item_id=row.item_id, data=ReportInput(), version=result.report[1], save=False),
                )
            )
    outcomes = save_many(sessions, actor, filled.unit_id, filled.cycle, [b for _, b in chosen], today, submit)
    for (result, batch), outcome in zip(chosen, outcomes, strict=True):
        head = f"第{result.row}行："
        if isinstance(outcome.error, StaleVersion):
            result.kind, result.messages = "conflict", [f"{head}{outcome.error}；本行未保存"]
        elif isinstance(outcome.error, Invalid):
            reasons = list(outcome.error.fields.values()) or [str(outcome.error)]
            result.kind, result.messages = "invalid", [head + m for m in reasons]
        elif outcome.error is not None:
            result.kind, result.messages = "invalid", [f"{head}{outcome.error}"]
        else:
            result.saved, result.submitted = batch.save, outcome.submitted
            result.warnings = outcome.warnings if batch.save else result.warnings
            if outcome.submit_error is not None:
                result.messages.append(f"{head}已保存为草稿，但未能报送：{outcome.submit_error}")
    return preview


def _read(data: bytes) -> FilledTemplate:
    """The filled template, or `Invalid` with the reader's words (what to do)."""
    from eduplan.readers.errors import ReadError

    try:
        return read_template(data)
    except ReadError as exc:
        raise Invalid(str(exc)) from exc
