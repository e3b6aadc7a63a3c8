"""E-mail through the configured SMTP server (standard library, with a timeout); it raises `OSError`
(or `smtplib.SMTPException`) for the sender to retry.  Group robots are `robots`, other systems'
webhooks `webhooks`; all three are sent from the delivery queue by `sender`.
"""

from __future__ import annotations

import smtplib
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
