"""投递记录 (/deliveries) for office staff, leaders and administrators: every robot message, webhook
event and e-mail of their organisation — when, to whom, how many tries, sent or why it failed —
filtered by state and channel; a failed one can be sent again.  The same data at ``.json`` and
``GET /api/v1/deliveries``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from eduplan.services.notify import delivery_log
from eduplan.web.deps import Id, SessionsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.render import page, redirect

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 200


@page(router, "/deliveries", "deliveries/index.html")
def deliveries_page(
    request: Request,
    who: PageUser,
    sessions: SessionsDep,
    state: Annotated[str, Query(max_length=20)] = "",
    channel: Annotated[str, Query(max_length=20)] = "",
) -> delivery_log.DeliveryLog:
    """The newest deliveries in the user's scope."""
    return delivery_log.list_deliveries(sessions, who, state or None, channel or None, PAGE_SIZE)


@router.post("/deliveries/{delivery_id}/retry")
def retry(delivery_id: Id, who: FormUser, sessions: SessionsDep) -> Response:
    """Queue a failed delivery again."""
    delivery_log.retry(sessions, who, delivery_id)
    return redirect("/deliveries", "已重新排队发送")
