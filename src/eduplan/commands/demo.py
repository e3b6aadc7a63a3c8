"""`eduplan demo`: build (or reuse) the living 示例市 demo in DIR, print its logins, then serve it.

Everything a newcomer needs is printed before the server starts: where the files are, what the
registry holds, the address to open, the administrator's one-time password and a table of the other
demo accounts.  The port falls back to a free one when the asked one is taken.  Served on every
interface (``--host 0.0.0.0``), it also prints the address colleagues on the network open.
"""

from __future__ import annotations

import socket
from collections.abc import Callable
from pathlib import Path

from eduplan.commands.registry import DEFAULT_HOST
from eduplan.samples.demo_site import DemoResult

LOGIN_PATH = "/login"
EVERY_INTERFACE = ("0.0.0.0", "::", "")


def lan_hint(host: str, port: int) -> str | None:
    """Where colleagues open a demo served on every interface (None when only this machine can)."""
    if host not in EVERY_INTERFACE:
        return None
    name = socket.gethostname()
    return (
        f"局域网 LAN:  http://{name}:{port}{LOGIN_PATH}（或用本机的 IP 地址代替 {name}；"
        f"防火墙须放行端口 {port}）"
    )


def pick_port(host: str, wanted: int) -> int:
    """`wanted` when it is free on `host`, else a free port the system chooses."""
    for candidate in (wanted, 0):
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family, socket.SOCK_STREAM) as probe:
            try:
                probe.bind((host, candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise OSError(f"{host} 上没有可用端口")


def describe_demo(result: DemoResult, url: str | None, echo: Callable[[str], None] = print) -> None:
    """The files, the registry, and the logins of the demo (one-time passwords shown once)."""
    echo(f"示例文件 sample: {result.document}")
    echo(f"台账 ledger:    {result.ledger}")
    echo(f"登记库 registry: {result.database}（{result.registry_status}）")
    c = result.counts
    if c:
        echo(
            f"  3 份计划（年度工作要点、五年规划、重点项目），下发 {c.get('handed_down', 0)} 项；"
            f"进展报告 {c.get('reports', 0)} 份（通过 {c.get('accepted', 0)}、待审 {c.get('submitted', 0)}、"
            f"退回 {c.get('returned', 0)}、草稿 {c.get('drafts', 0)}、逾期报送 {c.get('late', 0)}、"
            f"缺报 {c.get('missing', 0)}），督办 {c.get('urges', 0)} 件，整改 {c.get('rectifications', 0)} 件"
        )
    echo("")
    echo("示例账户 demo accounts（一次性密码，首次登录后须修改；再次运行 eduplan demo 会重新生成）：")
    width = max((len(a.username) for a in result.accounts), default=8)
    for a in result.accounts:
        secret = a.password or "（已由本人修改）"
        unit = f"  {a.unit}" if a.unit else ""
        echo(f"  {a.username:<{width}}  {secret:<16}  {a.role_label}{unit}")
    admin = next((a for a in result.accounts if a.role == "admin"), None)
    echo("")
    if url is not None:
        echo(f"打开 open:  {url}")
    if admin is not None:
        echo(f"管理员 administrator: {admin.username}  密码 password: {admin.password or '（已由本人修改）'}")


def demo_command(
    directory: Path,
    port: int,
    serve: bool = True,
    host: str = DEFAULT_HOST,
    echo: Callable[[str], None] = print,
) -> int:
    """Build or reuse the demo in `directory`; print it; serve it unless `serve` is False.

    Example: ``eduplan demo`` then open the printed address and sign in as ``admin``.
    """
    from eduplan.commands.registry import serve_command
    from eduplan.export.outline import render_outline
    from eduplan.samples.demo_site import demo_settings, run_demo

    result = run_demo(directory)
    echo(render_outline(result.plan).rstrip("\n"))
    echo("")
    chosen = pick_port(host, port) if serve else port
    local = "127.0.0.1" if host in EVERY_INTERFACE else host
    url = f"http://{local}:{chosen}{LOGIN_PATH}"
    describe_demo(result, url, echo)
    hint = lan_hint(host, chosen)
    if hint:
        echo(hint)
    if not serve:
        echo(f"启动 serve: eduplan demo {directory}（或 EDUPLAN_DATA_DIR={result.data_dir} eduplan serve）")
        return 0
    if chosen != port:
        echo(f"端口 {port} 已被占用，改用 {chosen}")
    echo("按 Ctrl+C 停止服务 stop with Ctrl+C")
    return serve_command(host, chosen, demo_settings(directory), access_log=False)
