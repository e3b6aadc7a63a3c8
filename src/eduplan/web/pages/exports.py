"""导出: the exports page of a plan and its two downloads, scoped by the user's rights like every
loop query (a unit's reporter gets its own tasks and its own unit's reports only).

- /plans/{plan_id}/exports — both downloads, the choice of cycle (default the latest due) and an
  optional 截至日期 (?on=2024-05-10), with a printable preview of the bulletin's figures.
- /plans/{plan_id}/ledger.xlsx?on=… — the 台账 with current progress.
- /plans/{plan_id}/bulletin.docx?cycle=…&on=… — the 进展通报 of a cycle (cycle index from 0).

Downloads carry Chinese file names (``filename*=UTF-8''…``) and are built in memory.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from eduplan.export.names import bulletin_filename, ledger_filename
from eduplan.services.pages.exports import ExportsPage, attachment, exports_page
from eduplan.services.tracking.bulletin import bulletin
from eduplan.services.tracking.ledger_rows import progress_ledger
from eduplan.web.deps import Id
from eduplan.web.pages.context import PageCtx
from eduplan.web.pages.render import page

router = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
On = Annotated[date | None, Query(description="截至日期（默认今天）")]
CycleIndex = Annotated[int | None, Query(ge=0, description="报送周期（从 0 起；默认最近到期的一期）")]


@page(router, "/plans/{plan_id}/exports", "exports/index.html")
def exports(plan_id: int, ctx: PageCtx, cycle: CycleIndex = None, on: On = None) -> ExportsPage:
    """The downloads of a plan and the preview of its bulletin."""
    day = on or ctx.today
    return exports_page(ctx.sessions, ctx.settings, ctx.who, plan_id, day, cycle, on is not None)


@router.get("/plans/{plan_id}/ledger.xlsx")
def ledger_xlsx(plan_id: Id, ctx: PageCtx, on: On = None) -> Response:
    """The 台账 with current progress as xlsx."""
    from eduplan.export.ledger_progress import progress_ledger_bytes

    ledger = progress_ledger(ctx.sessions, ctx.settings, ctx.who, plan_id, on or ctx.today)
    name = ledger_filename(ledger.title, ledger.as_of)
    headers = {"Content-Disposition": attachment(name, f"ledger-{plan_id}.xlsx")}
    return Response(progress_ledger_bytes(ledger), media_type=XLSX, headers=headers)


@router.get("/plans/{plan_id}/bulletin.docx")
def bulletin_docx(
    plan_id: Id,
    ctx: PageCtx,
    cycle: CycleIndex = None,
    on: On = None,
    number: Annotated[str, Query(max_length=60, description="文号（办公室填写；留空按期次编号）")] = "",
    signer: Annotated[str, Query(max_length=40, description="签发人")] = "",
    printed_by: Annotated[str, Query(max_length=60, description="印发机关（版记）")] = "",
) -> Response:
    """The progress bulletin (进展通报) of a cycle as docx."""
    from eduplan.export.bulletin import Signing, bulletin_bytes

    found = bulletin(ctx.sessions, ctx.settings, ctx.who, plan_id, on or ctx.today, cycle)
    headers = {
        "Content-Disposition": attachment(
            bulletin_filename(found.plan_title, found.cycle.number),
            f"bulletin-{plan_id}-{found.cycle.number}.docx",
        )
    }
    signing = Signing(number, signer, printed_by)  # what the office wrote; nothing is made up
    return Response(bulletin_bytes(found, signing), media_type=DOCX, headers=headers)
