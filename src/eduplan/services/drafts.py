"""Import drafts (导入草稿): a document uploaded through the web pages, parsed in the background and
kept server-side until staff have checked (and corrected) it and confirm the import.

A draft is one `ImportDraft` row (revision 0014; before, a folder of the data directory), so any
server process behind the load balancer serves it: ``meta`` (owner, file name, state, progress,
chosen organisation, expiry, the plans found and which one is chosen), the source bytes as a blob
(`eduplan.services.blobs`), ``plans`` (the Plan JSON of every plan in the file: a notice may bundle
several), ``plan`` (the chosen one, once ready) and ``corrections``.  Every change is a
compare-and-swap on the row's ``revision`` (`_change`), so two processes never lose each other's
writes.  The id is random (unguessable) and a
draft is shown to its uploader only; drafts expire after `DRAFT_HOURS` and are swept whenever a
new one is made.  Nothing reaches the registry before `confirm_draft`, which imports the document
with the usual rules (`eduplan.services.registry.importing`: same bytes → duplicate, same plan →
next version) after applying the corrections (`eduplan.services.draft_corrections`) to the parsed
plan, and records them in the audit log in the same transaction.
`preview_draft` says beforehand what the confirmation will do (new plan, new version, nothing new).

Reading and parsing run in a child process under the configured limits (`eduplan.services.sandbox`).
A scan read by OCR reports its pages as they are done (第N页/共M页), and the paragraphs OCR was
unsure of are kept in ``doubts.json`` so that the preview marks the tasks they belong to.
Limits: a text document's progress is by stage (read, parsed); the parse runs in the process that
took the upload, and a restart of that process while a draft is being parsed leaves it "parsing"
until it expires (the page says so after `STALL_SECONDS`).
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from eduplan import domain
from eduplan.config import Settings
from eduplan.db.blobs import ImportDraft
from eduplan.db.engine import SessionFactory
from eduplan.plan_json import plan_from_dict, plan_to_dict
from eduplan.services import blobs
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.draft_corrections import Corrections, apply_corrections, correction_revision
from eduplan.services.errors import NotFound
from eduplan.services.registry.errors import Conflict, ImportRejected
from eduplan.services.registry.import_policy import fixed_org, import_place
from eduplan.services.registry.preview import ImportPreview, preview_import
from eduplan.services.sandbox import ParseLimits, limits_of, read_and_parse

_HAN = re.compile(r"[\u4e00-\u9fff]")

DRAFT_HOURS = 24
STALL_SECONDS = 600
DraftState = Literal["parsing", "ready", "failed"]
_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
_GONE = "找不到这份导入草稿（可能已过期或已导入）"


@dataclass
class Draft:
    """What the pages show of a draft; `plan` is the parsed Plan JSON (corrections not applied)."""

    id: str
    user_id: int | None
    username: str
    filename: str
    size: int
    created_at: str
    expires_at: str
    state: DraftState = "parsing"
    progress: int = 0
    stage: str = "正在读取文件"
    error: str | None = None
    org: str | None = None
    choices: list[dict[str, Any]] = field(default_factory=list)
    """The plans found in the file (title, tasks) when it bundles several; empty for one."""
    choice: int = 0
    """Which of `choices` is imported (its Plan JSON is `plan`)."""
    corrections: Corrections = field(default_factory=dict)
    plan: dict[str, Any] | None = None
    doubts: list[tuple[str, float]] = field(default_factory=list)
    """Paragraphs OCR read with low confidence (normalized text, confidence 0–1)."""

    @property
    def stalled(self) -> bool:
        """Still parsing long after it began (the server was restarted meanwhile)."""
        started = datetime.fromisoformat(self.created_at)
        return self.state == "parsing" and datetime.now(UTC) - started > timedelta(seconds=STALL_SECONDS)


def _check_id(draft_id: str) -> str:
    if not _ID.match(draft_id):
        raise NotFound(_GONE)
    return draft_id


def _row(settings: Settings, draft_id: str) -> ImportDraft | None:
    with blobs.sessions_for(settings)() as session:
        return session.get(ImportDraft, _check_id(draft_id))


def _change(
    settings: Settings, draft_id: str, change: Callable[[ImportDraft], dict[str, Any]]
) -> ImportDraft | None:
    """Apply `change(row)` (the columns to set) as a compare-and-swap on the row's revision, again
    on the row as it then stands when another thread or process changed it meanwhile; the row as
    read before the change (None when the draft is gone)."""
    sessions = blobs.sessions_for(settings)
    while True:
        row = _row(settings, draft_id)
        if row is None:
            return None
        values = change(row)
        with sessions.begin() as session:
            done = session.scalar(
                update(ImportDraft)
                .where(ImportDraft.id == draft_id, ImportDraft.revision == row.revision)
                .values(**values, revision=row.revision + 1)
                .returning(ImportDraft.id)
            )
        if done is not None:
            return row


def _update(settings: Settings, draft_id: str, **changes: Any) -> None:
    _change(settings, draft_id, lambda row: {"meta": dict(row.meta) | changes})


def _remove(session: Any, draft_id: str) -> None:
    sha = session.scalar(
        delete(ImportDraft).where(ImportDraft.id == draft_id).returning(ImportDraft.source_sha256)
    )
    if sha is not None:
        blobs.release(session, sha)


def sweep(settings: Settings, now: datetime | None = None) -> int:
    """Remove expired drafts; returns how many."""
    now = now or datetime.now(UTC)
    with blobs.sessions_for(settings).begin() as session:
        expired = session.scalars(select(ImportDraft.id).where(ImportDraft.expires_at < now)).all()
        for draft_id in expired:
            _remove(session, draft_id)
    return len(expired)


def _source(settings: Settings, draft_id: str) -> bytes:
    row = _row(settings, draft_id)
    with blobs.sessions_for(settings)() as session:
        data = None if row is None else blobs.get(session, row.source_sha256)
    if data is None:
        raise NotFound(_GONE)
    return data


def check_upload(settings: Settings, data: bytes, filename: str) -> None:
    """Refuse, before anything is written, a file that is empty, too large or not a document."""
    from eduplan.readers import ReadError
    from eduplan.readers.detect import detect_format
    from eduplan.readers.limits import megabytes

    if not data:
        raise ImportRejected("文件为空，请选择要导入的规划文件", "unreadable")
    if len(data) > settings.max_upload_bytes:
        raise ImportRejected(
            f"文件过大（{megabytes(len(data))}），上限为 {megabytes(settings.max_upload_bytes)}，"
            "请删去图片或拆分后再导入",
            "too_large",
        )
    try:
        detect_format(data, filename)
    except ReadError as exc:
        raise ImportRejected(str(exc), "unsupported") from exc


def _parse(settings: Settings, draft_id: str, data: bytes, filename: str, limits: ParseLimits) -> None:
    """The background job: read and parse in a child process under `limits` (`sandbox`), store the
    Plan JSON of each plan the file holds (or the reason it failed)."""
    from eduplan.parsing import ParseError
    from eduplan.readers import ReadError
    from eduplan.services.parse import error_message

    def progress(done: int, total: int) -> None:
        _update(
            settings,
            draft_id,
            progress=10 + 80 * done // max(total, 1),
            stage=f"正在识别文字：第{done}页/共{total}页",
        )

    def waiting() -> None:
        _update(settings, draft_id, stage="排队等待读取（其他文件正在处理）")

    try:
        document, parsed = read_and_parse(data, filename, limits, progress, waiting)
        _update(settings, draft_id, progress=90, stage=f"已读出 {len(document.lines)} 行，正在保存解析结果")
        plans = [plan_to_dict(plan) for plan in parsed]
        choices = [{"title": p["title"], "tasks": _task_count(p)} for p in plans] if len(plans) > 1 else []
        done = {"state": "ready", "progress": 100, "stage": "解析完成", "choices": choices, "choice": 0}
        _change(
            settings,
            draft_id,
            lambda row: {
                "meta": dict(row.meta) | done,
                "plans": plans,
                "plan": plans[0],
                "doubts": [list(d) for d in document.low_confidence],
                "lines": list(document.lines),
            },
        )
    except (ReadError, ParseError) as exc:
        _update(settings, draft_id, state="failed", progress=100, stage="无法解析", error=str(exc))
    except Exception as exc:
        _update(settings, draft_id, state="failed", progress=100, stage="无法解析", error=error_message(exc))


def _task_count(plan: dict[str, Any]) -> int:
    return sum(len(chapter.get("items") or []) for chapter in plan.get("chapters") or [])


def choose_plan(settings: Settings, actor: Principal, draft_id: str, index: int) -> Draft:
    """Import the `index`-th plan of a file that bundles several (its corrections start afresh)."""
    actor.require_manager()
    draft = get_draft(settings, actor, draft_id, with_plan=False)
    if draft.state != "ready":
        raise ImportRejected("文件尚未解析完成，请稍候", "unparsable")
    if not 0 <= index < max(len(draft.choices), 1):
        raise ImportRejected("文件中没有所选的这份计划", "unparsable")
    if index != draft.choice:
        _change(
            settings,
            draft_id,
            lambda row: {
                "plan": (row.plans or [])[index],
                "corrections": {},
                "meta": dict(row.meta) | {"choice": index},
            },
        )
    return get_draft(settings, actor, draft_id)


def create_draft(
    settings: Settings, actor: Principal, data: bytes, filename: str, org: str | None = None
) -> Draft:
    """Keep an upload as a draft of `actor` (office staff) and start parsing it in the background."""
    actor.require_manager()
    check_upload(settings, data, filename)
    sweep(settings)
    now = datetime.now(UTC)
    draft = Draft(
        id=secrets.token_urlsafe(18),
        user_id=actor.user_id,
        username=actor.username,
        filename=filename[-200:] or "upload",
        size=len(data),
        created_at=now.isoformat(),
        expires_at=(now + timedelta(hours=DRAFT_HOURS)).isoformat(),
        progress=10,
        org=None if fixed_org(actor) else org,
    )
    meta = asdict(draft)
    del meta["plan"], meta["corrections"], meta["doubts"]
    with blobs.sessions_for(settings).begin() as session:
        sha = blobs.put(session, data)
        session.add(
            ImportDraft(
                id=draft.id,
                user_id=actor.user_id,
                username=actor.username,
                expires_at=now + timedelta(hours=DRAFT_HOURS),
                source_sha256=sha,
                meta=meta,
                corrections={},
                revision=0,
            )
        )
    args = (settings, draft.id, data, draft.filename, limits_of(settings))
    threading.Thread(target=_parse, args=args, daemon=True).start()
    return draft


def get_draft(settings: Settings, actor: Principal, draft_id: str, with_plan: bool = True) -> Draft:
    """A draft of `actor` (another user's, or an expired one, is not found)."""
    return _draft_of(_row(settings, draft_id), actor, with_plan)


def _draft_of(row: ImportDraft | None, actor: Principal, with_plan: bool) -> Draft:
    if row is None:
        raise NotFound(_GONE)
    meta = row.meta
    if meta.get("user_id") != actor.user_id or meta.get("username") != actor.username:
        raise NotFound(_GONE)
    if datetime.fromisoformat(meta["expires_at"]) < datetime.now(UTC):
        raise NotFound("这份导入草稿已过期，请重新上传")
    draft = Draft(**meta, corrections=dict(row.corrections))
    if with_plan and draft.state == "ready":
        draft.plan = row.plan
        draft.doubts = [(str(t), float(c)) for t, c in row.doubts or []]
    return draft


def doubtful_tasks(plan: domain.Plan, doubts: list[tuple[str, float]]) -> dict[int, float]:
    """Task index → the lowest OCR confidence among the paragraphs of that task's text."""
    out: dict[int, float] = {}
    probes = [("".join(_HAN.findall(line))[:16], confidence) for line, confidence in doubts]
    for index, (_chapter, task) in enumerate(plan.tasks()):
        text = "".join(_HAN.findall(f"{task.title}{task.text}{task.units_text or ''}"))
        for probe, confidence in probes:
            if len(probe) >= 4 and probe in text:
                out[index] = min(out.get(index, 1.0), confidence)
    return out


def wait_parsed(settings: Settings, actor: Principal, draft_id: str, seconds: float) -> Draft:
    """The draft once parsed, or as it stands after `seconds` (small files are done at once)."""
    deadline = time.monotonic() + seconds
    while True:
        draft = get_draft(settings, actor, draft_id, with_plan=False)
        if draft.state != "parsing" or time.monotonic() >= deadline:
            return draft
        time.sleep(0.05)


def discard_draft(settings: Settings, actor: Principal, draft_id: str) -> None:
    """Delete a draft of `actor`."""
    get_draft(settings, actor, draft_id, with_plan=False)
    with blobs.sessions_for(settings).begin() as session:
        _remove(session, draft_id)


def save_corrections(settings: Settings, actor: Principal, draft_id: str, corrections: Corrections) -> Draft:
    """Replace a ready draft's corrections (already checked by `draft_corrections.read_task_form`)."""
    return update_corrections(settings, actor, draft_id, lambda _plan, _now: corrections)


def update_corrections(
    settings: Settings,
    actor: Principal,
    draft_id: str,
    change: Callable[[domain.Plan, Corrections], Corrections],
    revision: str | None = None,
    index: int | None = None,
) -> Draft:
    """Change a ready draft's corrections as they stand now: `change(plan, current)` gives the new
    ones.  `revision` is what the form was made from (`draft_corrections.revision` of the structure
    and task `index`); when the draft changed there meanwhile (another window, another person),
    nothing is saved and `Conflict` says so, so neither change is lost unseen."""
    actor.require_manager()
    made: list[tuple[Draft, Corrections]] = []

    def corrected(row: ImportDraft) -> dict[str, Any]:
        draft = _draft_of(row, actor, with_plan=True)
        if draft.state != "ready" or draft.plan is None:
            raise ImportRejected("文件尚未解析完成，不能校正", "unparsable")
        if revision is not None and revision != correction_revision(draft.corrections, index, draft.choice):
            raise Conflict("这份草稿已被他人修改（或在另一窗口中修改），请刷新页面，核对后再保存")
        plan = plan_from_dict(draft.plan)
        corrections = change(plan, dict(draft.corrections))
        apply_corrections(plan, corrections)  # refuses a correction of no task
        made.append((draft, corrections))
        return {"corrections": corrections}

    if _change(settings, draft_id, corrected) is None:
        raise NotFound(_GONE)
    draft, corrections = made[-1]
    draft.corrections = corrections
    return draft


def set_org(settings: Settings, actor: Principal, draft_id: str, org: str) -> None:
    """Choose the organisation a draft is imported into (administrators; office staff always
    import into their own: `import_policy`)."""
    actor.require_manager()
    if fixed_org(actor) is not None:
        return
    get_draft(settings, actor, draft_id, with_plan=False)
    if len(org) > 200:
        raise ImportRejected("机构名称过长", "no_organisation")
    _update(settings, draft_id, org=org)


def corrected_plan(draft: Draft) -> tuple[domain.Plan, list[dict[str, Any]]]:
    """The draft's plan with its corrections applied, and what each correction changed."""
    if draft.plan is None:
        raise ImportRejected("文件尚未解析完成", "unparsable")
    return apply_corrections(plan_from_dict(draft.plan), draft.corrections)


def _lines(settings: Settings, draft_id: str) -> list[str] | None:
    with blobs.sessions_for(settings)() as session:
        return session.scalar(select(ImportDraft.lines).where(ImportDraft.id == draft_id))


def confirm_draft(sessions: SessionFactory, settings: Settings, actor: Principal, draft_id: str) -> Any:
    """Import a ready draft into the registry (its corrections applied and audited); the draft is
    removed.  Returns the `ImportResult`; office staff import into their own organisation."""
    from eduplan.services.registry import importing

    actor.require_manager()
    draft = get_draft(settings, actor, draft_id)
    if draft.state != "ready":
        raise ImportRejected(draft.error or "文件尚未解析完成，请稍候", "unparsable")
    data = _source(settings, draft_id)
    sha = importing.source_sha(data, draft.choice)
    # parsed once: the lines and the plan (with its source positions) as the background parse kept
    # them; a draft parsed before revision 0015 kept no lines and is read again
    lines = _lines(settings, draft_id)
    if lines is not None and draft.plan is not None:
        parsed, media_type = plan_from_dict(draft.plan), importing.media_type_for(data, draft.filename)
    else:
        lines, parsed, media_type = importing.read_document(
            data, draft.filename, draft.choice, limits_of(settings)
        )
    plan, changes = apply_corrections(parsed, draft.corrections)
    with sessions() as session:
        place = import_place(session, actor, plan, draft.org)
    if not place:
        raise ImportRejected("无法从文件中识别发文单位所在地区，请选择所属机构", "no_organisation")
    try:
        # `store_document` is the import's own transaction body: here it shares the transaction
        # with the audit entry of the corrections, so that both are written or neither
        with sessions.begin() as session:
            result = importing.store_document(
                session, actor, data, sha, draft.filename, media_type, lines, plan, place
            )
            if changes and result.created:
                record(
                    session,
                    actor,
                    "import_corrections",
                    "plan",
                    result.plan_id,
                    None,
                    result.org_id,
                    {
                        "version": result.version,
                        "filename": draft.filename,
                        "parsed": [c["before"] for c in changes],
                    },
                    {"version": result.version, "corrected": changes},
                )
    except IntegrityError as exc:
        with sessions() as session:
            found = importing.existing_import(session, sha, draft.filename)
        if found is None:
            raise Conflict("另一导入同时修改了同一计划，请重试") from exc
        result = found
    with blobs.sessions_for(settings).begin() as session:
        _remove(session, draft_id)
    return result


def preview_draft(
    sessions: SessionFactory, settings: Settings, actor: Principal, draft: Draft, plan: domain.Plan
) -> ImportPreview:
    """What confirming `draft` (its corrected `plan`) would do, worked out without writing."""
    from eduplan.services.registry.importing import source_sha

    data = _source(settings, draft.id)
    with sessions() as session:
        place = import_place(session, actor, plan, draft.org)
    return preview_import(sessions, plan, place, source_sha(data, draft.choice))
