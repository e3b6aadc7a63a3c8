"""The living demo: the fictional 示例市 bureau as it stands today, built through the services.

`build_demo_world` fills an empty registry with
- the 示例市 annual plan (工作要点) of the current year and its 五年规划 in force (专栏, indicator table),
- a plan of key projects whose targets split by district, handed down (下发) to 甲区/乙区/丙县, and
  the annual plan's safety task handed down to 甲区 and 乙区, with a unit and a reporter in 甲区,
- the bureau's units (科室, 直属单位) with their other names (aliases),
- one account per role and one reporter per unit of the annual plan,
- a monthly reporting schedule (bi-weekly before April) with progress reports for the cycles already
  past, 督办 urges and a 整改 rectification (`samples.demo_reports`),
- a 交办事项 from a 领导批示, a monthly 常态化 duty given three months ago with one occurrence missed,
  and a leader's 批示 on the safety task (`samples.demo_adhoc`).

Everything goes through the use cases (`services.registry`, `services.accounts`, `services.loop`), so
the data obeys the same rules as data typed in by hand.  Names, figures and accounts are invented.
Limit: it expects an empty registry; `samples.demo_site` builds it once per data directory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from eduplan.config import Settings
from eduplan.db.engine import SessionFactory
from eduplan.services.accounts import ROLE_LABELS, Principal, UserCreate, create_user
from eduplan.services.loop import (
    AssignmentInput,
    ScheduleInput,
    add_unit,
    hand_down,
    open_plan,
    set_assignments,
)
from eduplan.services.registry import get_org, import_document
from eduplan.services.tracking import get_item, list_items

UNIT_ALIASES: dict[str, list[str]] = {
    "办公室": ["局办公室"],
    "计划财务科": ["财务科"],
    "市教育科学研究院": ["市教科院"],
    "教育技术装备中心": ["市电化教育馆", "电教馆"],
    "市招生考试院": ["市招办"],
}
"""Units of the bureau and the other names they go by (市招生考试院 is named by no plan)."""

STAFF: tuple[tuple[str, str, str], ...] = (
    ("admin", "admin", "系统管理员"),
    ("leader", "leader", "李明（分管局领导）"),
    ("office", "office", "王芳（局办公室督查）"),
    ("viewer", "viewer", "陈静（只读）"),
)
"""User name, role and display name of the accounts that belong to no unit."""

REPORTERS: tuple[tuple[str, str, str], ...] = (
    ("guihua", "发展规划科", "周强"),
    ("jichu", "基础教育科", "赵敏"),
    ("xueqian", "学前教育科", "孙丽"),
    ("dudao", "教育督导室", "吴刚"),
    ("jiaoshi", "教师工作科", "郑洁"),
    ("renshi", "人事科", "冯涛"),
    ("jiaoyan", "市教育科学研究院", "何琳"),
    ("zhuangbei", "教育技术装备中心", "许杰"),
    ("caiwu", "计划财务科", "韩梅"),
    ("anquan", "安全稳定科", "曹磊"),
    ("bangong", "办公室", "彭娟"),
)
"""User name, unit and name of one reporter (填报员) per unit of the annual plan."""

DISTRICT = "甲区"
DISTRICT_UNIT = ("基础教育科", ["甲区教育局基础教育科"])
DISTRICT_REPORTER = ("jiaqu", "甲区基础教育科 林峰")
DISTRICT_OFFICE = ("jiaban", "甲区教育局办公室 刘洋")
"""The office (督查) of 甲区: hands its tasks on to its schools and decides their requests."""
SCHOOLS: tuple[tuple[str, tuple[tuple[str, str, str], ...]], ...] = (
    ("甲区实验小学", (("syjw", "教务处", "黄蕾"),)),
    ("甲区第二中学", (("ezjd", "教导处", "罗斌"), ("ezzw", "总务处", "梁勇"))),
)
"""The schools of 甲区, each unit of theirs with its reporter (user name, unit, name)."""


def projects_text(year: int) -> str:
    """A second plan of 示例市 for `year`: targets split by district, for 下发."""
    return f"""示例市教育局{year}年教育重点项目安排
一、扩大优质教育资源供给
1.推进重点项目建设。全年实施教育重点项目57个，其中市本级5个、甲区4个、乙区6个、丙县42个。9月底前全部开工。
责任单位：发展规划科、各县区教育局
2.推进学前教育普及普惠。普惠性幼儿园覆盖率达到85%以上。
牵头单位：学前教育科；配合单位：计划财务科
"""


@dataclass
class DemoAccount:
    """A demo login: its password is one-time (to be changed at first sign-in) unless fixed."""

    username: str
    role: str
    display_name: str
    unit: str | None
    password: str | None

    @property
    def role_label(self) -> str:
        return ROLE_LABELS.get(self.role, self.role)


@dataclass
class DemoWorld:
    """What `build_demo_world` made, by id, and how much of each kind."""

    year: int
    org_id: int
    plan_id: int
    five_year_plan_id: int
    projects_plan_id: int
    accounts: list[DemoAccount] = field(default_factory=list)
    principals: dict[str, Principal] = field(default_factory=dict)
    units: dict[str, int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    ids: dict[str, int] = field(default_factory=dict)
    """Ids of single things shown off (the 交办事项 and the 批示, `samples.demo_adhoc`)."""


def _principal(
    sessions: SessionFactory, user_id: int, username: str, role: str, org_id: int | None, unit_id: int | None
) -> Principal:
    path = get_org(sessions, org_id).path if org_id is not None else None
    return Principal(user_id, username, role, org_id, path, unit_id)


def _account(
    world: DemoWorld, sessions: SessionFactory, settings: Settings, new: UserCreate, unit: str | None
) -> None:
    made = create_user(sessions, settings, Principal.system(), new)
    world.accounts.append(
        DemoAccount(
            new.username, new.role, made.user.display_name, unit, made.one_time_password or new.password
        )
    )
    world.principals[new.username] = _principal(
        sessions, made.user.id, new.username, new.role, made.user.org_id, made.user.unit_id
    )


def _units(sessions: SessionFactory, org_id: int) -> dict[str, int]:
    """The bureau's units with their aliases (units the plans named get their other names)."""
    system = Principal.system()
    return {
        name: add_unit(sessions, system, org_id, name, aliases).unit.id
        for name, aliases in UNIT_ALIASES.items()
    }


def _hand_down(
    sessions: SessionFactory, world: DemoWorld, settings: Settings, password: str | None, today: date
) -> None:
    """下发: the key projects by their district shares, the safety task to 甲区 and 乙区 (both at the
    start of the year, so the districts owe the year's reports); in 甲区 a unit takes the projects
    task and gets a reporter."""
    system = Principal.system()
    received = today.replace(month=1, day=1)
    [projects, *_] = list_items(sessions, system, world.projects_plan_id)
    shares = hand_down(sessions, system, projects.id, today=received)
    safety = next(i for i in list_items(sessions, system, world.plan_id) if "校园安全" in i.title)
    hand_down(sessions, system, safety.id, [DISTRICT, "乙区"], today=received)
    child_id = shares.created[DISTRICT]
    child = get_item(sessions, system, child_id)
    name, aliases = DISTRICT_UNIT
    unit_id = add_unit(sessions, system, child.org_id, name, aliases).unit.id
    set_assignments(sessions, system, child_id, [AssignmentInput("responsible", unit_id)], child.version)
    username, display = DISTRICT_REPORTER
    new = UserCreate(username, "reporter", display, child.org_id, unit_id, password)
    _account(world, sessions, settings, new, f"{DISTRICT}{name}")
    world.units[f"{DISTRICT}{name}"] = unit_id
    world.counts["handed_down"] = len(shares.created) + 2
    _schools(sessions, world, settings, password, child_id, today)


def _schools(
    sessions: SessionFactory,
    world: DemoWorld,
    settings: Settings,
    password: str | None,
    item_id: int,
    today: date,
) -> None:
    """甲区's office and its schools: 甲区's part of the key projects handed on to its two schools
    (so that they are in the directory, below 甲区), each school's units with a reporter."""
    system = Principal.system()
    district = get_item(sessions, system, item_id).org_id
    username, display = DISTRICT_OFFICE
    _account(
        world, sessions, settings, UserCreate(username, "office", display, district, None, password), None
    )
    made = hand_down(
        sessions, system, item_id, [name for name, _u in SCHOOLS], today=today.replace(month=2, day=1)
    )
    for school, units in SCHOOLS:
        org_id = get_item(sessions, system, made.created[school]).org_id
        for username, unit, person in units:
            uid = add_unit(sessions, system, org_id, unit).unit.id
            world.units[f"{school}{unit}"] = uid
            new = UserCreate(username, "reporter", f"{school}{unit} {person}", org_id, uid, password)
            _account(world, sessions, settings, new, f"{school}{unit}")
    world.counts["handed_down"] += len(made.created)


def reporting_cycle(today: date) -> str:
    """Monthly once a few months are past; bi-weekly early in the year, so that it has reports."""
    return "monthly" if today.month >= 4 else "biweekly"


def build_demo_world(
    sessions: SessionFactory, settings: Settings, today: date, password: str | None = None
) -> DemoWorld:
    """Fill an empty registry with the demo of `today`'s year; every account gets a one-time
    password, or `password` (already changed, for tests) when given."""
    from eduplan.samples.demo_adhoc import fill_adhoc
    from eduplan.samples.demo_reports import fill_reports
    from eduplan.samples.five_year_text import five_year_text
    from eduplan.samples.plan_text import sample_lines

    year = today.year
    annual = ("\n".join(sample_lines(year)) + "\n").encode("utf-8")
    main = import_document(sessions, annual, f"示例市教育局{year}年教育工作要点.txt")
    five = import_document(sessions, five_year_text(year).encode("utf-8"), "示例市教育事业发展五年规划.txt")
    extra = import_document(
        sessions, projects_text(year).encode("utf-8"), f"示例市{year}年教育重点项目安排.txt"
    )
    world = DemoWorld(year, main.org_id, main.plan_id, five.plan_id, extra.plan_id)
    world.units = _units(sessions, main.org_id)
    system = Principal.system()
    cycle = reporting_cycle(today)
    for plan_id in (main.plan_id, extra.plan_id):
        open_plan(sessions, system, plan_id, ScheduleInput(cycle, 25 if cycle == "monthly" else 5))
    for username, role, display in STAFF:
        org = None if role == "admin" else main.org_id
        _account(world, sessions, settings, UserCreate(username, role, display, org, None, password), None)
    from eduplan.samples.loop import unit_id

    for username, unit, person in REPORTERS:
        uid = unit_id(sessions, main.org_id, unit)
        world.units[unit] = uid
        new = UserCreate(username, "reporter", f"{unit} {person}", main.org_id, uid, password)
        _account(world, sessions, settings, new, unit)
    _hand_down(sessions, world, settings, password, today)
    world.counts |= fill_reports(sessions, settings, world, today)
    world.counts |= fill_adhoc(sessions, world, today)
    return world
