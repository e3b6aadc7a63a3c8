"""The sample implementation loop: the 示例市 plan opened for monthly reporting (due on the 25th),
with a district plan text whose target splits by district, and one account per role.

Tests and the loop benchmark build on it; every name and password here is fictional and meant for
test databases only (the one password meets the password rules).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.db.orgs import Unit, UnitAlias
from eduplan.services.accounts import Principal, UserCreate, create_user
from eduplan.services.loop import ScheduleInput, open_plan
from eduplan.services.registry import import_document
from eduplan.services.registry.units import unit_key
from eduplan.services.tracking import list_items

SAMPLE_PASSWORD = "示例Passw0rd2024"
DISTRICT_PLAN = """示例市教育局2024年教育重点项目安排
一、扩大优质教育资源供给
1.推进重点项目建设。全年实施教育重点项目57个，其中市本级5个、甲区4个、乙区6个、丙县42个。9月底前全部开工。
责任单位：发展规划科、各县区教育局
2.加强机关作风建设。开展作风建设专项行动，年内完成问题整改。
责任单位：局各科室
3.推进学前教育普及普惠。普惠性幼儿园覆盖率达到85%以上。
牵头单位：学前教育科；配合单位：局相关科室、计划财务科
"""
"""A second plan of 示例市: a target split by district (下发), and units to be specified (待明确)."""
ACCOUNTS: dict[str, tuple[str, str | None]] = {
    "office": ("office", None),
    "admin2": ("office", None),
    "leader": ("leader", None),
    "viewer": ("viewer", None),
    "jichu": ("reporter", "基础教育科"),
    "xueqian": ("reporter", "学前教育科"),
    "guihua": ("reporter", "发展规划科"),
    "caiwu": ("reporter", "计划财务科"),
}
"""User name → (role, unit) of the sample organisation 示例市."""


@dataclass
class World:
    """What `build_world` made: the plans, the organisation, units and users by name."""

    org_id: int
    plan_id: int
    district_plan_id: int
    units: dict[str, int] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)
    items: dict[str, int] = field(default_factory=dict)
    district_items: dict[str, int] = field(default_factory=dict)
    password: str = SAMPLE_PASSWORD


def unit_id(sessions: SessionFactory, org_id: int, name: str) -> int:
    """The id of a unit of an organisation by name or alias."""
    with sessions() as session:
        found = session.scalars(
            select(Unit.id)
            .join(UnitAlias, UnitAlias.unit_id == Unit.id)
            .where(UnitAlias.org_id == org_id, UnitAlias.key == unit_key(name))
        ).first()
    if found is None:
        raise LookupError(name)
    return found


def build_world(sessions: SessionFactory, settings: Settings, plan_bytes: bytes) -> World:
    """Import the sample plan (`plan_bytes`) and the district plan, open both for monthly reports
    due on the 25th, and create one account per role (password `SAMPLE_PASSWORD`)."""
    main = import_document(sessions, plan_bytes, "示例市2024年教育工作要点.txt")
    district = import_document(sessions, DISTRICT_PLAN.encode("utf-8"), "示例市2024年教育重点项目.txt")
    system = Principal.system()
    for plan_id in (main.plan_id, district.plan_id):
        open_plan(sessions, system, plan_id, ScheduleInput("monthly", 25))
    world = World(main.org_id, main.plan_id, district.plan_id)
    for username, (role, unit) in ACCOUNTS.items():
        uid = unit_id(sessions, main.org_id, unit) if unit else None
        if unit:
            world.units[unit] = uid or 0
        new = UserCreate(username, role, username, main.org_id, uid, SAMPLE_PASSWORD)
        world.users[username] = create_user(sessions, settings, system, new).user.id
    world.items = {i.number: i.id for i in list_items(sessions, system, main.plan_id)}
    world.district_items = {i.number: i.id for i in list_items(sessions, system, district.plan_id)}
    return world
