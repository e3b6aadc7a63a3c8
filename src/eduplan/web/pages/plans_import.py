"""导入规划 pages: upload a document → a draft parsed in the background → the preview where staff
correct titles, unit lists and targets → confirm imports it into the registry.

- ``GET/POST /plans/import``: the upload form (office staff and administrators).  A file that is
  too large is refused before the body is read (`web.body_limits`); an empty, unsupported,
  malicious or unreadable file is shown again with the reason next to the file field, and nothing
  is kept.  Parsing runs in a background thread; the form waits briefly so small files go
  straight to their preview.
- ``GET /plans/import/{draft}``: progress while parsing (a page that refreshes itself; with JS,
  ``/static/plans-import.js`` polls ``progress.json`` instead), then the preview, which says what
  confirming will do: a new plan, the next version of a registered one (tasks added, removed,
  changed) or nothing new (`registry.preview`).
- the correction forms post to `plans_import_corrections`; ``…/confirm``, ``…/discard``.
- ``POST /plans/import/{draft}/choice``: which plan to import when the file bundles several (a
  notice issuing several 方案); the preview lists them, the first chosen by default.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool

from eduplan.plan_json import plan_from_dict
from eduplan.services import draft_structure, drafts
from eduplan.services.draft_corrections import (
    COMPARATORS,
    correction_revision,
    structured_plan,
    task_fields,
)
from eduplan.services.pages.plan_outline import Outline, outline
from eduplan.services.registry import ImportRejected, list_orgs
from eduplan.services.registry.import_policy import fixed_org
from eduplan.services.registry.preview import ImportPreview
from eduplan.services.view_rows import from_row
from eduplan.web.body_limits import form_file
from eduplan.web.deps import SessionsDep, SettingsDep
from eduplan.web.pages.access import FormUser, PageUser, check_form
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)
WAIT_SECONDS = 2.0
STATUS_WORDS = {
    "created": "已导入",
    "revised": "已导入为新版本",
    "duplicate": "该文件此前已导入，未重复导入",
    "unchanged": "内容与现有版本相同，未建立新版本",
}


@dataclass
class UploadPage:
    org: str
    fixed_org: str | None
    orgs: list[str]
    limit_mb: str
    error: str | None = None
    field: str | None = None


def _upload_page(sessions: Any, settings: Any, who: Any, org: str = "", **extra: Any) -> UploadPage:
    from eduplan.readers.limits import megabytes

    who.require_manager()
    fixed = fixed_org(who)
    orgs = [] if fixed else [o.path for o in list_orgs(sessions, limit=200).items]
    return UploadPage(org, fixed, orgs, megabytes(settings.max_upload_bytes), **extra)


@page(router, "/plans/import", "plans/import.html")
def import_page(request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep) -> UploadPage:
    """The upload form."""
    return _upload_page(sessions, settings, who)


@router.post("/plans/import", response_class=HTMLResponse)
async def import_upload(
    request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """Receive a document: refuse it with the reason, or keep it as a draft and go to its preview."""
    who.require_manager()
    org, data, filename, token = "", b"", "", ""
    async with request.form(max_files=1, max_fields=4) as form:  # capped by `body_limits`
        token = str(form.get("csrf_token") or "")
        org = str(form.get("org") or "").strip()
        data, filename = await form_file(form, settings.max_upload_bytes, "upload")
    check_form(request, who, token)

    def again(message: str, status: int) -> Response:
        ctx = _upload_page(sessions, settings, who, org, error=message, field="file")
        return render(request, "plans/import.html", ctx, status)

    if len(data) > settings.max_upload_bytes:
        from eduplan.readers.limits import megabytes

        return again(
            f"文件过大，上限为 {megabytes(settings.max_upload_bytes)}，请删去图片或拆分后再导入", 413
        )
    if not filename:
        return again("请选择要导入的文件（txt、docx、pdf、html，或任务分工表 xlsx、xls、csv）", 422)
    try:
        draft = await run_in_threadpool(drafts.create_draft, settings, who, data, filename, org or None)
    except ImportRejected as exc:
        return again(str(exc), 413 if exc.reason == "too_large" else 422)
    draft = await run_in_threadpool(drafts.wait_parsed, settings, who, draft.id, WAIT_SECONDS)
    if draft.state == "failed":
        await run_in_threadpool(drafts.discard_draft, settings, who, draft.id)
        return again(f"无法读取“{draft.filename}”：{draft.error}", 422)
    return redirect(f"/plans/import/{draft.id}")


@dataclass(kw_only=True)
class TargetForm:
    """One target's fieldset: `prefix` names its fields (g0, a0), `text` the words it was read from
    (empty for a target staff added)."""

    prefix: str
    label: str
    text: str = ""


@dataclass(kw_only=True)
class TaskForm:
    """The correction form of one task: its values (as typed when rejected) and errors, its targets'
    fieldsets, its sentences (where it can be split) and the revision the form was made from."""

    index: int
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    open: bool = False
    targets: list[TargetForm] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    can_merge: bool = False
    rev: str = ""


def _task_form(index: int, parsed: Any, fix: dict[str, Any], last: bool, rev: str) -> TaskForm:
    targets = [
        TargetForm(prefix=f"g{k}", label=f"目标 {k + 1}", text=t.text) for k, t in enumerate(parsed.targets)
    ]
    added = fix.get("added_targets") or []
    targets += [TargetForm(prefix=f"a{j}", label=f"新增目标 {j + 1}") for j in range(len(added))]
    return TaskForm(
        index=index,
        values=task_fields(parsed, fix),
        targets=targets,
        sentences=draft_structure.sentences(parsed.text),
        can_merge=not last,
        rev=rev,
    )


@dataclass(kw_only=True)
class DraftPage:
    id: str
    filename: str
    size: int
    state: str
    progress: int
    stage: str
    error: str | None
    stalled: bool
    expires_at: str
    outline: Outline | None
    forms: dict[int, TaskForm]
    org: str
    fixed_org: str | None
    orgs: list[str]
    comparators: list[tuple[str, str]]
    corrections: int
    structure_rev: str = ""
    structure_edits: int = 0
    message: str | None = None
    preview: ImportPreview | None = None
    """What confirming will do (a new plan, the next version of which plan, or nothing new)."""
    choices: list[dict[str, Any]] = field(default_factory=list)
    """The plans of a file that bundles several (title, tasks); empty for one."""
    choice: int = 0
    doubtful: dict[int, int] = field(default_factory=dict)
    """Task index → lowest OCR confidence (percent) of its text, for tasks OCR was unsure of."""
    doubts: list[tuple[str, int]] = field(default_factory=list)
    """Every paragraph OCR was unsure of, with its confidence in percent."""


def _draft_page(sessions: Any, settings: Any, who: Any, draft_id: str, org: str | None = None) -> DraftPage:
    draft = drafts.get_draft(settings, who, draft_id)
    view: Outline | None = None
    forms: dict[int, TaskForm] = {}
    inferred = ""
    preview: ImportPreview | None = None
    doubtful: dict[int, int] = {}
    if draft.state == "ready":
        plan, _changes = drafts.corrected_plan(draft)
        view = outline(plan, draft.corrections)
        base = structured_plan(plan_from_dict(draft.plan or {}), draft.corrections)
        for ch in base.chapters:
            for pos, task in enumerate(ch.items):
                k = len(forms)
                fix = draft.corrections.get(str(k)) or {}
                rev = correction_revision(draft.corrections, k, draft.choice)
                forms[k] = _task_form(k, task, fix, pos == len(ch.items) - 1, rev)
        preview = drafts.preview_draft(sessions, settings, who, draft, plan)
        inferred = preview.place or ""
        doubtful = {k: round(c * 100) for k, c in drafts.doubtful_tasks(plan, draft.doubts).items()}
    fixed = fixed_org(who)
    orgs = [] if fixed else [o.path for o in list_orgs(sessions, limit=200).items]
    return from_row(
        DraftPage,
        draft,  # id, filename, size, state, progress, stage, error, stalled, expires_at, choices, choice
        outline=view,
        forms=forms,
        org=org if org is not None else (draft.org or inferred),
        fixed_org=fixed,
        orgs=orgs,
        comparators=list(COMPARATORS.items()),
        corrections=sum(len(v) for v in draft.corrections.values()),
        structure_rev=correction_revision(draft.corrections, None, draft.choice),
        structure_edits=len(draft.corrections.get(draft_structure.STRUCTURE) or []),
        preview=preview,
        doubtful=doubtful,
        doubts=[(t, round(c * 100)) for t, c in draft.doubts],
    )


@page(router, "/plans/import/{draft_id}", "plans/draft.html")
def draft_page(
    request: Request, draft_id: str, who: PageUser, sessions: SessionsDep, settings: SettingsDep
) -> DraftPage:
    """Progress while the document is parsed, then its preview with the correction forms."""
    who.require_manager()
    return _draft_page(sessions, settings, who, draft_id)


@router.get("/plans/import/{draft_id}/progress.json")
def draft_progress(request: Request, draft_id: str, who: PageUser, settings: SettingsDep) -> JSONResponse:
    """How far the parse is: state, percent, stage, error (polled by plans-import.js)."""
    d = drafts.get_draft(settings, who, draft_id, with_plan=False)
    return JSONResponse(
        {
            "state": d.state,
            "progress": d.progress,
            "stage": d.stage,
            "error": d.error,
            "url": f"/plans/import/{d.id}",
        }
    )


@router.post("/plans/import/{draft_id}/confirm", response_class=HTMLResponse)
def confirm(
    request: Request,
    draft_id: str,
    who: FormUser,
    sessions: SessionsDep,
    settings: SettingsDep,
    org: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    """Import the draft (corrections applied) and go to the plan."""
    try:
        if org.strip():
            drafts.set_org(settings, who, draft_id, org.strip())
        result = drafts.confirm_draft(sessions, settings, who, draft_id)
    except ImportRejected as exc:
        ctx = _draft_page(sessions, settings, who, draft_id, org)
        ctx.message = str(exc)
        return render(request, "plans/draft.html", ctx, 422)
    words = STATUS_WORDS[result.status]
    detail = f"《{result.title}》第 {result.version} 版"
    if result.status == "created" and result.diff is not None:
        detail += f"，共 {len(result.diff.added)} 项任务"
    elif result.status == "revised" and result.diff is not None:
        d = result.diff
        detail += f"（新增 {len(d.added)}，删除 {len(d.removed)}，修改 {len(d.changed)}）"
    kind = "ok" if result.created else "warn"
    return redirect(f"/plans/{result.plan_id}", f"{words}：{detail}", kind)


@router.post("/plans/import/{draft_id}/choice", response_class=HTMLResponse)
def choose(
    request: Request,
    draft_id: str,
    who: FormUser,
    settings: SettingsDep,
    plan: Annotated[int, Form(ge=0, lt=1000)] = 0,
) -> Response:
    """Preview (and import) another of the plans a file bundles."""
    try:
        draft = drafts.choose_plan(settings, who, draft_id, plan)
    except ImportRejected as exc:
        return redirect(f"/plans/import/{draft_id}", str(exc), "warn")
    title = draft.choices[draft.choice]["title"] if draft.choices else ""
    return redirect(f"/plans/import/{draft_id}", f"已改为导入《{title}》")


@router.post("/plans/import/{draft_id}/discard")
def discard(request: Request, draft_id: str, who: FormUser, settings: SettingsDep) -> Response:
    """Throw the draft away."""
    drafts.discard_draft(settings, who, draft_id)
    return redirect("/plans/import", "已放弃这份导入草稿")
