"""The one-page report form (/my/report): every slot a unit owes, each a row of status, percent,
narrative, actual values and evidence files; saved as drafts or submitted together.

How a post is handled, so that nothing typed is ever lost (issue 15: a wrong row no longer blocks the others):
1. every row is read and checked first (numbers, the status/percent pair, evidence files by content
   and against their names); a wrong row is not written and comes back as typed with each message
   next to its field, its accepted files held on the server (`web.pages.report_holding`), while
   the right rows are saved;
2. then each row is saved (and its files attached, and submitted) by the services, row by row;
   a row refused there (someone else saved the same report: 409 with who changed what; another
   unit's task: refused) comes back as typed with its message, while the rows that went through
   show their new state.  A stale row takes the current version, so saving again applies the
   typed values deliberately, after the other person's have been seen.
Rows left untouched (no report yet and nothing typed) are skipped.  Files cannot be put back into a
browser's file input: a row that failed asks for its files again.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from starlette.datastructures import FormData, UploadFile

from eduplan.choices import number_text
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services import loop
from eduplan.services.accounts import Principal
from eduplan.services.errors import Conflict, Forbidden, Invalid, NotFound, StaleVersion
from eduplan.services.held_files import held
from eduplan.services.loop.evidence import checked
from eduplan.services.pages.my_work import MySlot, MyWork, my_work
from eduplan.services.pages.task import FIELD_LABELS, stale_message
from eduplan.services.report_carry import CarriedOver, carried_over
from eduplan.services.tracking.value_rules import DEFAULT_PERCENT, PROGRESS_LABELS, status_problems

MAX_ROWS = 300


@dataclass(kw_only=True)
class RowState:
    """One row as typed, with its messages by field (``row`` for the row as a whole)."""

    item_id: int
    cycle: int
    version: str = ""
    progress: str = ""
    percent: str = ""
    narrative: str = ""
    values: dict[int, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    theirs: dict[str, Any] | None = None
    files: list[tuple[str, bytes]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    """What the value rules flagged when the row was saved (shown to the reviewer too)."""
    carried_from: int | None = None
    """The earlier cycle whose report prefilled this row (最多报一次, `report_carry`)."""
    held: list[tuple[str, str]] = field(default_factory=list)
    """(token, file name) of the files held on the server for this row (`services.held_files`)."""

    @property
    def touched(self) -> bool:
        return bool(
            self.version
            or self.progress
            or self.percent.strip()
            or self.narrative.strip()
            or any(v.strip() for v in self.values.values())
            or self.files
        )


@dataclass(kw_only=True)
class ReportPage:
    work: MyWork
    rows: list[tuple[MySlot, RowState]]
    progress_options: list[tuple[str, str]]
    message: str | None = None
    stray: list[str] = field(default_factory=list)


def state_of(slot: MySlot, carried: CarriedOver | None = None) -> RowState:
    """A row as the stored report has it; for a report not begun, the unit's last report carried
    over (saved like typed input, so an unchanged task is reported once more without retyping), or
    empty."""
    r = slot.report
    if r is None and carried is not None:
        return RowState(
            item_id=slot.item_id,
            cycle=slot.cycle,
            version="",
            progress=carried.progress,
            percent=_num(carried.percent),
            narrative=carried.narrative,
            values={t: _num(x) for t, x in carried.values.items()},
            carried_from=carried.cycle,
        )
    if r is None:
        return RowState(item_id=slot.item_id, cycle=slot.cycle)
    return RowState(
        item_id=slot.item_id,
        cycle=slot.cycle,
        version=str(r.version),
        progress=r.progress,
        percent=_num(r.percent),
        narrative=r.narrative,
        values={x.target_id: _num(x.actual) for x in r.values},
    )


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def report_page(
    sessions: SessionFactory, who: Principal, on: date, typed: dict[tuple[int, int], RowState] | None = None
) -> ReportPage:
    """The form: each slot with what is stored, or with what was typed when given."""
    work = my_work(sessions, who, on)
    typed = typed or {}
    carried: dict[int, CarriedOver] = {}
    begun = [s for s in work.slots if s.report is None and (s.item_id, s.cycle) not in typed]
    if begun and who.unit_id is not None:
        with sessions() as session:
            carried = carried_over(session, who.unit_id, {s.item_id: s.cycle for s in begun})
    rows = [
        (
            s,
            typed.get((s.item_id, s.cycle))
            or state_of(s, carried.get(s.item_id) if s.report is None else None),
        )
        for s in work.slots
    ]
    return ReportPage(work=work, rows=rows, progress_options=list(PROGRESS_LABELS.items()))


def _text(form: FormData, name: str, limit: int = 20000) -> str:
    value = form.get(name, "")
    return value[:limit] if isinstance(value, str) else ""


def read_rows(form: FormData, settings: Settings, user_id: int | None = None) -> list[RowState]:
    """Every row of a post, checked; problems are left in each row's `errors`.  Files the user
    holds from an earlier post (`held_files`) come back with their row."""
    try:
        count = min(int(_text(form, "slots") or 0), MAX_ROWS)
    except ValueError:
        count = 0
    rows = []
    for k in range(count):
        p = f"s{k}-"
        try:
            row = RowState(item_id=int(_text(form, p + "item")), cycle=int(_text(form, p + "cycle")))
        except ValueError:
            continue
        row.version = _text(form, p + "version", 20)
        row.progress = _text(form, p + "progress", 20)
        row.percent = _text(form, p + "percent", 20)
        row.narrative = _text(form, p + "narrative")
        for key in form:
            if key.startswith(p + "t") and key[len(p) + 1 :].isdigit():
                row.values[int(key[len(p) + 1 :])] = _text(form, key, 40)
        for upload in form.getlist(p + "files"):
            if isinstance(upload, UploadFile) and upload.filename:
                row.files.append((upload.filename, upload.file.read(settings.evidence_max_bytes + 1)))
        for token in form.getlist(p + "held"):
            if not isinstance(token, str) or user_id is None:
                continue
            kept = held(settings, user_id, token)
            if kept is not None:
                row.files.append(kept)
                row.held.append((token, kept[0]))
        _check(row, settings)
        rows.append(row)
    return rows


def _num_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _number(text: str) -> float | None:
    return float(text.strip().replace(",", "").replace("，", "").rstrip("%％"))


def _check(row: RowState, settings: Settings) -> None:
    """The form's own part is reading the typed text; what the values mean is checked by the
    service's rules (`value_rules`), the status/percent pair here too so that no row is saved."""
    if not row.touched:
        return
    text = row.percent.strip()
    try:
        value = _number(text) if text else None
    except ValueError:
        row.errors["percent"] = "请填写数字，如 40 或 62.5"
    else:
        row.errors.update(status_problems(row.progress, value))  # the service's rule, not a copy
        if value is None and "percent" not in row.errors:
            row.percent = _num_text(DEFAULT_PERCENT[row.progress])
    for target_id, typed in row.values.items():
        if typed.strip():
            try:
                if not math.isfinite(_number(typed) or 0):
                    raise ValueError(typed)
            except ValueError:
                row.errors[f"t{target_id}"] = "请填写数字"
    problems = []
    for name, data in row.files:
        try:
            checked(settings, name, data)  # the evidence service's one rule: content, then name
        except Invalid as exc:
            problems.append(f"{name}：{exc}")
    if problems:
        row.errors["files"] = "；".join(problems) + "。请重新选择文件"


def _input(row: RowState) -> loop.ReportInput:
    values = {t: float(_number(x) or 0) for t, x in row.values.items() if x.strip()}
    return loop.ReportInput(row.progress, float(_number(row.percent) or 0), row.narrative.strip(), values)


def _unchanged(row: RowState, slot: MySlot | None) -> bool:
    if slot is None or slot.report is None or row.files:
        return False
    stored = state_of(slot)
    return (
        stored.progress,
        stored.percent,
        stored.narrative.strip(),
        {k: v for k, v in stored.values.items()},
    ) == (
        row.progress,
        _num(float(_number(row.percent) or 0)),
        row.narrative.strip(),
        {k: _num(float(_number(v) or 0)) for k, v in row.values.items() if v.strip()},
    )


def save_rows(
    sessions: SessionFactory,
    settings: Settings,
    who: Principal,
    rows: list[RowState],
    slots: dict[tuple[int, int], MySlot],
    submit: bool,
    today: date,
) -> int:
    """Save (and submit) each touched row; returns how many went through, errors left in rows."""
    done = 0
    for row in rows:
        if not row.touched:
            continue
        slot = slots.get((row.item_id, row.cycle))
        version = int(row.version) if row.version.isdigit() else None
        try:
            if who.unit_id is None:
                raise Forbidden("只有单位填报员可以填报")
            if _unchanged(row, slot) and slot and slot.report:
                report_id, version = slot.report.id, slot.report.version
            else:
                saved = loop.save_report(
                    sessions, who, row.item_id, who.unit_id, row.cycle, _input(row), version, today
                )
                report_id, version = saved.id, saved.version
                row.version, row.warnings = str(version), saved.warnings
            for name, data in row.files:
                loop.add_evidence(sessions, settings, who, report_id, name, data)
            row.files = []
            if submit:
                loop.submit_report(sessions, who, report_id, version)
            done += 1
        except StaleVersion as exc:
            row.errors["row"] = "报告" + stale_message(exc)
            row.version = str(exc.details.current_version)
            current = exc.details.current
            row.theirs = {
                FIELD_LABELS.get(k, k): (
                    PROGRESS_LABELS.get(val, val)
                    if k == "progress"
                    else number_text(val)
                    if isinstance(val, float)
                    else val  # 30, not 30.0
                )
                for k, val in current.items()
                if k in ("progress", "percent", "narrative")
            }
        except Invalid as exc:  # a value rule names its field: the message goes beside that input
            if exc.fields:
                row.errors.update(exc.fields)
            else:
                row.errors["row"] = str(exc)
        except (Conflict, Forbidden, NotFound) as exc:
            row.errors["row"] = str(exc)
        if row.errors and row.files:
            row.errors.setdefault("files", "文件未上传，请重新选择")
    return done
