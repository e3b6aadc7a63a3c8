"""`eduplan admin create` and `eduplan assign`: plain functions the CLI registers as commands.

Both migrate the database of `Settings` first, print in Chinese and return an exit code.  There is
no default password: an administrator is created with a one-time password, printed once here,
which must be changed at first sign-in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from eduplan.choices import UNIT_ROLE_LABELS as LABELS
from eduplan.config import Settings
from eduplan.db.engine import SessionFactory


@contextmanager
def command_sessions(settings: Settings) -> Iterator[SessionFactory]:
    """The database of `settings`, migrated, for one command; its engine disposed on leaving."""
    from eduplan.commands.registry import prepare_database
    from eduplan.db import make_engine, make_session_factory

    prepare_database(settings)
    engine = make_engine(settings.database_url)
    try:
        yield make_session_factory(engine)
    finally:
        engine.dispose()


def announce_admin(username: str, password: str, echo: Callable[[str], None] = print) -> None:
    """The lines that show a new administrator's one-time password."""
    echo(f"已创建管理员 {username}，一次性密码：{password}")
    echo("请立即登录并修改密码；此密码不会再次显示。")


def admin_create_command(
    username: str = "admin", settings: Settings | None = None, echo: Callable[[str], None] = print
) -> int:
    """Create an administrator with a one-time password; 1 when the name is taken.

    Example: ``eduplan admin create --username admin``
    """
    from eduplan.services.accounts import create_admin
    from eduplan.services.errors import Conflict, Invalid

    with command_sessions(settings or Settings()) as sessions:
        try:
            made = create_admin(sessions, settings or Settings(), username)
        except (Conflict, Invalid) as exc:
            echo(f"错误：{exc}")
            return 1
    assert made.one_time_password is not None
    announce_admin(made.user.username, made.one_time_password, echo)
    return 0


def ensure_admin_on_start(
    sessions: SessionFactory, settings: Settings, echo: Callable[[str], None] = print
) -> None:
    """On the first `eduplan serve`, when no administrator exists, make one and print its password."""
    from eduplan.services.accounts import ensure_admin

    made = ensure_admin(sessions, settings)
    if made is not None and made.one_time_password:
        announce_admin(made.user.username, made.one_time_password, echo)


def assign_command(
    plan_id: int,
    cycle: str = "monthly",
    due_day: int = 25,
    settings: Settings | None = None,
    echo: Callable[[str], None] = print,
) -> int:
    """Open a plan for reporting and print each task's units, 待明确 where words name no unit.

    Example: ``eduplan assign 1 --cycle quarterly --due-day 25``
    """
    from eduplan.services.accounts import Principal
    from eduplan.services.errors import Invalid, NotFound, StaleVersion
    from eduplan.services.loop import ScheduleInput, open_plan
    from eduplan.services.tracking import get_schedule, list_items

    settings = settings or Settings()
    with command_sessions(settings) as sessions:
        system = Principal.system()
        try:
            try:
                version = get_schedule(sessions, system, plan_id).version
            except NotFound:
                version = None
            schedule = open_plan(sessions, system, plan_id, ScheduleInput(cycle, due_day), version)
            items = list_items(sessions, system, plan_id)
        except (Invalid, NotFound, StaleVersion) as exc:
            echo(f"错误：{exc}")
            return 1
    echo(f"计划 {plan_id}：{len(schedule.cycles)} 期报送（{cycle}，报送日 {due_day}），{len(items)} 项任务")
    pending = 0
    for item in items:
        units = "、".join(
            f"{LABELS.get(a.role, a.role)}:{a.unit_name or a.name + '（待明确）'}" for a in item.assignments
        )
        pending += item.to_be_specified
        deadline = item.deadline.isoformat() if item.deadline else "时限待定"
        echo(f"{item.number}. {item.title}｜{deadline}｜{units or '（无责任单位）'}")
    echo(f"待明确：{pending} 项（可用 PUT /api/v1/items/{{id}}/assignments 指定）")
    return 0


def remind_command(
    on: str | None = None, settings: Settings | None = None, echo: Callable[[str], None] = print
) -> int:
    """Run the day's reminders and overdue digests (once per day, whoever runs it).

    Example: ``eduplan remind`` from cron, or ``eduplan remind --on 2024-05-10``
    """
    from eduplan.commands.arguments import command_day
    from eduplan.services.notify import run_reminders

    settings = settings or Settings()
    day = command_day(on, settings, echo)
    if day is None:
        return 2
    from eduplan.services.notify.life_reminders import run_life_reminders

    with command_sessions(settings) as sessions:
        result = run_reminders(sessions, settings, day)
        life = run_life_reminders(sessions, settings, day)
    if life.notices:
        echo(f"{life.run_key}：签收逾期与待处理提醒 {life.notices} 条")
    if not result.claimed:
        echo(f"{result.run_key} 的提醒已由其他进程发送，未重复发送")
        return 0
    echo(
        f"{result.run_key}：站内消息 {result.notices} 条，邮件 {result.emails} 封，群机器人 {result.webhooks} 次"
        + (f"，逾期催办升级为督办 {len(result.escalated)} 项" if result.escalated else "")
    )
    for error in result.errors:
        echo(f"发送失败（按间隔重试，见 /deliveries）：{error}")
    return 1 if result.errors else 0
