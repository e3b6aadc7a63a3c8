"""Group robots per organisation, set by an administrator (page /admin/notify and /api/v1/robots):
each city and district its own DingTalk or WeCom robot, which gets that organisation's daily digests.

A DingTalk robot must carry its 加签 secret (``SEC…``): unsigned robots are what issue 17 retires.
The robot's URL holds its access token, so views show it masked and never show the secret; every
change is audited (with the secret left out).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy.orm import Session

from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Organisation
from eduplan.db.outbound import OrgRobot
from eduplan.services.accounts.principal import Principal
from eduplan.services.audit import record
from eduplan.services.clock import utcnow
from eduplan.services.errors import Forbidden, Invalid, NotFound
from eduplan.services.notify.robots import KINDS
from eduplan.services.notify.settings_rows import delete_setting, list_settings, web_address
from eduplan.services.view_rows import from_row


@dataclass
class RobotInput:
    """A robot as an administrator sets it; `secret` None on a change keeps the stored one."""

    org_id: int
    kind: str
    name: str
    url: str
    secret: str | None = None
    active: bool = True


@dataclass(kw_only=True)
class RobotView:
    id: int
    org_id: int
    org_name: str
    kind: str
    kind_label: str
    name: str
    url: str
    """Masked: scheme, host and path, the token's last four characters."""
    signed: bool
    active: bool
    updated_by: str
    updated_at: datetime


def mask(url: str) -> str:
    """``https://oapi.dingtalk.com/robot/send?access_token=…1a2b``."""
    parts = urlsplit(url)
    tail = parts.query[-4:] if parts.query else ""
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"?…{tail}" if tail else "")


def _view(robot: OrgRobot, org_name: str | None) -> RobotView:
    kind_label = KINDS.get(robot.kind, robot.kind)
    return from_row(
        RobotView,
        robot,
        org_name=org_name or "",  # a robot always has its organisation
        kind_label=kind_label,
        url=mask(robot.url),
        signed=bool(robot.secret),
    )


def _require_admin(actor: Principal) -> None:
    if not actor.is_admin:
        raise Forbidden("只有管理员可以设置群机器人")


def _checked(session: Session, given: RobotInput, keeps_secret: bool) -> Organisation:
    if given.kind not in KINDS:
        raise Invalid(
            f"机器人类型须为 {'、'.join(KINDS)}（{'、'.join(KINDS.values())}）", fields={"kind": "未知类型"}
        )
    if not given.name.strip() or len(given.name) > 200:
        raise Invalid("请填写机器人名称（不超过 200 字）", fields={"name": "必填"})
    if not web_address(given.url):
        message = "Webhook 地址须以 https:// 开头，从群设置的机器人页面复制"
        raise Invalid(message, fields={"url": message})
    if given.kind == "dingtalk" and not (given.secret or "").strip() and not keeps_secret:
        message = "钉钉机器人须开启“加签”并填写其密钥（SEC 开头）"
        raise Invalid(message, fields={"secret": message})
    org = session.get(Organisation, given.org_id)
    if org is None:
        raise Invalid(f"找不到机构 {given.org_id}", fields={"org_id": "未知机构"})
    return org


def list_robots(sessions: SessionFactory, actor: Principal) -> list[RobotView]:
    """Every robot, by organisation."""
    _require_admin(actor)
    return list_settings(sessions, OrgRobot, _view, Organisation.path, OrgRobot.id)


def save_robot(
    sessions: SessionFactory, actor: Principal, given: RobotInput, robot_id: int | None = None
) -> RobotView:
    """Add a robot (`robot_id` None) or change one."""
    _require_admin(actor)
    with sessions.begin() as session:
        robot = session.get(OrgRobot, robot_id) if robot_id is not None else None
        if robot_id is not None and robot is None:
            raise NotFound(f"找不到机器人 {robot_id}")
        org = _checked(session, given, keeps_secret=bool(robot and robot.secret))
        before = None if robot is None else {"name": robot.name, "kind": robot.kind, "active": robot.active}
        if robot is None:
            robot = OrgRobot()
            session.add(robot)
        robot.org_id, robot.kind, robot.name = org.id, given.kind, given.name.strip()
        robot.url = given.url.strip()
        if (given.secret or "").strip():
            robot.secret = (given.secret or "").strip()
        robot.active, robot.updated_by, robot.updated_at = given.active, actor.username, utcnow()
        session.flush()
        after = {"name": robot.name, "kind": robot.kind, "active": robot.active, "url": mask(robot.url)}
        record(session, actor, "save", "robot", robot.id, None, org.id, before, after)
        return _view(robot, org.name)


def delete_robot(sessions: SessionFactory, actor: Principal, robot_id: int) -> None:
    """Remove a robot (its past deliveries stay in the log)."""
    _require_admin(actor)
    delete_setting(sessions, actor, OrgRobot, robot_id, "robot", f"找不到机器人 {robot_id}")
