"""Command line of eduplan: `parse`, `import`, `serve`, `demo`, `assign`, `remind`, `deliver`, `ledger`,
`bulletin`, `report template|upload`, `admin create` and `topics relabel`, each a few lines over a service.

Start-up must stay fast (a whole `eduplan parse` process well under half a second), so this module
imports only Typer and the standard library; readers, parser and exporters (with openpyxl,
python-docx, pdfplumber, OpenCC) are imported inside the commands that need them.
Every input error becomes exactly one line `错误：FILE：…` on stderr and a non-zero exit code.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from eduplan.domain import Plan

app = typer.Typer(
    name="eduplan",
    help="eduplan：把教育工作要点/十四五规划读成结构化的计划（大纲、Plan JSON、台账 xlsx）。",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="markdown",
)


class Format(StrEnum):
    """Output formats of `eduplan parse`."""

    outline = "outline"
    json = "json"
    xlsx = "xlsx"


_SUFFIX = {Format.outline: ".txt", Format.json: ".json", Format.xlsx: "-台账.xlsx"}


@app.command()
def parse(
    files: Annotated[
        list[str],
        typer.Argument(
            help="规划文件（txt/docx/pdf/html/doc/wps/rtf/odt/ofd，扫描件与 png/jpg/tif 图片）或任务分工表（xlsx/xls/csv），“-” 表示标准输入",
            metavar="FILE",
        ),
    ],
    fmt: Annotated[Format, typer.Option("--format", "-f", help="输出格式")] = Format.outline,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="输出文件；多个输入时为目录")] = None,
    progress: Annotated[
        bool | None,
        typer.Option("--progress/--no-progress", help="在标准错误输出 OCR 识别进度（默认：终端上显示）"),
    ] = None,
) -> None:
    """解析规划文件，输出大纲、Plan JSON 或台账 xlsx。Parse plan files.

    Without `-o`: outline and JSON go to stdout (several files with `--format json` give one JSON
    array whose objects carry an extra `"source"` field; so does one file bundling several plans,
    without `"source"`); xlsx goes to `./<name>-台账.xlsx`.  Task tables (xlsx, xls, et, csv) are
    read as plans too.
    With `-o`: one input writes to that file; several inputs (or an existing directory) write
    `DIR/<name>.txt|.json|-台账.xlsx`, one per input. A bad file is reported as one line
    `错误：FILE：…` and does not stop the others; the exit code is then 1.
    Scanned PDFs and page images are read by OCR; the pages done (第N页/共M页) are shown on
    stderr when it is a terminal, or always with `--progress`.

    Examples:

        eduplan parse 2024年教育工作要点.docx
        eduplan parse plan.pdf --format json -o plan.json
        eduplan parse 任务分工表.xlsx
        eduplan parse a.docx b.pdf --format xlsx -o 台账/
        cat plan.txt | eduplan parse - --format json
    """
    targets = _targets(files, fmt, output)
    several = len(files) > 1
    array: list[dict[str, Any]] = []
    failed = 0
    for name, target in zip(files, targets, strict=True):
        try:
            plans = _parse(name, _progress_printer(name, progress))
            _emit(plans, name, fmt, target, array, several)  # several plans when a file bundles them
        except Exception as exc:
            failed += 1
            _report(name, exc)
    if fmt is Format.json and several and output is None:
        _print_json(array)
    if failed:
        raise typer.Exit(1)


@app.command()
def demo(
    directory: Annotated[Path, typer.Argument(help="示例目录", metavar="DIR")] = Path("eduplan-demo"),
    port: Annotated[int, typer.Option(help="端口（被占用时自动改用空闲端口）")] = 8000,
    no_serve: Annotated[bool, typer.Option("--no-serve", help="只生成并打印，不启动服务")] = False,
    host: Annotated[str, typer.Option(help="监听地址；0.0.0.0 让局域网内的同事也能打开")] = "127.0.0.1",
) -> None:
    """运行示例：生成示例市的登记库（计划、单位、账户、各期报送、督办、整改）并启动服务。Run the demo.

    Builds a living registry of the fictional 示例市 in DIR/data (SQLite; built once, reused
    afterwards): this year's 工作要点, a 五年规划, units, one account per role, a reporting schedule
    with the past cycles' reports, 督办 and 整改.  Writes the plan as Word and its 台账.xlsx into DIR
    (default `./eduplan-demo`), prints the address, the administrator's one-time password and the
    other demo accounts, then serves on 127.0.0.1 (`--port`, or a free port if taken; `--host 0.0.0.0`
    serves colleagues on the local network too).  Run it again to restart on the same data.

    Examples:

        eduplan demo
        eduplan demo /tmp/eduplan-demo --port 8080
        eduplan demo /tmp/eduplan-demo --host 0.0.0.0
        eduplan demo /tmp/eduplan-demo --no-serve
    """
    from eduplan.commands.demo import demo_command

    try:
        code = demo_command(directory, port, serve=not no_serve, host=host)
    except Exception as exc:
        _report(str(directory), exc)
        raise typer.Exit(1) from None
    raise typer.Exit(code)


@app.command("import")
def import_(
    paths: Annotated[list[Path], typer.Argument(help="规划文件或文件夹", metavar="PATH")],
    org: Annotated[
        str | None, typer.Option("--org", help="所属单位，如 江苏省/常州市；不填则从文档推断")
    ] = None,
) -> None:
    """把规划文件导入登记库（数据库）。Import plan files or folders into the registry.

    Same bytes twice import nothing new; a revised edition of a plan becomes its next version
    with the tasks matched to the previous one. The database is `EDUPLAN_DATABASE_URL`
    (default: SQLite file `./data/eduplan.db`), migrated first.

    Example:

        eduplan import 2024年教育工作要点.docx 规划/ --org 江苏省/常州市
    """
    from eduplan.commands.registry import import_command

    raise typer.Exit(import_command(paths, org))


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
) -> None:
    """启动登记库服务（REST API，文档在 /api/docs）。Serve the registry API.

    Creates and migrates the database on first start (default: SQLite file `./data/eduplan.db`).

    Example:

        eduplan serve --port 8000
    """
    from eduplan.commands.registry import serve_command

    raise typer.Exit(serve_command(host, port))


admin_app = typer.Typer(help="管理员账户。Administrator accounts.", no_args_is_help=True)
app.add_typer(admin_app, name="admin")


@admin_app.command("create")
def admin_create(
    username: Annotated[str, typer.Option("--username", "-u", help="管理员用户名")] = "admin",
) -> None:
    """创建管理员并打印一次性密码（首次登录须修改）。Create an administrator.

    There is no default password: the one-time password is printed once, here. The database is
    `EDUPLAN_DATABASE_URL` (default: SQLite file `./data/eduplan.db`), migrated first.

    Example:

        eduplan admin create --username admin
    """
    from eduplan.commands.access import admin_create_command

    raise typer.Exit(admin_create_command(username))


topics_app = typer.Typer(help="主题（对标用）。Topics of tasks and key projects.", no_args_is_help=True)
app.add_typer(topics_app, name="topics")


@topics_app.command("relabel")
def topics_relabel(
    plan_id: Annotated[int | None, typer.Option("--plan", help="只重新标注这一个计划（计划编号）")] = None,
) -> None:
    """词表更新后重新标注已入库计划的主题（人工校正保留不变）。Relabel stored topics.

    Every stored version (of one plan with `--plan`) is labelled again by the classifier of this
    release; entries staff corrected keep their topics. Prints how many entries' topics changed.

    Example:

        eduplan topics relabel --plan 3
    """
    from eduplan.commands.topics import relabel_command

    raise typer.Exit(relabel_command(plan_id))


@app.command()
def assign(
    plan_id: Annotated[int, typer.Argument(help="计划编号（eduplan import 输出的“计划 N”）", metavar="PLAN")],
    cycle: Annotated[str, typer.Option(help="报送周期：weekly、biweekly、monthly、quarterly")] = "monthly",
    due_day: Annotated[
        int, typer.Option("--due-day", help="报送日：周报为星期几（1–7），月报/季报为几号")
    ] = 25,
) -> None:
    """开启计划的报送并按责任单位分解任务，列出待明确的分工。Open a plan for reporting.

    Each task of the plan's latest version becomes a work item assigned to its parsed units
    (aliases resolved); words like 局各科室 or 各县区 are shown as 待明确. Running it again after
    a revision adds the new tasks and keeps what staff changed.

    Example:

        eduplan assign 1 --cycle quarterly --due-day 25
    """
    from eduplan.commands.access import assign_command

    raise typer.Exit(assign_command(plan_id, cycle, due_day))


@app.command()
def remind(
    on: Annotated[str | None, typer.Option("--on", help="按哪一天计算（默认今天，Asia/Shanghai）")] = None,
) -> None:
    """发送当天的报送/时限提醒和逾期汇总（站内消息、邮件、群机器人）。Send the day's reminders.

    Each day's reminders go out once, however many times or on however many machines this runs
    (and `eduplan serve` runs it by itself every `EDUPLAN_SCHEDULER_MINUTES`). E-mail needs
    `EDUPLAN_SMTP_HOST`; group robots are set per organisation on /admin/notify
    (or the global `EDUPLAN_WEBHOOK_URLS`, a JSON list).

    Example:

        eduplan remind --on 2024-05-10
    """
    from eduplan.commands.access import remind_command

    raise typer.Exit(remind_command(on))


@app.command()
def deliver() -> None:
    """发送队列中到期的群机器人消息、Webhook 事件和邮件。Send the queued deliveries that are due.

    `eduplan serve` does this by itself every `EDUPLAN_DELIVERY_POLL_SECONDS`; run this from cron
    when that is 0.  A failed try stays queued for its next try (backoff) until
    `EDUPLAN_DELIVERY_MAX_ATTEMPTS`; the log is at /deliveries.

    Example:

        eduplan deliver
    """
    from eduplan.commands.notify import deliver_command

    raise typer.Exit(deliver_command())


@app.command()
def ledger(
    plan: Annotated[
        str, typer.Argument(help="计划编号（已开启报送），或 import 导入已有台账", metavar="PLAN|import")
    ],
    file: Annotated[Path | None, typer.Argument(help="import 时：台账文件（xlsx、xls、et、csv）")] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出 xlsx（默认：计划名-工作台账-日期.xlsx）")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="截至哪一天（默认今天，Asia/Shanghai）")] = None,
    org: Annotated[str | None, typer.Option("--org", help="import：所属机构（如 长春市）")] = None,
    cycle: Annotated[
        str, typer.Option("--cycle", help="import：新计划的报送周期 weekly/biweekly/monthly/quarterly")
    ] = "monthly",
    due_day: Annotated[int, typer.Option("--due-day", help="import：新计划的报送日")] = 25,
    year: Annotated[int | None, typer.Option("--year", help="import：台账未写年份时的年度")] = None,
    sheet: Annotated[
        str | None, typer.Option("--sheet", help="import：台账所在工作表（默认自动识别）")
    ] = None,
    columns: Annotated[
        str | None,
        typer.Option("--columns", help="import：各列用途代码，逗号分隔（如 number,task,lead,progress:m1）"),
    ] = None,
    user: Annotated[
        str | None, typer.Option("--user", help="import：以哪个办公室账户的名义导入（默认 system）")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="import：只预览，不写入")] = False,
) -> None:
    """写出带当前进展的工作台账 xlsx；或导入已有台账（任务、单位、目标与各期进展）。Write, or import, a ledger.

    Example:

        eduplan ledger 1 -o 台账.xlsx --on 2024-05-10

        eduplan ledger import 台账.xlsx --org 长春市 --dry-run
    """
    if plan == "import":
        from eduplan.commands.ledger_import import ledger_import_command

        if file is None:
            sys.stderr.write(
                "错误：请给出要导入的台账文件，如 eduplan ledger import 台账.xlsx --org 长春市\n"
            )
            raise typer.Exit(2)
        raise typer.Exit(
            ledger_import_command(file, org, cycle, due_day, year, sheet, columns, user, dry_run, on)
        )
    from eduplan.commands.exports import export_command

    if not plan.isdigit():
        sys.stderr.write(f"错误：{plan}：PLAN 应为计划编号，或 import（导入台账）\n")
        raise typer.Exit(2)
    raise typer.Exit(export_command("ledger", int(plan), output, on))


@app.command()
def bulletin(
    plan_id: Annotated[int, typer.Argument(help="计划编号（已开启报送）", metavar="PLAN")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出 docx（默认：计划名-第N期进展通报.docx）")
    ] = None,
    cycle: Annotated[
        int | None, typer.Option("--cycle", help="报送周期（从 0 起；默认最近到期的一期）")
    ] = None,
    on: Annotated[str | None, typer.Option("--on", help="按哪一天计算（默认今天，Asia/Shanghai）")] = None,
) -> None:
    """写出一期进展通报 docx（公文格式，含汇总、图表、严重滞后和逾期清单、单位排名）。Write a progress bulletin.

    Example:

        eduplan bulletin 1 -o 通报.docx --on 2024-05-10
    """
    from eduplan.commands.exports import export_command

    raise typer.Exit(export_command("bulletin", plan_id, output, on, cycle))


report_app = typer.Typer(
    help="Excel 填报模板：下载、填写、上传。Report through an Excel template.", no_args_is_help=True
)
app.add_typer(report_app, name="report")


@report_app.command("template")
def report_template(
    plan_id: Annotated[int, typer.Argument(help="计划编号（已开启报送）", metavar="PLAN")],
    unit: Annotated[str, typer.Option("--unit", help="单位全称（或编号），如 基础教育科")],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="输出 xlsx（默认：计划名-单位-第N期填报模板.xlsx）")
    ] = None,
    cycle: Annotated[int | None, typer.Option("--cycle", help="报送周期（从 0 起；默认当前一期）")] = None,
    on: Annotated[str | None, typer.Option("--on", help="按哪一天计算当前一期（默认今天）")] = None,
) -> None:
    """写出单位一期的 Excel 填报模板（预填上期内容，状态下拉，数值校验，结构锁定）。Write a unit's template.

    Example:

        eduplan report template 1 --unit 基础教育科 -o 填报.xlsx
    """
    from eduplan.commands.report_excel import template_command

    raise typer.Exit(template_command(plan_id, unit, output, cycle, on))


@report_app.command("upload")
def report_upload(
    file: Annotated[Path, typer.Argument(help="填好的模板 xlsx", metavar="FILE")],
    user: Annotated[str, typer.Option("--user", help="以哪个填报员账户上传（登录名）")],
    submit: Annotated[bool, typer.Option("--submit", help="保存后一并报送")] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只预览每行的变化，不保存")] = False,
    on: Annotated[str | None, typer.Option("--on", help="按哪一天保存（默认今天）")] = None,
) -> None:
    """上传填好的 Excel 填报模板：逐行保存，冲突与有误的行列出行号和原因。Upload a filled template.

    Rows changed on the web since the template was made are conflicts (both versions printed), never
    overwritten. Exit code 1 when some rows were not saved, 2 when the file was refused.

    Example:

        eduplan report upload 填报.xlsx --user jichu --submit
    """
    from eduplan.commands.report_excel import upload_command

    raise typer.Exit(upload_command(file, user, submit, dry_run, on))


@app.command()
def backup(
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="备份文件（默认：eduplan-备份-日期时间.tar.gz）")
    ] = None,
) -> None:
    """备份数据库和全部存储的文件（佐证材料等）到一个归档，附每一部分的 sha256 清单。Back up the registry.

    SQLite is copied with its online backup (the server may keep running); PostgreSQL with
    `pg_dump`. Restore with `eduplan restore FILE` into an empty data directory or database.

    Example:

        eduplan backup -o /backups/eduplan-2024-05-10.tar.gz
    """
    from eduplan.commands.backup import backup_command

    raise typer.Exit(backup_command(output))


@app.command()
def restore(
    archive: Annotated[Path, typer.Argument(help="eduplan backup 写出的备份文件", metavar="FILE")],
) -> None:
    """从备份恢复到空的数据目录或空数据库（先核对清单，损坏的备份不作任何改动）。Restore a backup.

    Example:

        EDUPLAN_DATA_DIR=/srv/eduplan eduplan restore /backups/eduplan-2024-05-10.tar.gz
    """
    from eduplan.commands.backup import restore_command

    raise typer.Exit(restore_command(archive))


def _parse(name: str, progress: Callable[[int, int], None] | None = None) -> list[Plan]:
    from eduplan.services.parse import parse_file_plans

    return parse_file_plans(name, progress)


def _progress_printer(name: str, wanted: bool | None) -> Callable[[int, int], None] | None:
    """Where OCR reports pages done: a line rewritten in place on a terminal, else one line a page."""
    terminal = sys.stderr.isatty()
    if not (terminal if wanted is None else wanted):
        return None

    def show(done: int, total: int) -> None:
        from eduplan.services.parse import display_name

        text = f"正在识别 {display_name(name)}：第{done}页/共{total}页"
        sys.stderr.write(f"\r{text}\033[K" if terminal else f"{text}\n")
        if terminal and done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return show


def _targets(files: list[str], fmt: Format, output: Path | None) -> list[Path | None]:
    """Where each input's result goes: a file path, or None for stdout."""
    if output is not None and len(files) == 1 and not output.is_dir():
        return [output]
    if output is None and fmt is not Format.xlsx:
        return [None] * len(files)
    folder = output if output is not None else Path.cwd()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        _report(str(folder), exc)
        raise typer.Exit(1) from None
    used: set[str] = set()
    targets: list[Path | None] = []
    for name in files:
        stem = "stdin" if name == "-" else Path(name).stem or "plan"
        candidate, n = stem, 1
        while candidate in used:
            n += 1
            candidate = f"{stem}-{n}"
        used.add(candidate)
        targets.append(folder / (candidate + _SUFFIX[fmt]))
    return targets


def _emit(
    plans: list[Plan], name: str, fmt: Format, target: Path | None, array: list[Any], several: bool
) -> None:
    """Write the plans of one input where they belong (JSON for stdout with several inputs is
    collected).  A file bundling several plans gives a JSON array, outlines one after another,
    and one 台账 per plan (``-2``, ``-3`` … added to the name)."""
    from eduplan.export.atomic import atomic_write_text
    from eduplan.plan_json import plan_to_dict

    if fmt is Format.xlsx:
        from eduplan.export.ledger import write_ledger

        assert target is not None
        for k, plan in enumerate(plans, start=1):
            path = target if k == 1 else target.with_name(f"{target.stem}-{k}{target.suffix}")
            sys.stdout.write(f"已写入 written: {write_ledger(plan, path)}\n")
        return
    if fmt is Format.json:
        data = [plan_to_dict(plan) for plan in plans]
        if target is None and several:
            array.extend({"source": name, **d} for d in data)
            return
        text = json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2) + "\n"
    else:
        from eduplan.export.outline import render_outline

        text = "\n".join(render_outline(plan) for plan in plans)
        if target is None and several:
            text = f"==> {name} <==\n{text}\n"
    if target is None:
        sys.stdout.write(text)
    else:
        atomic_write_text(target, text)


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _report(name: str, exc: BaseException) -> None:
    """One line on stderr: 错误：FILE：what went wrong."""
    from eduplan.services.parse import display_name, error_message

    sys.stdout.flush()
    sys.stderr.write(f"错误：{display_name(name)}：{error_message(exc)}\n")
    sys.stderr.flush()


def main() -> None:
    """Entry point of the `eduplan` script: UTF-8 output whatever the locale, quiet on a closed pipe."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")
    try:
        app()
    except BrokenPipeError:
        sys.stderr.close()
        sys.exit(1)


if __name__ == "__main__":
    main()
