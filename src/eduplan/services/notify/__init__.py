"""Notifications (issues 4 and 17): the in-app inbox of every user and the daily reminder job that
feeds it (exactly once across processes); what leaves eduplan — e-mails with the page's link, signed
DingTalk/WeCom group robots per organisation, webhook events for other systems (`webhooks.emit`) —
goes through a delivery queue in the database (`outbox`) sent by a background `sender`, with its
log (`delivery_log`); personal calendar feeds (`calendar`)."""

from eduplan.services.notify.inbox import (
    Notice,
    NotificationView,
    deliver,
    list_inbox,
    mark_read,
    reporters_of,
)
from eduplan.services.notify.reminders import RunResult, run_reminders

__all__ = [
    "Notice",
    "NotificationView",
    "RunResult",
    "deliver",
    "list_inbox",
    "mark_read",
    "reporters_of",
    "run_reminders",
]
