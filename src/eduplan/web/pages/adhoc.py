"""新建交办事项 (/adhoc/new, issue 14): office staff create a 批示件, 会议议定事项, 上级交办 item, a 人大建议
or 政协提案, or a 常态化 duty that recurs (每周/每月/每季度), optionally with the scanned file, which is read
(OCR) when no text is typed.  The item is then an ordinary task (/items/{id}) that its units sign,
report on and close.  /adhoc/{id}/attachment serves the file to whoever may read the task.  The rules
live in `services.loop.adhoc`; this module parses the multipart form and shows what the service says.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import quote

from fastapi import APIRouter, Request, Response
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from eduplan.readers.limits import megabytes
from eduplan.services.errors import Invalid
from eduplan.services.loop.adhoc import AdhocInput, Attachment, create_item
from eduplan.services.pages.adhoc import AdhocForm, adhoc_form
from eduplan.services.tracking.adhoc import attachment_of
from eduplan.web.deps import MAX_INT, Id, SessionsDep, SettingsDep, Today
from eduplan.web.pages.access import PageUser, check_form
from eduplan.web.pages.render import page, redirect, render

router = APIRouter(include_in_schema=False)
SAFE_TYPES = frozenset({"image/png", "image/jpeg", "image/tiff", "application/pdf"})
"""Attachment types served as such; anything else (an uploader's claim) as a plain download."""
TEMPLATE = "adhoc/new.html"
FIELDS = (
    ("事项来源", "source"),
    ("重复", "recurrence"),
    ("责任单位", "lead_unit"),
    ("名称", "title"),
    ("附件", "file"),
    ("交办日期", "given_on"),
    ("时限", "deadline"),
    ("日期", "deadline"),
)


@page(router, "/adhoc/new", TEMPLATE)
def new_adhoc(request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep) -> AdhocForm:
    """The form (office staff)."""
    return adhoc_form(sessions, who, megabytes(settings.max_upload_bytes))


def _id(value: str) -> int | None:
    return int(value) if value.strip().isdigit() and int(value) <= MAX_INT else None


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()) if value.strip() else None
    except ValueError:
        raise Invalid("交办日期请写成 2024-03-01 这样的日期") from None


@router.post("/adhoc/new", response_class=HTMLResponse)
async def create(
    request: Request, who: PageUser, sessions: SessionsDep, settings: SettingsDep, today: Today
) -> Response:
    """Create the item and go to its task page; or the form again, the message beside its field."""
    who.require_manager()
    values: dict[str, str] = {}
    supports: list[str] = []
    data, filename, media_type, token = b"", "", "", ""
    async with request.form(max_files=1, max_fields=60) as form:  # capped by `body_limits`
        token = str(form.get("csrf_token") or "")
        values = {k: str(form.get(k) or "") for k in AdhocFormFields}
        supports = [str(s) for s in form.getlist("support_units")]
        upload = form.get("file")
        if isinstance(upload, UploadFile) and upload.filename:
            data = await upload.read(settings.max_upload_bytes + 1)
            filename, media_type = upload.filename, upload.content_type or "application/octet-stream"
    check_form(request, who, token)
    errors: dict[str, str] = {}
    if len(data) > settings.max_upload_bytes:
        errors["file"] = f"附件过大，上限为 {megabytes(settings.max_upload_bytes)}，请只扫描批示页"
    if not errors:
        try:
            given = AdhocInput(
                source=values["source"],
                title=values["title"],
                text=values["text"],
                reference=values["reference"],
                proposer=values["proposer"],
                deadline=values["deadline"],
                lead_unit_id=_id(values["lead_unit"]),
                support_unit_ids=tuple(i for s in supports if (i := _id(s)) is not None),
                recurrence=values["recurrence"] or None,
                attachment=Attachment(filename=filename, data=data, media_type=media_type) if data else None,
            )
            made = await run_in_threadpool(create_item, sessions, who, given, today, _day(values["given_on"]))
        except Invalid as exc:
            message = str(exc)
            errors[next((name for word, name in FIELDS if word in message), "title")] = message
        else:
            note = "（内容由附件识别，请核对）" if made.text_from_attachment else ""
            return redirect(f"/items/{made.item_id}", f"已创建交办事项：{made.title}{note}，等待责任单位签收")
    ctx = adhoc_form(sessions, who, megabytes(settings.max_upload_bytes))
    ctx.values, ctx.supports, ctx.errors = ctx.values | values, supports, errors
    return render(request, TEMPLATE, ctx, 413 if "过大" in errors.get("file", "") else 422)


AdhocFormFields = (
    "source",
    "title",
    "text",
    "proposer",
    "reference",
    "deadline",
    "lead_unit",
    "recurrence",
    "given_on",
)


@router.get("/adhoc/{item_id}/attachment")
def attachment(item_id: Id, who: PageUser, sessions: SessionsDep) -> Response:
    """The scanned file of a 交办事项, to whoever may read the task."""
    found = attachment_of(sessions, who, item_id)
    media_type = found.media_type if found.media_type in SAFE_TYPES else "application/octet-stream"
    disposition = f"attachment; filename*=UTF-8''{quote(found.filename)}"
    return Response(
        found.data,
        media_type=media_type,
        headers={"Content-Disposition": disposition, "X-Content-Type-Options": "nosniff"},
    )
