"""通知设置 (/admin/notify), for administrators: the group robots of each organisation (DingTalk,
signed; WeCom) and the webhook subscriptions of other systems — listed, added (a subscription's
signing secret shown once on the answer) and removed.  Changing one in place is the API's
(``PUT /api/v1/robots/{id}``, ``/webhooks/{id}``).  Plain CSRF-checked forms, no JavaScript.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import HTMLResponse
from pydantic import BaseModel, Field

from eduplan.db.engine import SessionFactory
from eduplan.services import registry as reg
from eduplan.services.accounts import Principal
from eduplan.services.errors import Forbidden, Invalid
from eduplan.services.notify import robot_settings, subscriptions
from eduplan.services.notify.robots import KINDS
from eduplan.services.notify.webhooks import EVENTS
from eduplan.web.deps import Id, SessionsDep
from eduplan.web.pages.access import FormUser, PageUser
from eduplan.web.pages.render import page, redirect, render
from eduplan.web.pages.supervision import as_id

router = APIRouter(include_in_schema=False)
ORG_LIMIT = 1000


@dataclass
class NotifyAdminPage:
    robots: list[robot_settings.RobotView]
    subscriptions: list[subscriptions.SubscriptionView]
    orgs: list[tuple[int, str]]
    kinds: dict[str, str] = field(default_factory=lambda: dict(KINDS))
    events: dict[str, str] = field(default_factory=lambda: dict(EVENTS))
    form: str = ""
    """Which form `values` and `errors` belong to: robot or webhook."""
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    error: str | None = None
    new_secret: str | None = None
    new_secret_name: str | None = None


def build(sessions: SessionFactory, who: Principal, **extra: object) -> NotifyAdminPage:
    """Robots, subscriptions, and the organisations to choose from."""
    if not who.is_admin:
        raise Forbidden("只有管理员可以设置群机器人和 Webhook 订阅")
    orgs = [(o.id, o.path) for o in reg.list_orgs(sessions, None, ORG_LIMIT, 0).items]
    return NotifyAdminPage(
        robot_settings.list_robots(sessions, who),
        subscriptions.list_subscriptions(sessions, who),
        orgs,
        **extra,  # type: ignore[arg-type]
    )


@page(router, "/admin/notify", "admin/notify.html")
def notify_page(request: Request, who: PageUser, sessions: SessionsDep) -> NotifyAdminPage:
    """Group robots and webhook subscriptions."""
    return build(sessions, who)


def _again(
    request: Request,
    who: Principal,
    sessions: SessionFactory,
    form: str,
    exc: Invalid,
    values: dict[str, str],
) -> Response:
    data = build(sessions, who, form=form, values=values, errors=exc.fields, error=str(exc))
    return render(request, "admin/notify.html", data, 422)


class RobotForm(BaseModel):
    """The add-a-robot form as typed; all but the secret is kept when it is refused."""

    org_id: str = Field("", max_length=20)
    kind: str = Field("", max_length=20)
    name: str = Field("", max_length=300)
    url: str = Field("", max_length=1100)
    secret: str = Field("", max_length=300)


@router.post("/admin/notify/robots", response_class=HTMLResponse)
def add_robot(
    request: Request, who: FormUser, sessions: SessionsDep, typed: Annotated[RobotForm, Form()]
) -> Response:
    """Add a robot to an organisation."""
    try:
        org = as_id(typed.org_id)
        if org is None:
            raise Invalid("请选择机构", fields={"org_id": "请选择机构"})
        given = robot_settings.RobotInput(org, typed.kind, typed.name, typed.url, typed.secret or None)
        robot_settings.save_robot(sessions, who, given)
    except Invalid as exc:
        return _again(request, who, sessions, "robot", exc, typed.model_dump(exclude={"secret"}))
    return redirect("/admin/notify#robots", f"已添加机器人“{typed.name.strip()}”")


@router.post("/admin/notify/robots/{robot_id}/delete")
def delete_robot(robot_id: Id, who: FormUser, sessions: SessionsDep) -> Response:
    """Remove a robot."""
    robot_settings.delete_robot(sessions, who, robot_id)
    return redirect("/admin/notify#robots", "机器人已删除")


@router.post("/admin/notify/webhooks", response_class=HTMLResponse)
async def add_webhook(request: Request, who: FormUser, sessions: SessionsDep) -> Response:
    """Subscribe another system; its signing secret is shown on this answer only."""
    form = await request.form()
    text = {k: str(form.get(k, ""))[:1100] for k in ("name", "url", "org_id", "secret")}
    events = [str(e) for e in form.getlist("events")][: len(EVENTS)]
    try:
        given = subscriptions.SubscriptionInput(
            text["name"], text["url"], events, as_id(text["org_id"]), True, text["secret"].strip() or None
        )
        saved = subscriptions.save_subscription(sessions, who, given)
    except Invalid as exc:
        return _again(request, who, sessions, "webhook", exc, text | {"events": ",".join(events)})
    data = build(sessions, who, new_secret=saved.secret, new_secret_name=saved.subscription.name)
    return render(request, "admin/notify.html", data, 201)


@router.post("/admin/notify/webhooks/{sub_id}/delete")
def delete_webhook(sub_id: Id, who: FormUser, sessions: SessionsDep) -> Response:
    """Remove a subscription."""
    subscriptions.delete_subscription(sessions, who, sub_id)
    return redirect("/admin/notify#webhooks", "Webhook 订阅已删除")
