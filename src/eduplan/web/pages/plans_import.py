"""导入规划 pages: upload a document → a draft parsed in the background → the preview where staff
correct titles, unit lists and targets → confirm imports it into the registry.

- ``GET/POST /plans/import``: the upload form (office staff and administrators).  A file that is
  too large is refused from its Content-Length before the body is read; an empty, unsupported,
  malicious or unreadable file is shown again with the reason next to the file field, and nothing
  is kept.  Parsing runs in a background thread; the form waits briefly so small files go
  straight to their preview.
- ``GET /plans/import/{draft}``: progress while parsing (a page that refreshes itself; with JS,
  ``/static/plans-import.js`` polls ``progress.json`` instead), then the preview, which says what
  confirming will do: a new plan, the next version of a registered one (tasks added, removed,
  changed) or nothing new (`registry.preview`).
- ``POST /plans/import/{draft}/tasks/{index}``: one task's correction; ``…/confirm``, ``…/discard``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from eduplan.plan_json import plan_from_dict
from eduplan.services import drafts
from eduplan.services.draft_corrections import COMPARATORS, read_task_form, task_fields
from eduplan.services.errors import Invalid
from eduplan.services.plan_outline import Outline, outline
from eduplan.services.registry import ImportRejected, list_orgs
from eduplan.services.registry.preview import ImportPreview
from eduplan.web.deps import SessionsDep, SettingsDep
from eduplan.web.pages.access import FormUser, PageUser, check_form
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)
MULTIPART_OVERHEAD = 64 * 1024
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
    fixed = who.org_path if who.role == "office" and who.org_path else None
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
    declared = request.headers.get("content-length", "")
    too_large = declared.isdigit() and int(declared) > settings.max_upload_bytes + MULTIPART_OVERHEAD
    org, data, filename, token = "", b"", "", ""
    if not too_large:
        async with request.form(max_files=1, max_fields=4) as form:
            token = str(form.get("csrf_token") or "")
            org = str(form.get("org") or "").strip()
            upload = form.get("file")
            if isinstance(upload, UploadFile):
                data = await upload.read(settings.max_upload_bytes + 1)
                filename = upload.filename or "upload"
        check_form(request, who, token)

    def again(message: str, status: int) -> Response:
        ctx = _upload_page(sessions, settings, who, org, error=message, field="file")
        return render(request, "plans/import.html", ctx, status)

    if too_large or len(data) > settings.max_upload_bytes:
        from eduplan.readers.limits import megabytes

        return again(
            f"文件过大，上限为 {megabytes(settings.max_upload_bytes)}，请删去图片或拆分后再导入", 413
        )
    if not filename:
        return again("请选择要导入的文件（txt、docx、pdf 或 html）", 422)
    try:
        draft = await run_in_threadpool(drafts.create_draft, settings, who, data, filename, org or None)
    except ImportRejected as exc:
        return again(str(exc), 413 if exc.reason == "too_large" else 422)
    draft = await run_in_threadpool(drafts.wait_parsed, settings, who, draft.id, WAIT_SECONDS)
    if draft.state == "failed":
        await run_in_threadpool(drafts.discard_draft, settings, who, draft.id)
        return again(f"无法读取“{draft.filename}”：{draft.error}", 422)
    return redirect(f"/plans/import/{draft.id}")


@dataclass
class TaskForm:
    """The correction form of one task: its values (as typed when rejected) and errors."""

    index: int
    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    open: bool = False


@dataclass
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
    message: str | None = None
    preview: ImportPreview | None = None
    """What confirming will do (a new plan, the next version of which plan, or nothing new)."""
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
        forms = {k: TaskForm(k, task_fields(t)) for k, (_, t) in enumerate(plan.tasks())}
        preview = drafts.preview_draft(sessions, settings, who, draft, plan)
        inferred = preview.place or ""
        doubtful = {k: round(c * 100) for k, c in drafts.doubtful_tasks(plan, draft.doubts).items()}
    fixed = who.org_path if who.role == "office" and who.org_path else None
    orgs = [] if fixed else [o.path for o in list_orgs(sessions, limit=200).items]
    return DraftPage(
        draft.id, draft.filename, draft.size, draft.state, draft.progress, draft.stage, draft.error,
        draft.stalled, draft.expires_at, view, forms, org if org is not None else (draft.org or inferred),
        fixed, orgs, list(COMPARATORS.items()), sum(len(v) for v in draft.corrections.values()),
        preview=preview, doubtful=doubtful, doubts=[(t, round(c * 100)) for t, c in draft.doubts],
    )  # fmt: skip


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


@router.post("/plans/import/{draft_id}/tasks/{index}", response_class=HTMLResponse)
async def correct_task(
    request: Request, draft_id: str, index: int, who: FormUser, sessions: SessionsDep, settings: SettingsDep
) -> Response:
    """Save one task's correction; a rejected field is shown again with what was typed."""
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_correct, request, draft_id, index, who, sessions, settings, form)


def _correct(
    request: Request, draft_id: str, index: int, who: Any, sessions: Any, settings: Any, form: dict[str, str]
) -> Response:
    who.require_manager()
    draft = drafts.get_draft(settings, who, draft_id)
    if draft.plan is None:
        return redirect(f"/plans/import/{draft_id}", "文件尚未解析完成", "warn")
    tasks = plan_from_dict(draft.plan).tasks()
    if not 0 <= index < len(tasks):
        raise Invalid(f"第 {index} 项任务不存在")
    fix, errors = read_task_form(tasks[index][1], form)
    if errors:
        ctx = _draft_page(sessions, settings, who, draft_id)
        values = ctx.forms[index].values | {k: form.get(k, "") for k in ctx.forms[index].values}
        ctx.forms[index] = TaskForm(index, values, errors, open=True)
        return render(request, "plans/draft.html", ctx, 422)
    corrections = dict(draft.corrections)
    if fix:
        corrections[str(index)] = fix
    else:
        corrections.pop(str(index), None)
    drafts.save_corrections(settings, who, draft_id, corrections)
    number = tasks[index][1].number
    return redirect(
        f"/plans/import/{draft_id}#task-{index}", f"已保存第 {number} 项的校正" if fix else "已恢复为解析结果"
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
        if org.strip() and who.role != "office":
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


@router.post("/plans/import/{draft_id}/discard")
def discard(request: Request, draft_id: str, who: FormUser, settings: SettingsDep) -> Response:
    """Throw the draft away."""
    drafts.discard_draft(settings, who, draft_id)
    return redirect("/plans/import", "已放弃这份导入草稿")
