"""Channels beyond the inbox: e-mail through the configured SMTP server, and JSON webhooks.

The webhook body is the text message both DingTalk and WeCom group robots accept
(``{"msgtype": "text", "text": {"content": …}}``).  Both use the standard library only, with a
timeout, and raise `OSError` (or `smtplib.SMTPException`) for the caller to count.
"""

from __future__ import annotations

import json
import smtplib
import urllib.request
from email.message import EmailMessage

from eduplan.config import Settings

TIMEOUT = 10


def email_enabled(settings: Settings) -> bool:
    return bool(settings.smtp_host)


def send_email(settings: Settings, to: str, subject: str, body: str) -> None:
    """Send one plain-text e-mail."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.smtp_from, to, subject
    message.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(message)


def post_webhook(url: str, text: str) -> None:
    """POST a text message to a group robot's webhook."""
    data = json.dumps({"msgtype": "text", "text": {"content": text}}, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        response.read()
