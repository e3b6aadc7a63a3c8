"""Notifications (issue 4): the in-app inbox of every user, e-mail through SMTP, JSON webhooks for
IM group robots, and the daily reminder job that feeds them (exactly once across processes)."""

from eduplan.services.notify.inbox import NotificationView, deliver, list_inbox, mark_read, reporters_of
from eduplan.services.notify.reminders import RunResult, run_reminders

__all__ = [
    "NotificationView",
    "RunResult",
    "deliver",
    "list_inbox",
    "mark_read",
    "reporters_of",
    "run_reminders",
]
