"""`eduplan deliver`: send the queued robot messages, webhook events and e-mails that are due (for
installations that run `eduplan serve` with ``EDUPLAN_DELIVERY_POLL_SECONDS=0`` and use cron)."""

from __future__ import annotations

from collections.abc import Callable

from eduplan.commands.access import command_sessions
from eduplan.config import Settings


def deliver_command(settings: Settings | None = None, echo: Callable[[str], None] = print) -> int:
    """Send what is due once; 1 when a try failed (it stays queued for its next try, or failed)."""
    from eduplan.services.notify.sender import send_due

    settings = settings or Settings()
    with command_sessions(settings) as sessions:
        report = send_due(sessions, settings)
    labels = {"robot": "群机器人", "webhook": "Webhook", "email": "邮件"}
    sent = "，".join(f"{labels.get(k, k)} {n}" for k, n in sorted(report.sent.items())) or "无"
    echo(f"已送达：{sent}；失败 {len(report.errors)} 次")
    for error in report.errors:
        echo(f"发送失败（按间隔重试，见 /deliveries）：{error}")
    return 1 if report.errors else 0
